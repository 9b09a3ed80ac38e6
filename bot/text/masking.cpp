#include "bot/text/masking.hpp"

#include <regex>
#include <vector>

#include "bot/text/phone_number.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::text {
namespace {

// Mainland area codes are three digits for Beijing (010) and the 02x cities and four digits
// everywhere else; the number after it is 7 or 8 digits.
std::size_t area_code_length(std::string_view digits) {
    return digits.size() > 1 && (digits[1] == '1' || digits[1] == '2') ? 3 : 4;
}

// One phone number as written (`+86 138-1234-5678`, `0951-5012345`) in its masked form: a
// country code and the separator after an area code stay as written, the rest is the number
// masked by mask_phone.
std::u32string masked_number(std::u32string_view written, std::u32string_view folded,
                             const std::string& number) {
    std::vector<std::size_t> digits;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        if (is_digit(folded[i])) {
            digits.push_back(i);
        }
    }
    const std::size_t country = digits.size() - number.size();  // 86 / 0086 as typed
    std::u32string out(written.substr(0, digits[country]));
    const std::u32string masked = decode_utf8(mask_phone(number));
    if (number.front() == '1') {
        return out + masked;
    }
    const std::size_t area = area_code_length(number);
    const std::size_t last_area_digit = digits[country + area - 1];
    const std::size_t first_local_digit = digits[country + area];
    out += masked.substr(0, area);
    out += written.substr(last_area_digit + 1, first_local_digit - last_area_digit - 1);
    out += masked.substr(area);
    return out;
}

}  // namespace

std::string mask_phone(std::string_view digits) {
    if (digits.size() <= 7) {
        return std::string(digits.size(), '*');
    }
    const std::size_t keep_front = digits.front() == '0' ? area_code_length(digits) : 3;
    const std::size_t keep_back = 4;
    return std::string(digits.substr(0, keep_front)) +
           std::string(digits.size() - keep_front - keep_back, '*') +
           std::string(digits.substr(digits.size() - keep_back));
}

std::string mask_sensitive(std::string_view text) {
    static const std::regex kIdNumber(R"(\b(\d{6})\d{8}(\d{3}[\dXx])\b)");
    // ID numbers first: their digits would otherwise be read as a run too long to be a phone.
    const std::u32string written =
        decode_utf8(std::regex_replace(std::string(text), kIdNumber, "$1********$2"));
    const std::u32string folded = fold_width(written);
    // Phone numbers as the report parser reads them (phone_number::scan), so what the bot
    // understands as a phone is exactly what it masks.
    std::u32string out;
    std::size_t copied = 0;
    for (const phone_number::Candidate& found : phone_number::scan(folded)) {
        if (!found.valid) {
            continue;
        }
        out += written.substr(copied, found.begin - copied);
        out += masked_number(
            written.substr(found.begin, found.end - found.begin),
            std::u32string_view(folded).substr(found.begin, found.end - found.begin), *found.valid);
        copied = found.end;
    }
    out += written.substr(copied);
    return encode_utf8(out);
}

}  // namespace ledgerbot::bot::text
