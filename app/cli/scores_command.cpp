#include <algorithm>
#include <iostream>
#include <optional>

#include "app/cli/command.hpp"
#include "app/cli/ledger_export.hpp"
#include "app/cli/score_export.hpp"
#include "bot/scoring/score_fields.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/scoring/score_table.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/score_period.hpp"
#include "storage/sqlite_state.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::cli {
namespace {

struct ScoresRequest {
    std::string week;
    std::string year;
    std::string line;
    std::string format;
    std::string file;
};

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
    const templates::Renderer renderer;
    if (ranking) {
        std::vector<bot::scoring::ScoreRow> rows =
            bot::scoring::visit_rows(state.point_entries_between(period->from, period->to));
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
    // A published week exactly as it was published; any other week as the journal has it now
    // (what the next post would show).
    std::string text;
    std::size_t rows_written = 0;
    nlohmann::json all_cells;
    for (const bot::scoring::WeekTable& current :
         bot::scoring::week_tables(state, scores, *period)) {
        if (!request.line.empty() && current.line.name != request.line) {
            continue;
        }
        const auto stored = state.published_table(period->label, current.line.name);
        const auto review = state.score_review(period->label, current.line.name);
        nlohmann::json base = bot::scoring::score_period_fields(*period);
        base["line"] = current.line.name;
        nlohmann::json table;
        nlohmann::json cells;
        if (stored) {
            table = stored->table;
            base["unreviewed"] = stored->approved_by.empty();
            cells = bot::scoring::published_table_attachment(*stored);
        } else {
            table =
                bot::scoring::week_table_fields(current.rows, current.adjustments, current.version);
            base["unreviewed"] = !review || review->version != current.version;
            base["draft"] = true;
            cells = bot::scoring::score_table_attachment(current.rows, period->label,
                                                         current.line.name);
        }
        rows_written += table.at("rows").size();
        for (const auto& part : bot::scoring::week_table_parts(table, base, std::size_t{1} << 30)) {
            text += renderer.render("score_table", part) + "\n\n";
        }
        // A file holds every line's rows (or --line's) under one header, numbered through.
        if (all_cells.is_null()) {
            all_cells = cells;
            all_cells["line"] = request.line;
        } else {
            for (auto row : cells.at("rows")) {
                all_cells["rows"].push_back(std::move(row));
            }
            for (std::size_t i = 0; i < 3; ++i) {
                all_cells["totals"][i] = bot::scoring::format_points(
                    std::stod(all_cells["totals"][i].get<std::string>()) +
                    std::stod(cells["totals"][i].get<std::string>()));
            }
        }
    }
    if (request.format != "md") {
        if (all_cells.is_null()) {
            all_cells = bot::scoring::score_table_attachment({}, period->label, request.line);
        }
        for (std::size_t i = 0; i < all_cells["rows"].size(); ++i) {
            all_cells["rows"][i][0] = std::to_string(i + 1);
        }
        write_table(score_table_cells(all_cells, renderer),
                    request.format == "csv" ? ExportFormat::csv : ExportFormat::xlsx, request.file);
        std::cout << "scores " << period->label << ": " << rows_written << " rows written to "
                  << request.file << "\n";
        return 0;
    }
    if (text.empty()) {
        // No line configured and nothing entered: say so rather than print nothing.
        std::cout << "scores " << period->label
                  << ": no points entered in that week, and no [scores] lines configured\n";
        return 0;
    }
    write_text(text, request.file);
    return 0;
}

}  // namespace

void add_scores_command(CLI::App& app, const SelectedCommand& selected) {
    auto* scores = app.add_subcommand(
        "scores", "visit scores (第十七条) of a week per line, or the year's ranking (第十八条)");
    auto request = std::make_shared<ScoresRequest>();
    request->format = "md";
    auto* week_option =
        scores->add_option("--week", request->week, "ISO week, e.g. 2026-W47 (Monday to Sunday)");
    auto* year_option = scores->add_option("--year", request->year, "calendar year: the ranking");
    week_option->excludes(year_option);
    scores->add_option("--line", request->line, "one line (条线) only, as configured in [scores]");
    scores->add_option("--format", request->format, "md (the published text), csv or xlsx")
        ->check(CLI::IsMember({"md", "csv", "xlsx"}, CLI::ignore_case));
    scores->add_option("--out", request->file, "file to write (md: standard output when absent)");
    scores->callback([selected, request] {
        *selected = [request](const CommandContext& context) {
            storage::Database database = open_database(context, storage::OpenMode::read_only);
            return print_scores(database, context.settings.engine.scores, *request,
                                context.clock.now_seconds());
        };
    });
}

}  // namespace ledgerbot::app::cli
