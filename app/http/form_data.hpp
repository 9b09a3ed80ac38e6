#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ledgerbot::app::http {

/// The fields of a query string or an application/x-www-form-urlencoded body, decoded by
/// uriparser ('+' is a space). A repeated name keeps its first value. nullopt when the text is
/// not valid form data or a value is not valid UTF-8.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view text);

/// `text` percent-encoded for a query value (uriparser, RFC 3986 unreserved characters kept).
std::string encode_query_value(std::string_view text);

/// The cookies of a Cookie header (`a=1; b=2`). A repeated name keeps its first value, which
/// browsers send for the most specific path.
std::map<std::string, std::string> parse_cookies(std::string_view header);

}  // namespace ledgerbot::app::http
