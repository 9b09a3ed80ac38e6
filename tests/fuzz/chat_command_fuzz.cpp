// libFuzzer target for the chat-command reading every message goes through: the /word argument
// parser, the routing of glued words (/确认R2, /台账星河新材), numbered ids, report and briefing
// headers, and the bare help words. Seeded with commands as people type them.

#include <cstdint>
#include <cstdlib>

#include "bot/chat/help.hpp"
#include "bot/dispatch.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "config/config_loader.hpp"
#include "tests/fuzz/report_input.hpp"

namespace {

using namespace ledgerbot;

struct Tables {
    bot::settings::EngineSettings settings = config::load_default_settings().engine;
    bot::CommandTable commands{bot::command_rows(settings)};
    std::vector<bot::HeaderRow> headers = bot::header_rows(settings);
};

const Tables& tables() {
    static const Tables instance;
    return instance;
}

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::message_of(data, size);
    if (!fuzz::acceptable(text)) {
        return 0;
    }
    if (const auto typed = bot::text::parse_chat_command(text)) {
        require(bot::text::is_valid_utf8(typed->word) && bot::text::is_valid_utf8(typed->argument));
        if (const auto route = tables().commands.route(*typed)) {
            require(bot::text::is_valid_utf8(route->command.argument));
        }
        for (const char prefix : {'V', 'D', 'R'}) {
            if (const auto id = bot::text::split_leading_id(typed->argument, prefix)) {
                require(id->number >= 0 && bot::text::is_valid_utf8(id->rest));
            }
            (void)bot::text::parse_numbered_id(typed->argument, prefix);
        }
    }
    for (const auto& row : tables().headers) {
        if (const auto body = bot::text::text_after_header(text, row.headers)) {
            require(bot::text::is_valid_utf8(*body));
        }
    }
    (void)bot::chat::is_bare_help(text, tables().settings);
    return 0;
}
