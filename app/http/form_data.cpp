#include "app/http/form_data.hpp"

#include <uriparser/Uri.h>

#include <memory>
#include <vector>

#include "bot/text/text.hpp"

namespace ledgerbot::app::http {

std::optional<std::map<std::string, std::string>> parse_form(std::string_view text) {
    std::map<std::string, std::string> out;
    if (text.empty()) {
        return out;
    }
    UriQueryListA* list = nullptr;
    int count = 0;
    if (uriDissectQueryMallocA(&list, &count, text.data(), text.data() + text.size()) !=
        URI_SUCCESS) {
        return std::nullopt;
    }
    std::unique_ptr<UriQueryListA, decltype(&uriFreeQueryListA)> owned(list, uriFreeQueryListA);
    for (const UriQueryListA* item = list; item != nullptr; item = item->next) {
        std::string key = item->key != nullptr ? item->key : "";
        std::string value = item->value != nullptr ? item->value : "";
        if (!bot::text::is_valid_utf8(key) || !bot::text::is_valid_utf8(value)) {
            return std::nullopt;
        }
        out.emplace(std::move(key), std::move(value));
    }
    return out;
}

std::string encode_query_value(std::string_view text) {
    // uriEscapeExA writes at most 6 bytes per input byte (with normalized line breaks).
    std::vector<char> buffer(text.size() * 6 + 1);
    const char* end = uriEscapeExA(text.data(), text.data() + text.size(), buffer.data(),
                                   URI_FALSE /* spaceToPlus */, URI_FALSE /* normalizeBreaks */);
    return std::string(static_cast<const char*>(buffer.data()), end);
}

std::map<std::string, std::string> parse_cookies(std::string_view header) {
    std::map<std::string, std::string> out;
    while (!header.empty()) {
        const auto end = header.find(';');
        std::string_view pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        while (!pair.empty() && pair.back() == ' ') {
            pair.remove_suffix(1);
        }
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            continue;
        }
        std::string_view value = pair.substr(equals + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        out.emplace(std::string(pair.substr(0, equals)), std::string(value));
    }
    return out;
}

}  // namespace ledgerbot::app::http
