#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>

#include <filesystem>
#include <iostream>

#include "app/cli/command.hpp"
#include "app/cli/ledger_export.hpp"
#include "storage/backup.hpp"
#include "storage/evidence_repository.hpp"
#include "storage/service_lock.hpp"

namespace ledgerbot::app::cli {
namespace {

// `ledgerbot backup`: a consistent copy while the service runs, and the list of evidence files
// it refers to (the files themselves never change, so a copy of the evidence folder made after
// the backup holds every one of them).
int backup(const CommandContext& context, const std::string& out) {
    if (std::filesystem::exists(out)) {
        std::cerr << "backup: " << out << " already exists; name a new file\n";
        return 2;
    }
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    storage::backup_database(database.sql(), out);
    std::vector<std::vector<std::string>> manifest{{"sha256", "evidence_id", "file"}};
    const auto files = storage::EvidenceRepository(database.sql()).stored_files().value();
    for (const auto& [sha256, id] : files) {
        manifest.push_back({sha256, std::to_string(id),
                            sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256});
    }
    const std::string manifest_file = out + ".evidence.csv";
    write_table(manifest, ExportFormat::csv, manifest_file);
    std::cout << "backup: " << context.settings.storage.database_path << " copied to " << out
              << " (schema version " << database.schema_version() << "); " << manifest.size() - 1
              << " evidence files listed in " << manifest_file << " — copy "
              << context.settings.evidence.directory << " with it\n";
    return 0;
}

// `ledgerbot restore`: never under a running service, never a damaged or newer file.
int restore(const CommandContext& context, const std::string& from) {
    const std::filesystem::path target = context.settings.storage.database_path;
    auto lock = storage::ServiceLock::try_acquire(target);
    if (!lock) {
        std::cerr << "restore: a ledgerbot service is running on " << target.string()
                  << "; stop it first\n";
        return 2;
    }
    SQLite::Database source(from, SQLite::OPEN_READONLY);
    const auto problems = storage::integrity_problems(source);
    if (!problems.empty()) {
        std::cerr << "restore: " << from << " fails PRAGMA integrity_check: " << problems.front()
                  << "\n";
        return 2;
    }
    const int version =
        source.tableExists("schema_migrations")
            ? source.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt()
            : 0;
    if (version > storage::binary_schema_version()) {
        std::cerr << "restore: " << from << " has schema version " << version
                  << ", newer than this binary's " << storage::binary_schema_version() << "\n";
        return 2;
    }
    // The backup API writes through SQLite's own locking and journal, so the result is whole
    // even if this process dies halfway, and no stale WAL of the old file is left to replay.
    SQLite::Database destination(target.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup copy(destination, source);
    copy.executeStep(-1);
    std::cout << "restore: " << target.string() << " now holds " << from << " (schema version "
              << version << ")"
              << (version < storage::binary_schema_version()
                      ? "; run `ledgerbot migrate` before serving"
                      : "")
              << "\n";
    return 0;
}

}  // namespace

void add_backup_commands(CLI::App& app, const SelectedCommand& selected) {
    auto out = std::make_shared<std::string>();
    auto* backup_command = app.add_subcommand(
        "backup", "copy the database while the service runs (SQLite online backup)");
    backup_command->add_option("--out", *out, "the backup file to create")->required();
    backup_command->callback([selected, out] {
        *selected = [out](const CommandContext& context) { return backup(context, *out); };
    });
    auto from = std::make_shared<std::string>();
    auto* restore_command =
        app.add_subcommand("restore", "replace the database by a backup (the service stopped)");
    restore_command->add_option("file", *from, "a file `ledgerbot backup` wrote")
        ->required()
        ->check(CLI::ExistingFile);
    restore_command->callback([selected, from] {
        *selected = [from](const CommandContext& context) { return restore(context, *from); };
    });
}

}  // namespace ledgerbot::app::cli
