#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/outcome.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace ledgerbot::adapters::http_client {

class ConnectionPool;

struct Url {
    std::string scheme;  ///< "http" or "https"
    std::string host;    ///< without IPv6 brackets
    std::string port;
    std::string target;  ///< path + query, never empty

    bool tls() const { return scheme == "https"; }
    /// The Host header value: the port only when it is not the scheme's default.
    std::string host_header() const;
    /// scheme://host[:port], for comparing origins.
    std::string origin() const;
};

/// Splits `http[s]://host[:port][/path][?query]` (IPv6 hosts in brackets). A fragment is dropped.
/// Returns nullopt for anything else, including user info (`user@host`), which a service URL
/// never needs and which hides the real host from a reader.
std::optional<Url> parse_url(std::string_view url);

struct Header {
    std::string name;
    std::string value;
};

struct HttpResult {
    unsigned status = 0;
    std::string body;
    std::vector<Header> headers;

    /// The first header of that name (case-insensitive), "" when absent.
    std::string header(std::string_view name) const;
};

enum class Method { get, post };

struct RequestOptions {
    /// One deadline for resolve, connect, TLS handshake, write and read together.
    std::chrono::milliseconds timeout{10000};
    /// TLS settings for https:// URLs; nullptr means default_tls_context().
    boost::asio::ssl::context* tls = nullptr;
    std::size_t response_body_limit = 8 << 20;
    /// Where to take a kept connection from and put it back after a complete answer; nullptr
    /// means one connection per request, closed after it. Must outlive the request.
    ConnectionPool* pool = nullptr;
};

/// The TLS client context used for https:// unless a request names another: TLS 1.2 or later,
/// the system CA store, peer verification. Host names are checked per connection. Created on
/// first use; safe to share between threads because it is never modified afterwards.
boost::asio::ssl::context& default_tls_context();

/// One request over a fresh connection (plain TCP or TLS by the URL's scheme), or over a kept one
/// from `options.pool`. A GET that fails on a kept connection is sent once more on a fresh one;
/// any other request is not, because the server may have acted on it. Network, TLS and
/// timeout failures are returned as error codes, never thrown; a timeout is
/// std::errc::timed_out, an answer over response_body_limit std::errc::file_too_large. Any HTTP
/// status is a success here — the caller judges it.
/// Arguments are references to objects the caller keeps alive across the co_await (no
/// temporaries in co_await expressions: GCC 12 can destroy those twice).
boost::asio::awaitable<boost::outcome_v2::std_result<HttpResult>> request(
    const boost::asio::any_io_executor& executor, Method method, const Url& url,
    const std::vector<Header>& headers, const std::string& body, const RequestOptions& options);

/// POST with a JSON content type and default options but `timeout`.
boost::asio::awaitable<boost::outcome_v2::std_result<HttpResult>> post(
    const boost::asio::any_io_executor& executor, const Url& url,
    const std::vector<Header>& headers, const std::string& body, std::chrono::milliseconds timeout);

/// GET with default options but `timeout`.
boost::asio::awaitable<boost::outcome_v2::std_result<HttpResult>> get(
    const boost::asio::any_io_executor& executor, const Url& url,
    const std::vector<Header>& headers, std::chrono::milliseconds timeout);

/// Percent-encodes everything but RFC 3986 unreserved characters, for query values.
std::string percent_encode(std::string_view value);

}  // namespace ledgerbot::adapters::http_client
