#pragma once

#include <string>
#include <vector>

#include "bot/model/points.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/settings/score_settings.hpp"
#include "bot/state.hpp"
#include "bot/time/score_period.hpp"

/// Tables read from the points journal: what a week, a year or a visit earned is the sum of the
/// entries dated in it.
namespace ledgerbot::bot::scoring {

/// The appendix's rows: one per (被走访企业, 客户经理) over the entries that are not adjustments,
/// sorted by company then manager; each row's breakdown sums its entries per item.
std::vector<ScoreRow> table_rows(const std::vector<model::PointEntry>& entries);

/// The adjustments (调整) among the entries: one row per (week adjusted, company, manager).
std::vector<ScoreRow> adjustment_rows(const std::vector<model::PointEntry>& entries);

/// One row per (visit, person), adjustments included, in visit order: `/积分` and `/积分 V12`.
std::vector<ScoreRow> visit_rows(const std::vector<model::PointEntry>& entries);

/// The entries of one line ("" = departments no line lists).
std::vector<model::PointEntry> entries_of_line(const std::vector<model::PointEntry>& entries,
                                               const std::string& line);

/// A table's version: the first 8 hex digits of the SHA-256 of its rows and adjustments, so a
/// director approves exactly what they saw.
std::string table_version(const std::vector<ScoreRow>& rows,
                          const std::vector<ScoreRow>& adjustments);

/// One line's table of one week as the journal has it now.
struct WeekTable {
    settings::ScoreLineSettings line;
    std::vector<ScoreRow> rows;
    std::vector<ScoreRow> adjustments;
    std::string version;
};

/// Every line's table of `week`: the configured lines in order, then an unnamed one when some
/// entries belong to departments no line lists.
std::vector<WeekTable> week_tables(const State& state, const settings::ScoreSettings& settings,
                                   const time::ScorePeriod& week);

}  // namespace ledgerbot::bot::scoring
