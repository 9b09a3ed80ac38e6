#include "bot/scoring/score_fields.hpp"

#include <algorithm>

#include "bot/model/ledger_types.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::scoring {
namespace {

// What a table part needs besides its rows (title, column header, separator, 合计 row, the
// 未复核 line), and what a row needs besides its texts (separators, numbers, points), in bytes
// of the rendered text: templates/score_table.mustache stays within these; the golden test
// renders the largest tables and checks every part against the limit.
constexpr std::size_t kTableOverheadBytes = 900;
constexpr std::size_t kRowOverheadBytes = 64;

std::string signed_points(double points) {
    const std::string text = format_points(points);
    return points > 0 ? "+" + text : text;
}

}  // namespace

nlohmann::json score_line_fields(const ScoreLine& line) {
    nlohmann::json fields{{line.item, true}, {"points", signed_points(line.points)}};
    if (line.share != 1) {
        // 同部门协同走访: the breakdown says why this visitor has a share.
        fields["share_percent"] = static_cast<int>(line.share * 100 + 0.5);
    }
    return fields;
}

nlohmann::json score_row_fields(const ScoreRow& row, std::size_t number) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& line : row.score.lines) {
        lines.push_back(score_line_fields(line));
    }
    return nlohmann::json{
        {"number", number},
        {"visit_id", row.visit_number != 0 ? model::visit_code(row.visit_number)
                                           : model::demand_code(row.demand_number)},
        {"visit_date", time::format_date(time::local_date(row.visit_time))},
        {"company", row.company},
        {"department", row.department},
        {"manager", row.staff_name},
        {"line", row.line},
        {"truthfulness", format_points(row.score.truthfulness)},
        {"quality", format_points(row.score.quality)},
        {"total", format_points(row.score.total())},
        {"lines", std::move(lines)}};
}

nlohmann::json score_totals(const std::vector<ScoreRow>& rows) {
    double truthfulness = 0;
    double quality = 0;
    for (const auto& row : rows) {
        truthfulness += row.score.truthfulness;
        quality += row.score.quality;
    }
    return nlohmann::json{{"truthfulness", format_points(truthfulness)},
                          {"quality", format_points(quality)},
                          {"total", format_points(truthfulness + quality)}};
}

nlohmann::json score_period_fields(const time::ScorePeriod& week) {
    return {{"week", week.label},
            {"from", time::format_date(time::local_date(week.from))},
            {"to", time::format_date(time::local_date(week.to))}};
}

nlohmann::json ranking_fields(const Ranking& ranking) {
    const auto entries = [](const std::vector<RankEntry>& list) {
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            out.push_back({{"rank", i + 1},
                           {"name", list[i].name},
                           {"director", list[i].director},
                           {"truthfulness", format_points(list[i].truthfulness)},
                           {"quality", format_points(list[i].quality)},
                           {"total", format_points(list[i].total())}});
        }
        return out;
    };
    nlohmann::json fields{{"departments", entries(ranking.departments)},
                          {"lines", entries(ranking.lines)}};
    if (!ranking.departments.empty() && ranking.departments.front().total() > 0) {
        fields["star_department"] = ranking.departments.front().name;
    }
    const auto star_line = std::find_if(ranking.lines.begin(), ranking.lines.end(),
                                        [](const RankEntry& e) { return !e.director.empty(); });
    if (star_line != ranking.lines.end() && star_line->total() > 0) {
        fields["star_director"] = star_line->director;
        fields["star_line"] = star_line->name;
    }
    return fields;
}

nlohmann::json score_table_attachment(const std::vector<ScoreRow>& rows, const std::string& week,
                                      const std::string& line) {
    nlohmann::json cells = nlohmann::json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ScoreRow& row = rows[i];
        cells.push_back({std::to_string(i + 1), row.company, row.department, row.staff_name,
                         format_points(row.score.truthfulness), format_points(row.score.quality),
                         format_points(row.score.total())});
    }
    const nlohmann::json totals = score_totals(rows);
    return {{"kind", "score_table"},
            {"week", week},
            {"line", line},
            {"rows", std::move(cells)},
            {"totals", {totals["truthfulness"], totals["quality"], totals["total"]}}};
}

nlohmann::json week_table_fields(const std::vector<ScoreRow>& rows,
                                 const std::vector<ScoreRow>& adjustments,
                                 const std::string& version) {
    const auto fields_of = [](const std::vector<ScoreRow>& list) {
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            nlohmann::json fields = score_row_fields(list[i], i + 1);
            fields.erase("lines");  // the table shows sums; answers show the breakdown
            fields.erase("visit_id");
            fields.erase("visit_date");
            if (!list[i].adjusts_week.empty()) {
                fields["adjusts_week"] = list[i].adjusts_week;
            }
            out.push_back(std::move(fields));
        }
        return out;
    };
    return {{"version", version},
            {"rows", fields_of(rows)},
            {"totals", score_totals(rows)},
            {"adjustments", fields_of(adjustments)},
            {"adjustment_totals", score_totals(adjustments)}};
}

std::vector<nlohmann::json> week_table_parts(const nlohmann::json& table,
                                             const nlohmann::json& base, std::size_t max_bytes) {
    const std::size_t budget = max_bytes > kTableOverheadBytes + kRowOverheadBytes
                                   ? max_bytes - kTableOverheadBytes
                                   : kRowOverheadBytes;
    const nlohmann::json& rows = table.at("rows");
    std::vector<nlohmann::json> parts;
    nlohmann::json current = nlohmann::json::array();
    std::size_t used = 0;
    for (const nlohmann::json& row : rows) {
        const std::size_t size = row.value("company", "").size() +
                                 row.value("department", "").size() +
                                 row.value("manager", "").size() + kRowOverheadBytes;
        if (!current.empty() && used + size > budget) {
            parts.push_back(std::move(current));
            current = nlohmann::json::array();
            used = 0;
        }
        current.push_back(row);
        used += size;
    }
    parts.push_back(std::move(current));

    std::vector<nlohmann::json> out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        nlohmann::json part = base;
        part["version"] = table.value("version", "");
        part["rows"] = std::move(parts[i]);
        part["empty"] = rows.empty();
        part["part"] = i + 1;
        part["parts"] = parts.size();
        part["split"] = parts.size() > 1;
        if (i + 1 == parts.size()) {
            part["last"] = true;
            part["totals"] = table.at("totals");
            // Adjustments are few (changes to weeks already published); they ride with the
            // totals in the last part.
            const nlohmann::json adjustments = table.value("adjustments", nlohmann::json::array());
            part["adjustments"] = adjustments;
            part["has_adjustments"] = !adjustments.empty();
            part["adjustment_totals"] = table.value("adjustment_totals", nlohmann::json::object());
        }
        out.push_back(std::move(part));
    }
    return out;
}

nlohmann::json published_table_attachment(const model::PublishedTable& stored) {
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& row : stored.table.at("rows")) {
        cells.push_back({std::to_string(row.value("number", 0)), row.value("company", ""),
                         row.value("department", ""), row.value("manager", ""),
                         row.value("truthfulness", ""), row.value("quality", ""),
                         row.value("total", "")});
    }
    const nlohmann::json& totals = stored.table.at("totals");
    return {{"kind", "score_table"},
            {"week", stored.week},
            {"line", stored.line},
            {"version", stored.version},
            {"published_at", stored.published_at},
            {"rows", std::move(cells)},
            {"totals", {totals["truthfulness"], totals["quality"], totals["total"]}}};
}

std::vector<nlohmann::json> score_table_parts(const std::vector<ScoreRow>& rows,
                                              const nlohmann::json& base, std::size_t max_bytes) {
    return week_table_parts(week_table_fields(rows, {}, ""), base, max_bytes);
}

}  // namespace ledgerbot::bot::scoring
