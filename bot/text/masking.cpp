#include "bot/text/masking.hpp"

#include <regex>

namespace ledgerbot::bot::text {
namespace {

// Mainland area codes are three digits for Beijing (010) and the 02x cities and four digits
// everywhere else; the number after it is 7 or 8 digits.
std::size_t area_code_length(std::string_view digits) {
    return digits.size() > 1 && (digits[1] == '1' || digits[1] == '2') ? 3 : 4;
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
    static const std::regex id_number(R"(\b(\d{6})\d{8}(\d{3}[\dXx])\b)");
    // The same shapes the report parser accepts as phone numbers: an optional +86, a mobile
    // with optional separators, or a landline with its area code.
    static const std::regex mobile(
        R"((^|\D)((?:\+?86[- ]?)?1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d))");
    static const std::regex landline_8(R"((^|\D)(0[12]\d|0[3-9]\d{2})([- ]?)\d{4}(\d{4})(?!\d))");
    static const std::regex landline_7(R"((^|\D)(0[12]\d|0[3-9]\d{2})([- ]?)\d{3}(\d{4})(?!\d))");
    std::string out = std::regex_replace(std::string(text), id_number, "$1********$2");
    out = std::regex_replace(out, mobile, "$1$2****$3");
    out = std::regex_replace(out, landline_8, "$1$2$3****$4");
    out = std::regex_replace(out, landline_7, "$1$2$3***$4");
    return out;
}

}  // namespace ledgerbot::bot::text
