#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ledgerbot::adapters::wecom {

/// WeCom's per-message content limits in UTF-8 bytes.
inline constexpr std::size_t kTextLimitBytes = 2048;         ///< text (webhook, app, appchat)
inline constexpr std::size_t kMarkdownLimitBytes = 4096;     ///< webhook markdown
inline constexpr std::size_t kAppMarkdownLimitBytes = 2048;  ///< message/send, appchat/send

/// Cuts `content` into parts of at most `max_bytes` bytes each. A cut goes at a line break when
/// one lies in the second half of the window (the break itself is dropped), else at the last
/// UTF-8 character boundary, so no part carries half a character. Empty content gives no parts.
/// Concatenating the parts with the dropped line breaks gives back the content.
std::vector<std::string> split_message(std::string_view content, std::size_t max_bytes);

}  // namespace ledgerbot::adapters::wecom
