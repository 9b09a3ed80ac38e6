#include "bot/masking.hpp"

#include <regex>

namespace ledgerbot::bot {

std::string mask_phone(std::string_view digits) {
    if (digits.size() <= 7) {
        return std::string(digits.size(), '*');
    }
    const std::size_t keep_front = digits.front() == '0' ? (digits.size() >= 11 ? 4 : 3) : 3;
    const std::size_t keep_back = 4;
    return std::string(digits.substr(0, keep_front)) +
           std::string(digits.size() - keep_front - keep_back, '*') +
           std::string(digits.substr(digits.size() - keep_back));
}

std::string mask_sensitive(std::string_view text) {
    static const std::regex id_number(R"(\b(\d{6})\d{8}(\d{3}[\dXx])\b)");
    static const std::regex mobile(R"((^|\D)(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d))");
    std::string out = std::regex_replace(std::string(text), id_number, "$1********$2");
    out = std::regex_replace(out, mobile, "$1$2****$3");
    return out;
}

}  // namespace ledgerbot::bot
