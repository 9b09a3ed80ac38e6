#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/model/points.hpp"
#include "bot/scoring/score_sheet.hpp"

/// Score rows as template fields: the same shapes for answers, drafts, the Monday table and the
/// CLI, so every place shows one score the same way. Internal to bot/ and app/.
namespace ledgerbot::bot::scoring {

/// A breakdown line: {item flag, points "+2" / "-1" / "0"} (templates/score_item.mustache).
nlohmann::json score_line_fields(const ScoreLine& line);
/// {number, visit_id, visit_date, company, department, manager, truthfulness, quality, total,
///  lines: [...]}; `number` is the row's 序号.
nlohmann::json score_row_fields(const ScoreRow& row, std::size_t number);
/// {truthfulness, quality, total} summed over `rows`.
nlohmann::json score_totals(const std::vector<ScoreRow>& rows);

/// {week, from, to} of a week, as the table's title shows it.
nlohmann::json score_period_fields(const time::ScorePeriod& week);
/// {departments, lines: [{rank, name, director, truthfulness, quality, total}]}, and
/// star_department, star_director + star_line (第十八条) when someone scored: the highest
/// department, and the highest line that has a director.
nlohmann::json ranking_fields(const Ranking& ranking);

/// A table as a file to attach ({kind: "score_table", week, line, rows: [[序号, company,
/// department, manager, truthfulness, quality, total]], totals: [truthfulness, quality, total]}):
/// cells only, the sender adds the header from templates/score_columns.mustache and writes xlsx.
nlohmann::json score_table_attachment(const std::vector<ScoreRow>& rows, const std::string& week,
                                      const std::string& line);

/// A line's week table as every post renders it and as it is stored when published: {version,
/// rows: [{number, company, department, manager, truthfulness, quality, total}], totals,
/// adjustments: [… + adjusts_week], adjustment_totals}.
nlohmann::json week_table_fields(const std::vector<ScoreRow>& rows,
                                 const std::vector<ScoreRow>& adjustments,
                                 const std::string& version);

/// A published table as the spreadsheet attachment (score_table_attachment's shape, with its
/// version): the stored cells, exactly as published.
nlohmann::json published_table_attachment(const model::PublishedTable& stored);

/// Splits a week table (week_table_fields) into parts that each render under `max_bytes`
/// with the header repeated; the last part carries the totals and the adjustments.
std::vector<nlohmann::json> week_table_parts(const nlohmann::json& table,
                                             const nlohmann::json& base, std::size_t max_bytes);

/// Splits a table's rows into parts that each render under `max_bytes` with the header
/// repeated: every part gets {rows, part, parts}; the last also gets {last: true} and the
/// totals. `base` (title fields) is copied into every part. At least one part, even when
/// there are no rows.
std::vector<nlohmann::json> score_table_parts(const std::vector<ScoreRow>& rows,
                                              const nlohmann::json& base, std::size_t max_bytes);

}  // namespace ledgerbot::bot::scoring
