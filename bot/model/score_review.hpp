#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/model/ledger_types.hpp"

/// What line directors decide about visit records and weekly tables (第十七条 考核规则): findings
/// of inaccuracy or omission, records voided as doubtful, and the weekly review of a line.
namespace ledgerbot::bot::model {

/// `/核查 V12 不准确 …` or `/核查 V12 遗漏 …`: each finding deducts points. An omission must be
/// supplemented (`/补充 V12 …`) by its deadline, or the visit scores nothing.
struct VisitFinding {
    std::int64_t visit_number = 0;
    std::string kind;  ///< inaccurate | omission
    std::string reason;
    std::string by_id;
    std::string by_name;
    std::int64_t at = 0;
    std::int64_t deadline = 0;  ///< omission: supplement by then; 0 for an inaccuracy

    bool operator==(const VisitFinding&) const = default;
};

/// `/复核 作废 V12 …`: the record is doubtful or fabricated; it scores nothing and compliance is
/// told (计入当月绩效考核扣分项).
struct VisitVoid {
    std::int64_t visit_number = 0;
    std::string reason;
    std::string by_id;
    std::string by_name;
    std::int64_t at = 0;
    /// The reporter withdrew it as posted by mistake (/撤回), rather than a director voiding it.
    /// Either way it earns nothing; a withdrawn record does not count as a visit either.
    bool withdrawn = false;

    bool operator==(const VisitVoid&) const = default;
};

/// `/复核 通过`: a line director reviewed the line's table of one ISO week (2026-W47).
struct ScoreReview {
    std::string week;
    std::string line;
    std::string by_id;
    std::int64_t at = 0;
    /// The version of the table approved (its rows' short hash): a later entry dated in that
    /// week makes another version, which this approval does not cover.
    std::string version{};

    bool operator==(const ScoreReview&) const = default;
};

/// Everything besides the record that one visit's score depends on.
struct VisitScoringDetails {
    std::vector<Demand> demands;                 ///< the demands it collected, by number
    std::vector<std::int64_t> supplement_times;  ///< each `/补充`, oldest first
    std::vector<VisitFinding> findings;          ///< in the order they were made
    std::optional<VisitVoid> voided;
    std::int64_t evidence = 0;  ///< evidence images attached
};

}  // namespace ledgerbot::bot::model
