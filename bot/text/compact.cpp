#include "bot/text/compact.hpp"

#include "bot/text/text.hpp"

namespace ledgerbot::bot::text {

std::u32string compact(std::string_view input) {
    std::u32string out;
    for (char32_t cp : text::decode_utf8(input)) {
        cp = text::fold_width(cp);
        if (is_space(cp)) {
            continue;
        }
        out.push_back(cp);
    }
    return out;
}

bool ends_with(std::u32string_view text, std::u32string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::u32string_view text, std::u32string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::u32string_view trim_any(std::u32string_view text, std::u32string_view set) {
    while (!text.empty() && set.find(text.front()) != std::u32string_view::npos) {
        text.remove_prefix(1);
    }
    while (!text.empty() && set.find(text.back()) != std::u32string_view::npos) {
        text.remove_suffix(1);
    }
    return text;
}

std::u32string first_code_points(const std::vector<std::string>& entries) {
    std::u32string out;
    for (const auto& entry : entries) {
        const std::u32string folded = compact(entry);
        if (!folded.empty()) {
            out.push_back(folded.front());
        }
    }
    return out;
}

}  // namespace ledgerbot::bot::text
