// How long scoring takes on a real SQLite ledger with its points journal: building the journal
// once (the upgrade), the Monday table (one week), one visit's /积分 V12, the year-end ranking,
// and the journal update one event adds. Prints figures, asserts
// nothing. Run on demand:
//   ./build/bench/score_bench --visits 20000 --companies 2000 --staff 60
#include <SQLiteCpp/Transaction.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "bot/engine.hpp"
#include "bot/scoring/points_journal.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/scoring/score_table.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/score_period.hpp"
#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/score_repository.hpp"
#include "storage/sqlite_state.hpp"

using namespace ledgerbot;

namespace {

double time_ms(const std::function<std::size_t()>& run, std::size_t& rows, int repeat) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeat; ++i) {
        rows = run();
    }
    const std::chrono::duration<double, std::milli> spent =
        std::chrono::steady_clock::now() - start;
    return spent.count() / repeat;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"scoring on a SQLite ledger of one year"};
    int visits = 20000;
    int companies = 2000;
    int staff = 60;
    cli.add_option("--visits", visits, "visit records in the year");
    cli.add_option("--companies", companies, "companies on the list");
    cli.add_option("--staff", staff, "account managers (in 6 departments, 2 lines)");
    CLI11_PARSE(cli, argc, argv);

    const auto dir = std::filesystem::temp_directory_path() /
                     ("ledgerbot-score-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        storage::Database database(dir / "bench.db");
        storage::DirectoryRepository directory(database.sql());
        std::string company_csv =
            "full_name,short_names,industry,listing_status,department,"
            "account_manager\n";
        for (int c = 0; c < companies; ++c) {
            company_csv += "企业" + std::to_string(c) + "有限公司,,制造业,挂牌,部门" +
                           std::to_string(c % 6) + ",m" + std::to_string(c % staff) + "\n";
        }
        std::string staff_csv = "id,name,department,titles\n";
        for (int s = 0; s < staff; ++s) {
            staff_csv += "m" + std::to_string(s) + ",经理" + std::to_string(s) + ",部门" +
                         std::to_string(s % 6) + ",客户经理\n";
        }
        if (!directory.import_companies(company_csv, 0) || !directory.import_staff(staff_csv, 0)) {
            std::fprintf(stderr, "import failed\n");
            return 1;
        }
        const std::int64_t year_start =
            bot::time::from_local(std::chrono::year{2026} / 1 / 1, 9, 0, 0);
        const std::int64_t spacing = 364 * 86400 / visits;
        SQLite::Transaction tx(database.sql());
        storage::LedgerRepository ledger(database.sql());
        for (int v = 1; v <= visits; ++v) {
            bot::model::VisitRecord record;
            record.number = v;
            record.company_id = 1 + (v * 7919) % companies;
            record.company_name = "企业" + std::to_string(*record.company_id - 1) + "有限公司";
            record.visit_time = year_start + v * spacing;
            record.visitors = {"经理" + std::to_string(v % staff)};
            record.reporter_id = "m" + std::to_string(v % staff);
            record.channel = "generic";
            record.chat_id = "room";
            record.source_event_id = "e" + std::to_string(v);
            record.reported_at = *record.visit_time + 3600;
            ledger.apply(bot::VisitRecordCreated{record});
        }
        tx.commit();

        bot::settings::EngineSettings settings =
            config::load_default_settings([](std::string_view) -> std::optional<std::string> {
                return std::nullopt;
            }).engine;
        bot::settings::ScoreSettings& scores = settings.scores;
        scores.lines = {{"一线", "m0", {"部门0", "部门1", "部门2"}},
                        {"二线", "m1", {"部门3", "部门4", "部门5"}}};
        const bot::Engine engine(settings);
        storage::SqliteState state(database.sql());
        state.refresh();
        const std::int64_t at = bot::time::from_local(std::chrono::year{2026} / 12 / 28, 15, 0, 0);
        // Early in the year: with 20 visits per company and the cap of 3 valid visits a year, the
        // visits of later weeks score nothing and have no entries.
        const auto week = *bot::time::parse_week("2026-W03");
        const auto year = *bot::time::parse_year("2026");
        std::size_t rows = 0;
        std::printf("%d visits, %d companies, %d staff (SQLite, WAL)\n", visits, companies, staff);

        // The upgrade: the journal built once from the whole ledger.
        double ms = time_ms(
            [&] {
                SQLite::Transaction build(database.sql());
                const bot::Decision points = engine.rebuild_points(state, at);
                storage::ScoreRepository repository(database.sql());
                std::size_t entries = 0;
                for (const auto& change : points.score_changes) {
                    entries += std::get<bot::PointsEntered>(change).entries.size();
                    repository.apply(change);
                }
                build.commit();
                return entries;
            },
            rows, 1);
        std::printf("  journal built once (upgrade):     %9.2f ms  (%zu entries)\n", ms, rows);

        ms = time_ms(
            [&] {
                std::size_t n = 0;
                for (const auto& table : bot::scoring::week_tables(state, scores, week)) {
                    n += table.rows.size();
                }
                return n;
            },
            rows, 20);
        std::printf("  Monday table, one week:           %9.2f ms  (%zu rows)\n", ms, rows);
        ms = time_ms(
            [&] {
                return bot::scoring::visit_rows(state.point_entries_of_visits({visits / 50}))
                    .size();
            },
            rows, 200);
        std::printf("  /积分 V<n>, one visit:            %9.2f ms  (%zu rows)\n", ms, rows);
        ms = time_ms(
            [&] {
                const auto year_rows =
                    bot::scoring::visit_rows(state.point_entries_between(year.from, year.to));
                const auto ranked = bot::scoring::rank(year_rows, scores, state.directory());
                return year_rows.size();
            },
            rows, 3);
        std::printf("  the year's ranking:               %9.2f ms  (%zu rows)\n", ms, rows);
        // What every event that touches a visit adds: scoring that visit's company-year again
        // and comparing with its entries.
        ms = time_ms(
            [&] {
                return bot::scoring::reconcile_points(
                           state, scores, bot::scoring::JournalScope{{visits / 50}, {}}, at)
                    .size();
            },
            rows, 200);
        std::printf("  journal update for one visit:     %9.2f ms  (%zu new entries)\n", ms, rows);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
