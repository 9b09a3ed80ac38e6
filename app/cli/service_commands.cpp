#include <iostream>

#include "app/application.hpp"
#include "app/cli/command.hpp"

namespace ledgerbot::app::cli {

void add_service_commands(CLI::App& app, const SelectedCommand& selected) {
    app.add_subcommand("serve",
                       "run the service until SIGINT/SIGTERM; SIGHUP reloads the log level and "
                       "secrets")
        ->callback([selected] {
            *selected = [](const CommandContext& context) {
                Application application(context.settings, context.clock);
                application.set_settings_source(context.reload_settings);
                application.start();
                application.run();
                return 0;
            };
        });
    app.add_subcommand("migrate", "create or upgrade the database schema, then exit")
        ->callback([selected] {
            *selected = [](const CommandContext& context) {
                storage::Database database = open_database(context, storage::OpenMode::migrate);
                std::cout << "database " << context.settings.storage.database_path
                          << " is at schema version " << database.schema_version() << "\n";
                return 0;
            };
        });
}

}  // namespace ledgerbot::app::cli
