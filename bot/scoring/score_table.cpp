#include "bot/scoring/score_table.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <vector>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

namespace ledgerbot::bot::scoring {
namespace {

/// Adds an entry to a row: the axis total and the item's line of the breakdown.
void add_entry(ScoreRow& row, const model::PointEntry& entry) {
    (entry.axis == "quality" ? row.score.quality : row.score.truthfulness) += entry.points;
    const auto line = std::find_if(row.score.lines.begin(), row.score.lines.end(),
                                   [&](const ScoreLine& l) { return l.item == entry.item; });
    if (line == row.score.lines.end()) {
        row.score.lines.push_back(
            ScoreLine{entry.item, entry.points, entry.share, entry.at, entry.demand_number});
    } else {
        line->points += entry.points;
        line->at = std::max(line->at, entry.at);
    }
}

/// The breakdown in the order the article lists the items, whatever order they were earned in.
int item_rank(const std::string& item) {
    static const std::vector<std::string> kOrder{"complete",         "accurate", "evidence",
                                                 "full_marks_bonus", "finding",  "no_negative",
                                                 "landed",           "revenue",  "referral_landed"};
    const auto it = std::find(kOrder.begin(), kOrder.end(), item);
    return static_cast<int>(it - kOrder.begin());
}

void order_lines(std::vector<ScoreRow>& rows) {
    for (ScoreRow& row : rows) {
        std::stable_sort(row.score.lines.begin(), row.score.lines.end(),
                         [](const ScoreLine& a, const ScoreLine& b) {
                             return item_rank(a.item) < item_rank(b.item);
                         });
    }
}

ScoreRow row_of(const model::PointEntry& entry) {
    ScoreRow row;
    row.visit_number = entry.visit_number;
    row.demand_number = entry.visit_number == 0 ? entry.demand_number : 0;
    row.visit_time = entry.at;
    row.company_id = entry.company_id;
    row.company = entry.company;
    row.staff_id = entry.person_id;
    row.staff_name = entry.person_name;
    row.department = entry.department;
    row.line = entry.line;
    row.adjusts_week = entry.adjusts_week;
    return row;
}

template <typename Key, typename KeyOf>
std::vector<ScoreRow> grouped(const std::vector<model::PointEntry>& entries, const KeyOf& key_of,
                              bool adjustments) {
    std::map<Key, ScoreRow> rows;
    for (const model::PointEntry& entry : entries) {
        if (adjustments != !entry.adjusts_week.empty()) {
            continue;
        }
        const auto [it, inserted] = rows.try_emplace(key_of(entry), row_of(entry));
        if (!inserted) {
            it->second.visit_time = std::min(it->second.visit_time, entry.at);
        }
        add_entry(it->second, entry);
    }
    std::vector<ScoreRow> out;
    for (auto& [key, row] : rows) {
        out.push_back(std::move(row));
    }
    order_lines(out);
    return out;
}

}  // namespace

std::vector<ScoreRow> table_rows(const std::vector<model::PointEntry>& entries) {
    using Key = std::tuple<std::string, std::string, std::string>;  // company, manager, id
    return grouped<Key>(
        entries,
        [](const model::PointEntry& e) {
            return Key{e.company, e.person_name, e.person_id};
        },
        false);
}

std::vector<ScoreRow> adjustment_rows(const std::vector<model::PointEntry>& entries) {
    using Key = std::tuple<std::string, std::string, std::int64_t, std::string, std::string>;
    return grouped<Key>(
        entries,
        [](const model::PointEntry& e) {
            return Key{e.adjusts_week, e.company, e.company_id.value_or(-e.visit_number),
                       e.person_name, e.person_id};
        },
        true);
}

std::vector<ScoreRow> visit_rows(const std::vector<model::PointEntry>& entries) {
    // (visit, demand for entries of a demand without a visit, person)
    using Key = std::tuple<std::int64_t, std::int64_t, std::string>;
    std::map<Key, ScoreRow> rows;
    std::vector<Key> order;
    for (const model::PointEntry& entry : entries) {
        const Key key{entry.visit_number, entry.visit_number == 0 ? entry.demand_number : 0,
                      entry.person_id};
        const auto [it, inserted] = rows.try_emplace(key, row_of(entry));
        if (inserted) {
            it->second.adjusts_week.clear();
            order.push_back(key);
        } else {
            it->second.visit_time = std::min(it->second.visit_time, entry.at);
        }
        add_entry(it->second, entry);
    }
    std::vector<ScoreRow> out;
    for (const auto& key : order) {
        out.push_back(std::move(rows.at(key)));
    }
    std::stable_sort(out.begin(), out.end(), [](const ScoreRow& a, const ScoreRow& b) {
        return a.visit_number < b.visit_number;
    });
    order_lines(out);
    return out;
}

std::vector<model::PointEntry> entries_of_line(const std::vector<model::PointEntry>& entries,
                                               const std::string& line) {
    std::vector<model::PointEntry> out;
    std::copy_if(entries.begin(), entries.end(), std::back_inserter(out),
                 [&](const model::PointEntry& e) { return e.line == line; });
    return out;
}

std::string table_version(const std::vector<ScoreRow>& rows,
                          const std::vector<ScoreRow>& adjustments) {
    nlohmann::json canonical = nlohmann::json::array();
    for (const auto* list : {&rows, &adjustments}) {
        for (const ScoreRow& row : *list) {
            canonical.push_back({row.adjusts_week, row.company, row.department, row.staff_id,
                                 format_points(row.score.truthfulness),
                                 format_points(row.score.quality)});
        }
        canonical.push_back("|");
    }
    const std::string text = canonical.dump();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < 4; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

std::vector<WeekTable> week_tables(const State& state, const settings::ScoreSettings& settings,
                                   const time::ScorePeriod& week) {
    const std::vector<model::PointEntry> entries = state.point_entries_between(week.from, week.to);
    std::vector<settings::ScoreLineSettings> lines = settings.lines;
    if (std::any_of(entries.begin(), entries.end(),
                    [](const model::PointEntry& e) { return e.line.empty(); })) {
        lines.emplace_back();
    }
    std::vector<WeekTable> out;
    for (auto& line : lines) {
        const std::vector<model::PointEntry> mine = entries_of_line(entries, line.name);
        WeekTable table{std::move(line), table_rows(mine), adjustment_rows(mine), ""};
        table.version = table_version(table.rows, table.adjustments);
        out.push_back(std::move(table));
    }
    return out;
}

}  // namespace ledgerbot::bot::scoring
