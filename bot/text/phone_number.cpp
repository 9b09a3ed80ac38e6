#include "bot/text/phone_number.hpp"

#include "bot/text/text.hpp"

namespace ledgerbot::bot::text::phone_number {
namespace {

bool is_inner_separator(char32_t c) {
    return c == U'-' || c == U'(' || c == U')' || c == U'—' || c == U'–' || c == U'.';
}

// Numbers longer than this are not phone numbers (IDs, account numbers) and are not split.
constexpr std::size_t kMaxRunDigits = 24;

struct Group {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string digits;
};

}  // namespace

std::optional<std::string> validate_digits(std::string_view digits) {
    std::string d(digits);
    if (d.size() == 15 && d.starts_with("0086")) {
        d.erase(0, 4);
    } else if (d.size() == 13 && d.starts_with("86")) {
        d.erase(0, 2);
    }
    if (d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
        return d;
    }
    if (d.size() >= 11 && d.size() <= 12 && d[0] == '0' && d[1] != '0') {
        // Beijing (010) and the 02x cities have 3-digit area codes and 8-digit numbers.
        const bool short_area = d[1] == '1' || d[1] == '2';
        if (!short_area || d.size() == 11) {
            return d;
        }
    }
    return std::nullopt;
}

std::vector<Candidate> scan(std::u32string_view text) {
    std::vector<Candidate> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const bool plus = text[pos] == U'+' && pos + 1 < text.size() && is_digit(text[pos + 1]);
        const bool open = text[pos] == U'(' && pos + 1 < text.size() && is_digit(text[pos + 1]);
        if (!is_digit(text[pos]) && !plus && !open) {
            ++pos;
            continue;
        }
        // A run: digit groups separated by single spaces; inside a group, digits and the
        // separators people put in numbers. A decimal point ends the run when it is a decimal.
        std::vector<Group> groups;
        std::size_t p = pos;
        std::size_t total = 0;
        while (p < text.size()) {
            Group g;
            g.begin = p;
            if (text[p] == U'+' || text[p] == U'(') {
                ++p;
            }
            while (p < text.size() &&
                   (is_digit(text[p]) || (is_inner_separator(text[p]) && p + 1 < text.size() &&
                                          (is_digit(text[p + 1]) || text[p + 1] == U'(')))) {
                if (is_digit(text[p])) {
                    g.digits.push_back(static_cast<char>(text[p]));
                }
                ++p;
            }
            if (p < text.size() && text[p] == U')') {
                ++p;
            }
            g.end = p;
            if (g.digits.empty()) {
                break;
            }
            total += g.digits.size();
            groups.push_back(std::move(g));
            if (p + 1 < text.size() && text[p] == U' ' &&
                (is_digit(text[p + 1]) || text[p + 1] == U'(')) {
                ++p;
                continue;
            }
            break;
        }
        pos = groups.empty() ? pos + 1 : groups.back().end;
        if (groups.empty() || total < 7) {
            continue;
        }
        std::string all;
        for (const auto& g : groups) {
            all += g.digits;
        }
        if (total > kMaxRunDigits) {
            out.push_back({groups.front().begin, groups.back().end, all, std::nullopt});
            continue;
        }
        // From each group, join following groups until a valid number forms; 13 digits is the
        // longest a number with a country code can have.
        bool any_valid = false;
        std::size_t k = 0;
        while (k < groups.size()) {
            std::string joined;
            std::optional<std::size_t> found;
            for (std::size_t j = k; j < groups.size() && joined.size() < 15; ++j) {
                joined += groups[j].digits;
                if (validate_digits(joined)) {
                    found = j;
                    break;
                }
            }
            if (found) {
                out.push_back(
                    {groups[k].begin, groups[*found].end, joined, validate_digits(joined)});
                any_valid = true;
                k = *found + 1;
            } else {
                ++k;
            }
        }
        if (!any_valid) {
            out.push_back({groups.front().begin, groups.back().end, all, std::nullopt});
        }
    }
    return out;
}

}  // namespace ledgerbot::bot::text::phone_number
