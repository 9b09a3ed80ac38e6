#include "adapters/http/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace ledgerbot::adapters::http_client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::optional<Url> parse_url(std::string_view url) {
    constexpr std::string_view kHttp = "http://";
    if (url.substr(0, kHttp.size()) != kHttp) {
        return std::nullopt;
    }
    url.remove_prefix(kHttp.size());
    const std::size_t slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    Url out;
    out.scheme = "http";
    out.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        out.host = std::string(authority.substr(0, colon));
        out.port = std::string(authority.substr(colon + 1));
    } else {
        out.host = std::string(authority);
        out.port = "80";
    }
    if (out.host.empty() || out.port.empty()) {
        return std::nullopt;
    }
    return out;
}

asio::awaitable<boost::outcome_v2::std_result<HttpResult>> post(
    asio::any_io_executor executor, const Url& url, std::vector<Header> headers, std::string body,
    std::chrono::milliseconds timeout) {
    beast::error_code ec;
    asio::ip::tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(url.host, url.port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return std::error_code(ec);
    }
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return std::error_code(ec);
    }
    http::request<http::string_body> request{http::verb::post, url.target, 11};
    request.set(http::field::host, url.host);
    request.set(http::field::user_agent, "ledgerbot");
    request.set(http::field::content_type, "application/json; charset=utf-8");
    for (auto& header : headers) {
        request.set(header.name, header.value);
    }
    request.body() = std::move(body);
    request.prepare_payload();
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return std::error_code(ec);
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(8 << 20);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return std::error_code(ec);
    }
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return HttpResult{parser.get().result_int(), parser.get().body()};
}

}  // namespace ledgerbot::adapters::http_client
