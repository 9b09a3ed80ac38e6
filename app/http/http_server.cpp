#include "app/http/http_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>

namespace ledgerbot::app::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, const Router& router,
                       Metrics& metrics)
    : io_(io), options_(std::move(options)), router_(router), metrics_(metrics), acceptor_(io) {}

tcp::endpoint HttpServer::listen() {
    const tcp::endpoint endpoint{asio::ip::make_address(options_.address), options_.port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    return acceptor_.local_endpoint();
}

void HttpServer::start() {
    asio::co_spawn(io_, accept_loop(), asio::detached);
}

void HttpServer::begin_shutdown() {
    stopping_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    for (Session* session : sessions_) {
        if (!session->busy) {
            session->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
            session->stream->socket().close(ignored);
        }
    }
}

asio::awaitable<void> HttpServer::accept_loop() {
    while (!stopping_) {
        beast::error_code ec;
        tcp::socket socket =
            co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (stopping_ || ec == asio::error::operation_aborted) {
                break;
            }
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(io_, serve(beast::tcp_stream(std::move(socket))), asio::detached);
    }
}

asio::awaitable<void> HttpServer::serve(beast::tcp_stream stream) {
    Session session{&stream, false};
    sessions_.insert(&session);
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
        // A fresh parser per request: body_limit applies per message, not per connection. The
        // head is read first under the largest limit of any route (Beast checks a
        // Content-Length against the limit as the head ends), then held to its own route's.
        http::request_parser<http::string_body> parser;
        parser.body_limit(std::max(options_.body_limit, router_.largest_body_limit()));
        stream.expires_after(options_.read_timeout);
        co_await http::async_read_header(stream, buffer, parser,
                                         asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            const auto route = router_.match(parser.get().method(), parser.get().target());
            const std::size_t limit = route.body_limit.value_or(options_.body_limit);
            if (parser.content_length() && *parser.content_length() > limit) {
                ec = http::error::body_limit;
            } else {
                parser.body_limit(limit);
                co_await http::async_read(stream, buffer, parser,
                                          asio::redirect_error(asio::use_awaitable, ec));
            }
        }
        if (ec && ec != http::error::body_limit && parser.is_header_done() && !stopping_) {
            // The client sent a head but not the body it announced: a truncated or stalled
            // request. Nothing of it is used; say why in the log.
            spdlog::warn("refused request to {}: body incomplete ({})",
                         std::string(parser.get().target()), ec.message());
            metrics_.count_refused("truncated_body");
            break;
        }
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
            ec == asio::error::bad_descriptor || (stopping_ && ec)) {
            break;
        }
        if (ec) {
            const bool too_large = ec == http::error::body_limit || ec == http::error::header_limit;
            const auto status =
                too_large ? http::status::payload_too_large : http::status::bad_request;
            const std::string reason = too_large ? "body_too_large" : "malformed_http";
            spdlog::warn("refused request from {}: {} ({})",
                         stream.socket().remote_endpoint(ec).address().to_string(), reason,
                         ec.message());
            metrics_.count_refused(reason);
            metrics_.count_request("unparsed", static_cast<unsigned>(status));
            Request stub;
            stub.version(11);
            Response response = json_error(
                stub, status, reason,
                too_large ? "body exceeds the configured limit" : "request is not valid HTTP/1.1");
            response.keep_alive(false);
            stream.expires_after(options_.read_timeout);
            co_await http::async_write(stream, response,
                                       asio::redirect_error(asio::use_awaitable, ec));
            break;
        }
        session.busy = true;
        Request request = parser.release();
        Response response = co_await dispatch(request);
        response.keep_alive(request.keep_alive() && !stopping_);
        stream.expires_after(options_.read_timeout);
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        session.busy = false;
        if (ec || !response.keep_alive()) {
            break;
        }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    sessions_.erase(&session);
}

asio::awaitable<Response> HttpServer::dispatch(const Request& request) {
    const Router::Match match = router_.match(request.method(), request.target());
    Response response;
    if (!match.handler) {
        response =
            json_error(request, match.status,
                       match.status == http::status::not_found ? "not_found" : "method_not_allowed",
                       std::string(path_of(request.target())));
    } else {
        try {
            response = co_await (*match.handler)(request);
        } catch (const std::exception& e) {
            // A handler bug must not take the server down; the sender gets 500 and retries.
            spdlog::error("handler for {} threw: {}", match.route, e.what());
            response = json_error(request, http::status::internal_server_error, "internal_error",
                                  "the request could not be handled");
        }
    }
    metrics_.count_request(match.route, response.result_int());
    co_return response;
}

}  // namespace ledgerbot::app::http
