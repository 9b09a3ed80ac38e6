#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace ledgerbot::app::http {

// Beast's HTTP names (http::verb, http::status, http::field) are used through this namespace.
using namespace boost::beast::http;  // NOLINT(google-build-using-namespace)
using Request = request<string_body>;
using Response = response<string_body>;
using Handler = std::function<boost::asio::awaitable<Response>(const Request&)>;

/// A response with the request's version, the given status, content type and body.
Response make_response(const Request& request, http::status status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
/// `{"error": name, "detail": detail}` as application/json.
Response json_error(const Request& request, http::status status, std::string_view name,
                    std::string_view detail);
/// The request target without its query string.
std::string_view path_of(std::string_view target);
/// The query string of a target (without '?'), empty when there is none.
std::string_view query_of(std::string_view target);

}  // namespace ledgerbot::app::http
