#include "app/console/console_request.hpp"

#include <charconv>

#include "app/http/form_data.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::app::console {

bool is_token(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string safe_next(std::string_view next) {
    if (!next.starts_with("/console/") || next.starts_with("//") ||
        next.find('\\') != std::string_view::npos || next.find("/..") != std::string_view::npos ||
        !bot::text::is_valid_utf8(next)) {
        return kConsoleHome;
    }
    for (const char c : next) {
        if (static_cast<unsigned char>(c) < 0x20) {
            return kConsoleHome;
        }
    }
    return std::string(next);
}

std::string form_value(const std::map<std::string, std::string>& form, const char* name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string{} : it->second;
}

std::optional<std::int64_t> positive_value(const std::map<std::string, std::string>& form,
                                           const char* name) {
    const std::string text = form_value(form, name);
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end != text.data() + text.size() || number <= 0) {
        return std::nullopt;
    }
    return number;
}

std::map<std::string, std::string> query_fields(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) {
        return {};
    }
    return http::parse_form(target.substr(question + 1))
        .value_or(std::map<std::string, std::string>{});
}

}  // namespace ledgerbot::app::console
