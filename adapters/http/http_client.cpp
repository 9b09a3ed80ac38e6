#include "adapters/http/http_client.hpp"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <system_error>

#include "adapters/http/connection_pool.hpp"
#include "adapters/http/pooled_connection.hpp"

namespace ledgerbot::adapters::http_client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Result = boost::outcome_v2::std_result<HttpResult>;

namespace {

std::string_view default_port(std::string_view scheme) {
    return scheme == "https" ? "443" : "80";
}

/// Beast reports an expired deadline as its own `timeout` and a cancelled resolve as
/// `operation_aborted`, and an answer over the body limit as its `body_limit`; callers compare
/// against portable values instead.
std::error_code to_std(const beast::error_code& ec, bool deadline_passed) {
    if (ec == beast::error::timeout || (deadline_passed && ec == asio::error::operation_aborted)) {
        return std::make_error_code(std::errc::timed_out);
    }
    if (ec == beast::http::error::body_limit) {
        return std::make_error_code(std::errc::file_too_large);
    }
    return ec;
}

bool is_ip_literal(const std::string& host) {
    beast::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

http::request<http::string_body> make_request(Method method, const Url& url,
                                              const std::vector<Header>& headers,
                                              const std::string& body, bool keep_alive) {
    http::request<http::string_body> request{
        method == Method::get ? http::verb::get : http::verb::post, url.target, 11};
    request.set(http::field::host, url.host_header());
    request.set(http::field::user_agent, "ledgerbot");
    if (method == Method::post) {
        request.set(http::field::content_type, "application/json; charset=utf-8");
    }
    for (const auto& header : headers) {
        request.set(header.name, header.value);
    }
    // Without a pool the connection serves one request: say so, so the server closes instead of
    // waiting for more.
    request.keep_alive(keep_alive);
    if (method == Method::post || !body.empty()) {
        request.body() = body;
        request.prepare_payload();
    }
    return request;
}

struct Exchanged {
    Result result;
    /// The answer was complete, nothing followed it, and neither side asked to close.
    bool reusable = false;
};

/// Write the request and read one response on an established stream (plain or TLS). The
/// stream's deadline, set by the caller, bounds both.
template <class Stream>
asio::awaitable<Exchanged> exchange(Stream& stream, const http::request<http::string_body>& request,
                                    std::size_t body_limit) {
    beast::error_code ec;
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return Exchanged{to_std(ec, false)};
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return Exchanged{to_std(ec, false)};
    }
    // The parser's keep_alive, not the header's: a body that ends when the server closes also
    // ends the connection.
    const bool reusable = request.keep_alive() && parser.keep_alive() && buffer.size() == 0;
    HttpResult result{parser.get().result_int(), std::move(parser.get().body()), {}};
    for (const auto& field : parser.get()) {
        result.headers.push_back(
            Header{std::string(field.name_string()), std::string(field.value())});
    }
    co_return Exchanged{std::move(result), reusable};
}

asio::awaitable<Exchanged> exchange_on(PooledConnection& connection,
                                       const http::request<http::string_body>& request,
                                       std::size_t body_limit,
                                       std::chrono::steady_clock::time_point deadline) {
    connection.lowest().expires_at(deadline);
    if (connection.plain) {
        co_return co_await exchange(*connection.plain, request, body_limit);
    }
    co_return co_await exchange(*connection.tls, request, body_limit);
}

/// The peer closed or reset the connection, the way a server drops a kept one it considers idle.
/// Boost's codes become std ones through a category wrapper: compare after the same conversion.
bool closed_under(const std::error_code& error) {
    for (const beast::error_code closed :
         {beast::error_code(http::error::end_of_stream), beast::error_code(asio::error::eof),
          beast::error_code(asio::error::connection_reset),
          beast::error_code(asio::error::broken_pipe),
          beast::error_code(ssl::error::stream_truncated)}) {
        if (error == std::error_code(closed)) {
            return true;
        }
    }
    return false;
}

using Opened = boost::outcome_v2::std_result<std::unique_ptr<PooledConnection>>;

/// Resolves, connects and, for https (`tls` set), completes the handshake, all by `deadline`.
asio::awaitable<Opened> open(const asio::any_io_executor& executor, const Url& url,
                             ssl::context* tls, std::chrono::steady_clock::time_point deadline) {
    beast::error_code ec;
    // The resolver has no deadline of its own; a timer cancels it. Both live in shared state so
    // a timer firing just as the resolve completes never touches a destroyed resolver.
    auto resolver = std::make_shared<tcp::resolver>(executor);
    asio::steady_timer resolve_timer(executor, deadline);
    resolve_timer.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver)](beast::error_code e) {
        if (auto alive = weak.lock(); alive && !e) {
            alive->cancel();
        }
    });
    auto endpoints = co_await resolver->async_resolve(
        url.host, url.port, asio::redirect_error(asio::use_awaitable, ec));
    resolve_timer.cancel();
    if (ec) {
        co_return to_std(ec, std::chrono::steady_clock::now() >= deadline);
    }

    auto connection = std::make_unique<PooledConnection>();
    if (tls == nullptr) {
        connection->plain = std::make_unique<beast::tcp_stream>(executor);
        connection->plain->expires_at(deadline);
        co_await connection->plain->async_connect(endpoints,
                                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return to_std(ec, false);
        }
        co_return std::move(connection);
    }

    connection->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, *tls);
    auto& stream = *connection->tls;
    // SNI lets a shared front end pick the right certificate; RFC 6066 forbids it for IP literals.
    if (!is_ip_literal(url.host) &&
        SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()) != 1) {
        const auto error = static_cast<int>(::ERR_get_error());
        co_return error != 0
            ? std::error_code(beast::error_code(error, asio::error::get_ssl_category()))
            : std::make_error_code(std::errc::invalid_argument);
    }
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::host_name_verification(url.host));
    beast::get_lowest_layer(stream).expires_at(deadline);
    co_await beast::get_lowest_layer(stream).async_connect(
        endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return to_std(ec, false);
    }
    co_await stream.async_handshake(ssl::stream_base::client,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return to_std(ec, false);
    }
    co_return std::move(connection);
}

/// A kept connection belongs to its io_context and, for https, to the TLS settings that
/// verified its peer; host name checks were made for the origin's host.
std::string pool_key(const asio::any_io_executor& executor, const Url& url,
                     const ssl::context* tls) {
    const auto* context = &asio::query(executor, asio::execution::context);
    return url.origin() + " " + std::to_string(reinterpret_cast<std::uintptr_t>(context)) + " " +
           std::to_string(reinterpret_cast<std::uintptr_t>(tls));
}

}  // namespace

std::string HttpResult::header(std::string_view name) const {
    for (const auto& field : headers) {
        if (beast::iequals(field.name, name)) {
            return field.value;
        }
    }
    return {};
}

std::string Url::host_header() const {
    const bool v6 = host.find(':') != std::string::npos;
    std::string out = v6 ? "[" + host + "]" : host;
    if (port != default_port(scheme)) {
        out += ":" + port;
    }
    return out;
}

std::string Url::origin() const {
    return scheme + "://" + host_header();
}

std::optional<Url> parse_url(std::string_view url) {
    Url out;
    if (url.starts_with("http://")) {
        out.scheme = "http";
        url.remove_prefix(7);
    } else if (url.starts_with("https://")) {
        out.scheme = "https";
        url.remove_prefix(8);
    } else {
        return std::nullopt;
    }
    if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) {
        url = url.substr(0, hash);
    }
    const std::size_t end = url.find_first_of("/?");
    const std::string_view authority = url.substr(0, end);
    const std::string_view rest = end == std::string_view::npos ? "" : url.substr(end);
    if (authority.find('@') != std::string_view::npos) {
        return std::nullopt;
    }
    out.target =
        rest.empty() ? "/" : (rest.front() == '?' ? "/" + std::string(rest) : std::string(rest));
    std::string_view port_part;
    if (authority.starts_with("[")) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        out.host = std::string(authority.substr(1, close - 1));
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return std::nullopt;
            }
            port_part = after.substr(1);
            if (port_part.empty()) {
                return std::nullopt;
            }
        }
    } else {
        const std::size_t colon = authority.rfind(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_part = authority.substr(colon + 1);
            if (port_part.empty()) {
                return std::nullopt;
            }
        }
    }
    if (out.host.empty()) {
        return std::nullopt;
    }
    if (port_part.empty()) {
        out.port = std::string(default_port(out.scheme));
    } else {
        if (port_part.size() > 5 ||
            port_part.find_first_not_of("0123456789") != std::string_view::npos ||
            std::stoi(std::string(port_part)) > 65535) {
            return std::nullopt;
        }
        out.port = std::string(port_part);
    }
    return out;
}

ssl::context& default_tls_context() {
    static ssl::context context = [] {
        ssl::context ctx(ssl::context::tls_client);
        // TLS 1.0/1.1 are deprecated (RFC 8996); WeCom's API speaks 1.2 and 1.3.
        ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        ctx.set_default_verify_paths();
        ctx.set_verify_mode(ssl::verify_peer);
        return ctx;
    }();
    return context;
}

asio::awaitable<Result> request(const asio::any_io_executor& executor, Method method,
                                const Url& url, const std::vector<Header>& headers,
                                const std::string& body, const RequestOptions& options) {
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    ConnectionPool* pool = options.pool;
    const auto request_message = make_request(method, url, headers, body, pool != nullptr);
    ssl::context* tls = nullptr;
    if (url.tls()) {
        tls = options.tls != nullptr ? options.tls : &default_tls_context();
    }
    std::string key;
    if (pool != nullptr) {
        key = pool_key(executor, url, tls);
        if (auto kept = pool->take(key)) {
            auto outcome =
                co_await exchange_on(*kept, request_message, options.response_body_limit, deadline);
            if (outcome.reusable) {
                pool->put(key, std::move(kept));
            } else {
                kept->close();
            }
            // A server may close a kept connection just as the request goes out on it. Whether
            // it read the request first cannot be told, so only a GET is sent again: a POST
            // (a message sent, a file uploaded) could happen twice. Its caller retries later.
            // Only a closed connection is a reason: a timeout, or an answer over the limit,
            // would come back the same.
            if (outcome.result || method != Method::get || !closed_under(outcome.result.error())) {
                co_return std::move(outcome.result);
            }
        }
    }
    auto opened = co_await open(executor, url, tls, deadline);
    if (!opened) {
        co_return opened.error();
    }
    std::unique_ptr<PooledConnection> connection = std::move(opened.value());
    if (pool != nullptr) {
        pool->count_opened();
    }
    auto outcome =
        co_await exchange_on(*connection, request_message, options.response_body_limit, deadline);
    if (pool != nullptr && outcome.reusable) {
        pool->put(key, std::move(connection));
    } else {
        connection->close();
    }
    co_return std::move(outcome.result);
}

asio::awaitable<Result> post(const asio::any_io_executor& executor, const Url& url,
                             const std::vector<Header>& headers, const std::string& body,
                             std::chrono::milliseconds timeout) {
    RequestOptions options;
    options.timeout = timeout;
    co_return co_await request(executor, Method::post, url, headers, body, options);
}

asio::awaitable<Result> get(const asio::any_io_executor& executor, const Url& url,
                            const std::vector<Header>& headers, std::chrono::milliseconds timeout) {
    RequestOptions options;
    options.timeout = timeout;
    const std::string no_body;
    co_return co_await request(executor, Method::get, url, headers, no_body, options);
}

std::string percent_encode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                                byte == '_' || byte == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

}  // namespace ledgerbot::adapters::http_client
