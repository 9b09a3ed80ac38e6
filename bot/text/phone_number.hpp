#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Mainland China phone numbers as people type them: 13912345678, 139 1234 5678, 139-1234-5678,
/// +86 139…, 0951-1234567, (0951)12345678, full-width digits.
namespace ledgerbot::bot::text::phone_number {

/// The digits-only form when `digits` is a mobile number (11 digits, 1[3-9]…) or a landline
/// with its area code (010/02x + 8 digits, 0xxx + 7 or 8 digits); a leading 86 / 0086 country
/// code is dropped.
std::optional<std::string> validate_digits(std::string_view digits);

/// A run of digits in text that is written like a phone number (7 or more digits, with the
/// separators people use inside numbers).
struct Candidate {
    std::size_t begin = 0;  ///< code point offsets into the scanned text
    std::size_t end = 0;
    std::string digits;
    std::optional<std::string> valid;  ///< the normalized number when valid
};

/// Every phone-like run in `text` (folded to half-width), in order. Two numbers separated by a
/// space are told apart by trying the groups from the left until a valid number forms.
std::vector<Candidate> scan(std::u32string_view text);

}  // namespace ledgerbot::bot::text::phone_number
