#include "app/cli/cli.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "app/cli/command.hpp"
#include "app/clock.hpp"
#include "app/logging/log_lines.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"

namespace ledgerbot::app::cli {
namespace {

config::Settings load_settings(const std::vector<std::string>& config_paths) {
    if (config_paths.empty()) {
        return config::load_default_settings();
    }
    return config::load_settings_files(
        std::vector<std::filesystem::path>(config_paths.begin(), config_paths.end()));
}

void configure_logging(const config::Settings& settings) {
    logging::configure_logging(settings.log.level, logging::line_format(settings.log.format));
}

}  // namespace

storage::Database open_database(const CommandContext& context, storage::OpenMode mode) {
    return storage::Database(context.settings.storage.database_path, mode);
}

std::string operator_actor() {
    // SUDO_USER names the person behind `sudo ledgerbot …`; root alone says nothing.
    if (const char* sudo = std::getenv("SUDO_USER"); sudo != nullptr && *sudo != '\0') {
        return std::string("operator:") + sudo;
    }
    if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) {
        return std::string("operator:") + entry->pw_name;
    }
    return "operator:uid-" + std::to_string(geteuid());
}

std::string local_time_text(std::optional<std::int64_t> unix_seconds) {
    return unix_seconds ? bot::time::format_local_minutes(*unix_seconds) : std::string("-");
}

void write_text(const std::string& text, const std::string& path) {
    if (path.empty()) {
        std::cout << text;
        return;
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

int run_cli(int argc, char** argv) {
    CLI::App cli{
        "ledgerbot keeps the service-demand ledger of a regional equity exchange from chat\n"
        "messages in WeCom and WeChat work groups, enforces group conventions, scores visits\n"
        "and alerts compliance.\n\n"
        "Start with `ledgerbot serve` (embedded default config: SQLite under var/, generic\n"
        "adapter on 127.0.0.1:8080) and `ledgerbot import companies config/demo/companies.csv`.",
        "ledgerbot"};
    cli.require_subcommand(1);
    std::vector<std::string> config_paths;
    cli.add_option("-c,--config", config_paths,
                   "TOML config file layered over the embedded defaults (see "
                   "config/ledgerbot.toml); repeat to layer several, e.g. a secrets file")
        ->check(CLI::ExistingFile)
        // One file per --config, so `--config a.toml serve` never reads "serve" as a file.
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cli.fallthrough();

    const auto selected = std::make_shared<CommandRun>();
    add_service_commands(cli, selected);
    add_import_commands(cli, selected);
    add_export_commands(cli, selected);
    add_scores_command(cli, selected);
    add_audit_commands(cli, selected);
    add_backup_commands(cli, selected);
    add_doctor_command(cli, selected);
    add_outbox_commands(cli, selected);
    add_inbox_commands(cli, selected);
    add_jobs_commands(cli, selected);
    add_console_commands(cli, selected);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 prints what was wrong and points at --help; a usage error exits 2 like every
        // other refusal of the command line (CLI11's own codes, 101-120, say nothing to a shell).
        const int code = cli.exit(e);
        return code == 0 ? 0 : 2;
    }

    config::Settings settings;
    try {
        settings = load_settings(config_paths);
    } catch (const config::ConfigError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    configure_logging(settings);
    SystemClock clock;

    try {
        return (*selected)(CommandContext{settings, clock,
                                          [config_paths] { return load_settings(config_paths); }});
    } catch (const storage::DatabaseRefused& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const config::ConfigError& e) {
        // Settings only the wiring can check (e.g. a WeCom EncodingAESKey the crypto rejects).
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        // Startup failures (port in use, unreadable database) end here with one clear line.
        spdlog::critical("{}", e.what());
        return 1;
    }
}

}  // namespace ledgerbot::app::cli
