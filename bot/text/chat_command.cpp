#include "bot/text/chat_command.hpp"

#include <algorithm>
#include <cctype>

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
    // `/ 补充 V1`: spaces between the slash and the word are a slip, not an empty command.
    std::size_t begin = 0;
    while (begin < cps.size() && text::is_inline_space(cps[begin])) {
        ++begin;
    }
    std::size_t end = begin;
    while (end < cps.size() && !text::is_space(cps[end])) {
        ++end;
    }
    // The word as configured: half-width (ｈｅｌｐ, Ｒ２ typed on a full-width keyboard), and an
    // all-Latin word in lower case (/Help); a glued id keeps its case (/确认R2).
    std::string word =
        text::encode_utf8(text::fold_width(std::u32string_view(cps).substr(begin, end - begin)));
    if (std::all_of(word.begin(), word.end(),
                    [](unsigned char c) { return std::isalpha(c) != 0; })) {
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    return ChatCommand{word, text::trim(text::encode_utf8(std::u32string_view(cps).substr(end)))};
}

bool is_command_word(const std::string& word, const std::vector<std::string>& words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace ledgerbot::bot::text
