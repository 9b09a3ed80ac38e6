#include "bot/text/message_header.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "bot/text/text.hpp"

namespace ledgerbot::bot::text {

std::optional<std::string> text_after_header(std::string_view text,
                                             const std::vector<std::string>& headers) {
    const std::string trimmed = text::trim(text);
    for (const auto& header : headers) {
        for (const auto& [open, close] :
             {std::pair<std::string, std::string>{"【", "】"}, {"[", "]"}, {"［", "］"}}) {
            const std::string opening = open + header + close;
            if (text::starts_with(trimmed, opening)) {
                return text::trim(std::string_view(trimmed).substr(opening.size()));
            }
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_numbered_id(std::string_view word, char prefix) {
    std::string text = text::to_half_width(text::trim(word));
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(prefix)));
    if (text.empty() || (text[0] != prefix && text[0] != lower)) {
        return std::nullopt;
    }
    text.erase(0, 1);
    if (!text.empty() && text[0] == '-') {
        text.erase(0, 1);
    }
    if (text.empty() || text.size() > 12 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return std::nullopt;
    }
    return std::stoll(text);
}

std::optional<LeadingId> split_leading_id(std::string_view text, char prefix) {
    const std::u32string typed = text::decode_utf8(text::trim(text));
    // Letters, digits and '-' fold one to one, so an index into the folded id is one into the
    // typed text too; the rest is kept as typed.
    const std::u32string folded = text::fold_width(typed);
    std::size_t end = 0;
    if (end < folded.size() && text::is_ascii_letter(folded[end])) {
        ++end;
    }
    if (end < folded.size() && folded[end] == U'-') {
        ++end;
    }
    while (end < folded.size() && text::is_digit(folded[end])) {
        ++end;
    }
    const auto number = parse_numbered_id(text::encode_utf8(folded.substr(0, end)), prefix);
    if (!number) {
        return std::nullopt;
    }
    // What follows, as typed but for a separating colon or comma.
    std::u32string rest = end <= typed.size() ? typed.substr(end) : std::u32string{};
    while (!rest.empty() &&
           (text::is_space(rest.front()) || rest.front() == U':' || rest.front() == U'：' ||
            rest.front() == U',' || rest.front() == U'，' || rest.front() == U'、')) {
        rest.erase(0, 1);
    }
    return LeadingId{*number, text::trim(text::encode_utf8(rest))};
}

}  // namespace ledgerbot::bot::text
