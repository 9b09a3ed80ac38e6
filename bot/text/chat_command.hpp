#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ledgerbot::bot::text {

/// A bot command as typed in chat: `/word argument`.
struct ChatCommand {
    std::string word;      ///< without the slash, e.g. 阶段完成
    std::string argument;  ///< the rest, trimmed; may span several lines
};

/// Reads `/word argument`, tolerating a full-width slash (／) and stray spaces; the word ends
/// at the first space, full-width space, tab or line break. nullopt when the text is no command.
std::optional<ChatCommand> parse_chat_command(std::string_view text);

/// True when `word` is one of the configured command words.
bool is_command_word(const std::string& word, const std::vector<std::string>& words);

}  // namespace ledgerbot::bot::text
