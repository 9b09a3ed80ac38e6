#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/outcome.hpp>

#include <chrono>
#include <optional>
#include <string_view>
#include <cstdint>
#include <string>
#include <vector>

namespace ledgerbot::adapters::http_client {

struct Url {
    std::string scheme;  ///< http (https comes with the WeCom API client)
    std::string host;
    std::string port;
    std::string target;  ///< path + query
};

/// Splits `http://host[:port]/path?query`. Returns nullopt for anything else.
std::optional<Url> parse_url(std::string_view url);

struct HttpResult {
    unsigned status = 0;
    std::string body;
};

struct Header {
    std::string name;
    std::string value;
};

/// One POST over a fresh connection with a deadline covering connect, write and read.
/// Network failures are returned as error codes, never thrown.
boost::asio::awaitable<boost::outcome_v2::std_result<HttpResult>> post(
    boost::asio::any_io_executor executor, const Url& url, std::vector<Header> headers,
    std::string body, std::chrono::milliseconds timeout);

}  // namespace ledgerbot::adapters::http_client
