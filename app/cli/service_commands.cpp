#include <iostream>

#include "app/application.hpp"
#include "app/cli/command.hpp"
#include "storage/backup.hpp"
#include "storage/service_lock.hpp"

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
                const auto& storage_settings = context.settings.storage;
                // A service on this database runs its own schema; changing it underneath would
                // leave it reading tables it does not know.
                const auto lock = storage::ServiceLock::try_acquire(storage_settings.database_path);
                if (!lock) {
                    std::cerr << "migrate: a ledgerbot service is running on "
                              << storage_settings.database_path
                              << "; stop it first (or start the new version, which migrates "
                                 "after a backup)\n";
                    return 1;
                }
                // The same backup `serve` takes: migrations are one way.
                storage::Database database(
                    storage_settings.database_path, storage::OpenMode::migrate,
                    [&](SQLite::Database& db, int from_version) {
                        const auto file = storage::backup_before_migration(
                            db, storage_settings.backup_directory, storage_settings.backups_kept,
                            from_version, context.clock.now_seconds());
                        std::cout << "backed up the database at schema version " << from_version
                                  << " to " << file.string() << "\n";
                    });
                std::cout << "database " << storage_settings.database_path
                          << " is at schema version " << database.schema_version() << "\n";
                return 0;
            };
        });
}

}  // namespace ledgerbot::app::cli
