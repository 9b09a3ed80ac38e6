#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/clock.hpp"
#include "config/settings.hpp"
#include "storage/database.hpp"

namespace ledgerbot::app::cli {

/// What every command gets once the command line is parsed and the settings are loaded.
struct CommandContext {
    const config::Settings& settings;
    const Clock& clock;
    /// Reads the settings again from the same files and environment (serve's SIGHUP).
    std::function<config::Settings()> reload_settings;
};

/// A parsed command, run after the settings are loaded; returns the exit code.
using CommandRun = std::function<int(const CommandContext&)>;

/// Where the parsed command is put: each command file registers its subcommands with a
/// callback that sets it.
using SelectedCommand = std::shared_ptr<CommandRun>;

/// Opens the configured database as the command needs it; storage::DatabaseRefused (missing,
/// needs migrating, newer than the binary) becomes exit code 2 in run_cli.
storage::Database open_database(const CommandContext& context, storage::OpenMode mode);

void add_service_commands(CLI::App& app, const SelectedCommand& selected);  // serve, migrate
void add_import_commands(CLI::App& app, const SelectedCommand& selected);
void add_export_commands(CLI::App& app, const SelectedCommand& selected);
void add_scores_command(CLI::App& app, const SelectedCommand& selected);
void add_audit_commands(CLI::App& app, const SelectedCommand& selected);
void add_backup_commands(CLI::App& app, const SelectedCommand& selected);  // backup, restore
void add_doctor_command(CLI::App& app, const SelectedCommand& selected);
void add_outbox_commands(CLI::App& app, const SelectedCommand& selected);   // list, retry
void add_inbox_commands(CLI::App& app, const SelectedCommand& selected);    // list, retry
void add_jobs_commands(CLI::App& app, const SelectedCommand& selected);     // list, run
void add_console_commands(CLI::App& app, const SelectedCommand& selected);  // link

/// Who an operator's command acts as in the audit trail: `operator:<login>` (the sudo user's
/// login when run through sudo).
std::string operator_actor();
/// A time for operators' tables: `2026-12-05 10:00` in Asia/Shanghai; "-" for none.
std::string local_time_text(std::optional<std::int64_t> unix_seconds);

/// Writes text to `path`, or to standard output when it is empty.
void write_text(const std::string& text, const std::string& path);

}  // namespace ledgerbot::app::cli
