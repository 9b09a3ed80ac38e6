#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bot/text/text.hpp"

/// Shared by the fuzz targets that read chat text: the visit report corpus files seed them as
/// they are (key lines, =====, then the message), so the message part is what is fuzzed when the
/// separator is there.
namespace ledgerbot::fuzz {

inline std::string_view message_of(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    constexpr std::string_view kSeparator = "\n=====\n";
    if (const std::size_t at = text.find(kSeparator); at != std::string_view::npos) {
        text.remove_prefix(at + kSeparator.size());
    }
    return text;
}

/// Adapters refuse invalid UTF-8 before anything reaches bot/, so the targets do too.
inline bool acceptable(std::string_view text) {
    return text.size() <= 8192 && bot::text::is_valid_utf8(text);
}

}  // namespace ledgerbot::fuzz
