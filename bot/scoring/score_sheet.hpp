#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/scoring/scoring.hpp"
#include "bot/settings/score_settings.hpp"
#include "bot/state.hpp"
#include "bot/time/score_period.hpp"

/// 第十七条 applied to the ledger: which people a visit record scores for, with the facts read
/// from the record, its evidence, findings, void and demands, as of a scoring date. Scores are
/// never stored; they are computed again whenever they are shown, so a supplement or a landing
/// shows at the next look.
namespace ledgerbot::bot::scoring {

/// One person's points for one visit: a row of the weekly table.
struct ScoreRow {
    std::int64_t visit_number = 0;  ///< 0: a demand without a visit (demand_number)
    std::int64_t demand_number = 0;
    std::int64_t visit_time = 0;
    std::optional<std::int64_t> company_id;
    std::string company;  ///< 被走访企业（机构）
    std::string staff_id;
    std::string staff_name;  ///< 客户经理
    std::string department;  ///< 责任部门
    std::string line;        ///< the line the department belongs to ("" = none configured)
    VisitScore score;
    /// When points this row no longer has were lost: the void, the missed omission deadline,
    /// else the scoring date.
    std::int64_t changed_at = 0;
    std::string adjusts_week;  ///< an adjustment row: the published week it corrects
};

/// Scores every visit whose time is in `period` as of `at`, one row per person, in visit order.
/// People are the record's author and the visitors it names who are in the staff directory; a
/// landed referral's referrer gets a row too when they did not go on the visit.
std::vector<ScoreRow> score_period(const State& state, const settings::ScoreSettings& settings,
                                   const time::ScorePeriod& period, std::int64_t at);

/// The rows of one visit (any time), as `/积分 V12` shows them.
std::vector<ScoreRow> score_visit_rows(const State& state, const settings::ScoreSettings& settings,
                                       std::int64_t visit_number, std::int64_t at);

/// The rows of these visits and of the later records of their companies in the same year (whose
/// cap places they can move) as of `at`, for the points journal: every record of their
/// companies in their years is read, nothing else.
std::vector<ScoreRow> score_visits(const State& state, const settings::ScoreSettings& settings,
                                   const std::vector<std::int64_t>& visit_numbers, std::int64_t at);

/// The rows of demands that came from no visit (/签约 <企业>), as of `at`: their quality points
/// for the person credited (the demand's owner, else the company's account manager) and a
/// landed referral for its referrer.
std::vector<ScoreRow> score_unvisited_demands(const State& state,
                                              const settings::ScoreSettings& settings,
                                              const std::vector<std::int64_t>& demand_numbers,
                                              std::int64_t at);

/// The rows of one line ("" = departments no line lists).
std::vector<ScoreRow> rows_of_line(const std::vector<ScoreRow>& rows, const std::string& line);
/// The lines a week's tables are made for: the configured lines in order, then an unnamed one
/// when some rows belong to departments no line lists.
std::vector<settings::ScoreLineSettings> table_lines(const settings::ScoreSettings& settings,
                                                     const std::vector<ScoreRow>& rows);

/// The line a department belongs to; nullptr when none lists it.
const settings::ScoreLineSettings* line_of_department(const settings::ScoreSettings& settings,
                                                      const std::string& department);

/// Points as people read them: 7, 4.5, 1.65 (at most two decimals, no trailing zeros).
std::string format_points(double points);

struct RankEntry {
    std::string name;      ///< department, or line
    std::string director;  ///< lines: the director's name
    double truthfulness = 0;
    double quality = 0;
    double total() const { return truthfulness + quality; }
};

/// Totals per department and per line, highest first (ties by name), for the annual ranking.
struct Ranking {
    std::vector<RankEntry> departments;
    std::vector<RankEntry> lines;
};
Ranking rank(const std::vector<ScoreRow>& rows, const settings::ScoreSettings& settings,
             const model::Directory& directory);

}  // namespace ledgerbot::bot::scoring
