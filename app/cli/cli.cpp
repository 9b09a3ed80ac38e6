#include "app/cli/cli.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "app/application.hpp"
#include "app/cli/ledger_export.hpp"
#include "app/cli/score_export.hpp"
#include "app/clock.hpp"
#include "bot/scoring/score_fields.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/score_period.hpp"
#include "config/config_loader.hpp"
#include "storage/audit_log.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/ledger_export.hpp"
#include "storage/sqlite_state.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::cli {
namespace {

config::Settings load_settings(const std::string& config_path) {
    return config_path.empty() ? config::load_default_settings()
                               : config::load_settings_file(config_path);
}

void configure_logging(const config::Settings& settings) {
    auto logger = spdlog::stderr_color_mt("ledgerbot");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(settings.log.level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

int print_import(const char* what, const storage::ImportReport& report, const std::string& file) {
    if (!report.ok()) {
        std::cerr << "import " << what << ": " << file << " was not imported (nothing changed):\n";
        for (const auto& problem : report.problems) {
            if (problem.row > 0) {
                std::cerr << "  row " << problem.row << ": " << problem.message << "\n";
            } else {
                std::cerr << "  " << problem.message << "\n";
            }
        }
        return 1;
    }
    std::cout << "import " << what << ": " << report.inserted << " added, " << report.updated
              << " updated from " << file << "\n";
    return 0;
}

struct ScoresRequest {
    std::string week;
    std::string year;
    std::string line;
    std::string format;
    std::string file;
};

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

// `ledgerbot scores`: the same computation the Monday post and /积分 use, read-only, as of now.
int print_scores(storage::Database& database, const bot::settings::ScoreSettings& scores,
                 const ScoresRequest& request, std::int64_t now) {
    const bool ranking = !request.year.empty();
    const auto period = ranking                ? bot::time::parse_year(request.year)
                        : request.week.empty() ? std::optional(bot::time::previous_week(now))
                                               : bot::time::parse_week(request.week);
    if (!period) {
        std::cerr << "scores: '" << (ranking ? request.year : request.week) << "' is not a "
                  << (ranking ? "year such as 2026" : "week such as 2026-W47") << "\n";
        return 2;
    }
    if (!request.line.empty() && std::none_of(scores.lines.begin(), scores.lines.end(),
                                              [&](const bot::settings::ScoreLineSettings& l) {
                                                  return l.name == request.line;
                                              })) {
        std::cerr << "scores: no line named '" << request.line << "' in [scores] lines\n";
        return 2;
    }
    if (request.format != "md" && request.file.empty()) {
        std::cerr << "scores: --format " << request.format << " needs --out FILE\n";
        return 2;
    }
    storage::SqliteState state(database.sql());
    state.refresh();
    std::vector<bot::scoring::ScoreRow> rows =
        bot::scoring::score_period(state, scores, *period, now);
    if (!request.line.empty()) {
        std::erase_if(rows,
                      [&](const bot::scoring::ScoreRow& r) { return r.line != request.line; });
    }
    const templates::Renderer renderer;
    if (ranking) {
        const bot::scoring::Ranking ranked = bot::scoring::rank(rows, scores, state.directory());
        if (request.format == "md") {
            nlohmann::json fields = bot::scoring::ranking_fields(ranked);
            fields["year"] = period->label;
            fields["at"] = bot::time::format_local_minutes(now);
            write_text(renderer.render("annual_ranking", fields) + "\n", request.file);
        } else {
            write_table(ranking_table(ranked, renderer),
                        request.format == "csv" ? ExportFormat::csv : ExportFormat::xlsx,
                        request.file);
        }
        return 0;
    }
    if (request.format != "md") {
        write_table(
            score_table_cells(
                bot::scoring::score_table_attachment(rows, period->label, request.line), renderer),
            request.format == "csv" ? ExportFormat::csv : ExportFormat::xlsx, request.file);
        std::cout << "scores " << period->label << ": " << rows.size() << " rows written to "
                  << request.file << "\n";
        return 0;
    }
    // The text as the Monday post shows it, one table per line, unsplit.
    std::string text;
    for (const auto& line : bot::scoring::table_lines(scores, rows)) {
        if (!request.line.empty() && line.name != request.line) {
            continue;
        }
        nlohmann::json base = bot::scoring::score_period_fields(*period);
        base["line"] = line.name;
        base["unreviewed"] = line.name.empty() || !state.score_review(period->label, line.name);
        for (const auto& part : bot::scoring::score_table_parts(
                 bot::scoring::rows_of_line(rows, line.name), base, std::size_t{1} << 30)) {
            text += renderer.render("score_table", part) + "\n\n";
        }
    }
    write_text(text, request.file);
    return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App cli{
        "ledgerbot keeps the service-demand ledger of a regional equity exchange from chat\n"
        "messages in WeCom and WeChat work groups, enforces group conventions, scores visits\n"
        "and alerts compliance.\n\n"
        "Start with `ledgerbot serve` (embedded default config: SQLite under var/, generic\n"
        "adapter on 127.0.0.1:8080) and `ledgerbot import companies config/demo/companies.csv`.",
        "ledgerbot"};
    cli.require_subcommand(1);
    std::string config_path;
    cli.add_option(
           "-c,--config", config_path,
           "TOML config file layered over the embedded defaults (see config/ledgerbot.toml)")
        ->check(CLI::ExistingFile);
    cli.fallthrough();

    auto* serve = cli.add_subcommand("serve", "run the service until SIGINT/SIGTERM");
    auto* migrate =
        cli.add_subcommand("migrate", "create or upgrade the database schema, then exit");
    auto* import = cli.add_subcommand(
        "import", "load the qualified company list or the staff directory from CSV");
    import->require_subcommand(1);
    std::string companies_file;
    std::string staff_file;
    auto* import_companies = import->add_subcommand(
        "companies",
        "companies CSV: full_name,short_names,industry,listing_status,department,account_manager");
    import_companies->add_option("file", companies_file, "CSV file (UTF-8)")
        ->required()
        ->check(CLI::ExistingFile);
    auto* import_staff = import->add_subcommand("staff", "staff CSV: id,name,department,titles");
    import_staff->add_option("file", staff_file, "CSV file (UTF-8)")
        ->required()
        ->check(CLI::ExistingFile);
    auto* audit = cli.add_subcommand("audit", "work with the tamper-evident audit trail");
    audit->require_subcommand(1);
    auto* audit_verify = audit->add_subcommand("verify", "check every entry of the hash chain");
    auto* export_cmd = cli.add_subcommand("export", "write data out for people and other systems");
    export_cmd->require_subcommand(1);
    auto* export_ledger = export_cmd->add_subcommand(
        "ledger", "the service-demand ledger (企业服务需求台账) with the columns of 第七条");
    ExportFormat export_format = ExportFormat::xlsx;
    std::string export_file;
    export_ledger->add_option("--format", export_format, "xlsx (Excel) or csv (UTF-8 with BOM)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, ExportFormat>{{"xlsx", ExportFormat::xlsx},
                                                {"csv", ExportFormat::csv}},
            CLI::ignore_case));
    export_ledger->add_option("--out", export_file, "file to write")->required();

    auto* scores = cli.add_subcommand(
        "scores", "visit scores (第十七条) of a week per line, or the year's ranking (第十八条)");
    std::string score_week;
    std::string score_year;
    std::string score_line;
    std::string score_format = "md";
    std::string score_file;
    auto* week_option =
        scores->add_option("--week", score_week, "ISO week, e.g. 2026-W47 (Monday to Sunday)");
    auto* year_option = scores->add_option("--year", score_year, "calendar year: the ranking");
    week_option->excludes(year_option);
    scores->add_option("--line", score_line, "one line (条线) only, as configured in [scores]");
    scores->add_option("--format", score_format, "md (the published text), csv or xlsx")
        ->check(CLI::IsMember({"md", "csv", "xlsx"}, CLI::ignore_case));
    scores->add_option("--out", score_file, "file to write (md: standard output when absent)");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }

    config::Settings settings;
    try {
        settings = load_settings(config_path);
    } catch (const config::ConfigError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    configure_logging(settings);
    SystemClock clock;

    try {
        if (serve->parsed()) {
            Application application(settings, clock);
            application.start();
            application.run();
            return 0;
        }
        storage::Database database(settings.storage.database_path);
        if (migrate->parsed()) {
            std::cout << "database " << settings.storage.database_path << " is at schema version "
                      << database.schema_version() << "\n";
            return 0;
        }
        storage::DirectoryRepository directory(database.sql());
        if (import_companies->parsed()) {
            auto report =
                directory.import_companies(read_file(companies_file), clock.now_seconds());
            if (!report) {
                std::cerr << "import companies failed: " << report.error().message() << "\n";
                return 1;
            }
            return print_import("companies", report.value(), companies_file);
        }
        if (import_staff->parsed()) {
            auto report = directory.import_staff(read_file(staff_file), clock.now_seconds());
            if (!report) {
                std::cerr << "import staff failed: " << report.error().message() << "\n";
                return 1;
            }
            return print_import("staff", report.value(), staff_file);
        }
        if (export_ledger->parsed()) {
            auto rows = storage::read_ledger(database.sql());
            if (!rows) {
                std::cerr << "export ledger failed: " << rows.error().message() << "\n";
                return 1;
            }
            const templates::Renderer renderer;
            write_table(ledger_table(rows.value(), renderer), export_format, export_file);
            std::cout << "export ledger: " << rows.value().size() << " demands written to "
                      << export_file << "\n";
            return 0;
        }
        if (scores->parsed()) {
            return print_scores(
                database, settings.engine.scores,
                ScoresRequest{score_week, score_year, score_line, score_format, score_file},
                clock.now_seconds());
        }
        if (audit_verify->parsed()) {
            auto result = storage::AuditLog(database.sql()).verify();
            if (!result) {
                std::cerr << "audit verify failed: " << result.error().message() << "\n";
                return 1;
            }
            if (!result.value().ok) {
                std::cout << "audit trail is NOT intact: " << result.value().reason << "\n";
                return 3;
            }
            std::cout << "audit trail intact: " << result.value().entries << " entries verified\n";
            return 0;
        }
    } catch (const config::ConfigError& e) {
        // Settings only the wiring can check (e.g. a WeCom EncodingAESKey the crypto rejects).
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        // Startup failures (port in use, unreadable database) end here with one clear line.
        spdlog::critical("{}", e.what());
        return 1;
    }
    return 0;
}

}  // namespace ledgerbot::app::cli
