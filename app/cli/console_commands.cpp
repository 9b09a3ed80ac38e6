#include <iostream>

#include "app/cli/command.hpp"
#include "app/console/console_tokens.hpp"
#include "storage/console_sessions.hpp"
#include "storage/directory_repository.hpp"

namespace ledgerbot::app::cli {
namespace {

// `console link --user ID`: a one-time sign-in link for the first set-up, or for someone who
// cannot use the WeCom login. It signs in once, within [console] link_minutes.
int link(const CommandContext& context, const std::string& user_id) {
    const auto& console = context.settings.console;
    if (!console.enabled) {
        std::cerr << "the console is off ([console] enabled = false); turn it on first\n";
        return 1;
    }
    storage::Database database = open_database(context, storage::OpenMode::read_write);
    const auto directory = storage::DirectoryRepository(database.sql()).load();
    if (!directory) {
        std::cerr << "console link failed: " << directory.error().message() << "\n";
        return 1;
    }
    if (directory.value().find_staff(user_id) == nullptr) {
        std::cerr << "'" << user_id
                  << "' is not on the staff list (ledgerbot import staff FILE); only staff may "
                     "sign in\n";
        return 1;
    }
    const std::string token = console::random_token();
    const std::int64_t now = context.clock.now_seconds();
    const std::int64_t expires = now + console.link_minutes * 60LL;
    const auto created = storage::ConsoleSessions(database.sql())
                             .create_link(token, user_id, operator_actor(), now, expires);
    if (!created) {
        std::cerr << "console link failed: " << created.error().message() << "\n";
        return 1;
    }
    std::cout << console::console_base_url(console.public_base_url, console.listen_address,
                                           console.listen_port)
              << "/console/auth/link?token=" << token << "\n";
    std::cerr << "valid once, until " << local_time_text(expires) << ", for "
              << directory.value().find_staff(user_id)->name << " (" << user_id << ")\n";
    return 0;
}

}  // namespace

void add_console_commands(CLI::App& app, const SelectedCommand& selected) {
    CLI::App* console = app.add_subcommand("console", "The web console");
    console->require_subcommand(1);
    auto user = std::make_shared<std::string>();
    CLI::App* link_command =
        console->add_subcommand("link", "Print a one-time sign-in link (valid minutes, once)");
    link_command->add_option("--user", *user, "The staff id (WeCom userid) to sign in as")
        ->required();
    link_command->callback([selected, user] {
        *selected = [user](const CommandContext& c) { return link(c, *user); };
    });
}

}  // namespace ledgerbot::app::cli
