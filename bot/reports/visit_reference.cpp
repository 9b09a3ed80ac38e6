#include "bot/reports/visit_reference.hpp"

#include "bot/text/text.hpp"

namespace ledgerbot::bot::reports {
namespace {

// More digits than any ledger will reach, and few enough never to overflow an int64.
constexpr std::size_t kMaxDigits = 12;

bool is_ascii_alnum(char32_t c) {
    return text::is_digit(c) || text::is_ascii_letter(c) || c == U'_';
}

using text::is_digit;

struct Match {
    std::int64_t number = 0;
    std::size_t end = 0;
};

// A record id starting at `pos` of width-folded text: V or v, an optional dash, digits, and no
// letter or digit right after (V12a is a model name, not a record).
std::optional<Match> match_at(std::u32string_view f, std::size_t pos) {
    if (pos >= f.size() || (f[pos] != U'V' && f[pos] != U'v')) {
        return std::nullopt;
    }
    std::size_t i = pos + 1;
    if (i < f.size() && (f[i] == U'-' || f[i] == U'\u2014' || f[i] == U'\u2013')) {
        ++i;
    }
    const std::size_t digits_begin = i;
    std::int64_t number = 0;
    while (i < f.size() && is_digit(f[i]) && i - digits_begin < kMaxDigits) {
        number = number * 10 + static_cast<std::int64_t>(f[i] - U'0');
        ++i;
    }
    if (i == digits_begin || (i < f.size() && is_ascii_alnum(f[i])) || number == 0) {
        return std::nullopt;
    }
    return Match{number, i};
}

bool is_separator(char32_t c) {
    return text::is_space(c) || c == U':' || c == U',' || c == U'，' || c == U'、';
}

}  // namespace

std::optional<VisitReference> leading_visit_reference(std::string_view text) {
    const std::u32string original = text::decode_utf8(text);
    const std::u32string folded = text::fold_width(original);
    std::size_t pos = 0;
    while (pos < folded.size() && is_separator(folded[pos])) {
        ++pos;
    }
    const auto match = match_at(folded, pos);
    if (!match) {
        return std::nullopt;
    }
    std::size_t rest = match->end;
    while (rest < folded.size() && is_separator(folded[rest])) {
        ++rest;
    }
    return VisitReference{match->number,
                          text::encode_utf8(std::u32string_view(original).substr(rest))};
}

std::optional<std::int64_t> find_visit_reference(std::string_view text) {
    const std::u32string folded = text::fold_width(text::decode_utf8(text));
    for (std::size_t pos = 0; pos < folded.size(); ++pos) {
        if (pos > 0 && is_ascii_alnum(folded[pos - 1])) {
            continue;
        }
        if (const auto match = match_at(folded, pos)) {
            return match->number;
        }
    }
    return std::nullopt;
}

}  // namespace ledgerbot::bot::reports
