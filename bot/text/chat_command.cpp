#include "bot/text/chat_command.hpp"

#include <algorithm>

#include "bot/text/text.hpp"

namespace ledgerbot::bot::text {

std::optional<ChatCommand> parse_chat_command(std::string_view text) {
    const std::string trimmed = text::trim(text);
    std::string_view rest = trimmed;
    if (text::starts_with(rest, "/")) {
        rest.remove_prefix(1);
    } else if (text::starts_with(rest, "／")) {
        rest.remove_prefix(std::string_view("／").size());
    } else {
        return std::nullopt;
    }
    const std::u32string cps = text::decode_utf8(rest);
    std::size_t end = 0;
    while (end < cps.size() && !text::is_space(cps[end])) {
        ++end;
    }
    return ChatCommand{text::encode_utf8(std::u32string_view(cps).substr(0, end)),
                       text::trim(text::encode_utf8(std::u32string_view(cps).substr(end)))};
}

bool is_command_word(const std::string& word, const std::vector<std::string>& words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace ledgerbot::bot::text
