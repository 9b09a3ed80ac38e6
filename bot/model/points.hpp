#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

/// The points journal (积分流水) of 第十七条: every change of a person's points is an entry dated
/// when it was earned or lost, never edited; a week's table is that week's entries.
namespace ledgerbot::bot::model {

struct PointEntry {
    std::int64_t id = 0;           ///< storage's sequence; 0 before it is stored
    std::int64_t at = 0;           ///< when the points were earned or lost (the week it counts in)
    std::int64_t recorded_at = 0;  ///< when the journal learnt it
    std::string person_id;
    std::string person_name;
    std::string department;
    std::string line;  ///< "" = a department no line lists
    std::optional<std::int64_t> company_id;
    std::string company;
    std::int64_t visit_number = 0;   ///< 0 = not from a visit
    std::int64_t demand_number = 0;  ///< 0 = not about one demand
    std::string item;                ///< a ScoreLine item: complete, landed, finding, …
    std::string axis;                ///< truthfulness | quality
    std::string rule;                ///< the config key, e.g. scoring.truthfulness.complete
    double points = 0;
    double share = 1;  ///< a same-department joint visit's share (0.5), else 1
    /// The week this entry corrects when it was earned in a week already published (调整), else "".
    std::string adjusts_week;
    /// What the explanation is rendered from (templates/score_item.mustache): reason, cause, …
    nlohmann::json detail = nlohmann::json::object();

    bool operator==(const PointEntry&) const = default;
};

/// A line's weekly table as it went out on Monday afternoon: kept as published, forever.
struct PublishedTable {
    std::string week;  ///< 2026-W47
    std::string line;
    std::string version;      ///< the short hash of its rows
    nlohmann::json table;     ///< the rows and totals exactly as posted
    std::string approved_by;  ///< "" = published 未复核
    std::int64_t approved_at = 0;
    std::int64_t published_at = 0;

    bool operator==(const PublishedTable&) const = default;
};

}  // namespace ledgerbot::bot::model
