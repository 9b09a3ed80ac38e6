#pragma once

#include <string>
#include <string_view>

namespace ledgerbot::bot::text {

/// `13812345678` → `138****5678`; landlines keep area code and last four digits. Used for every
/// phone number posted into a group (第十一条).
std::string mask_phone(std::string_view digits);

/// Masks every mainland ID number (18 characters) and phone number inside free text.
std::string mask_sensitive(std::string_view text);

}  // namespace ledgerbot::bot::text
