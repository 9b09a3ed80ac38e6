#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bot/settings/scoring_rules.hpp"

/// 第十七条 points as pure arithmetic: what one visit earns in truthfulness (真实性) and quality
/// (质效), with a breakdown that can be shown line by line. Every value is configuration
/// (config/scoring.toml), so another centre changes the file, not the code.
namespace ledgerbot::bot::scoring {

/// What is known about one visit for one visitor when it is scored.
struct VisitFacts {
    bool complete = false;      ///< every required field filled (after supplements)
    bool has_evidence = false;  ///< at least one evidence image
    int inaccuracy_findings = 0;
    int omission_findings = 0;
    bool omission_overdue = false;  ///< an omission not supplemented by its deadline
    bool voided = false;            ///< voided by the line director as doubtful or fabricated
    int annual_position = 1;        ///< 1-based among the company's valid visits that year
    bool landed = false;
    double completion_ratio = 0;   ///< of the agreement at the scoring date, 0..1
    bool referral_landed = false;  ///< this visitor referred it and it landed
    bool first_visit_to_new_company = false;
    int same_department_visitors = 1;  ///< joint visit by people of one department
    /// A referrer who did not go on the visit: only the referral scores for them.
    bool referral_only = false;
    /// A demand that came from no visit: its quality points only (no truthfulness, and the
    /// new-company rule is about first visits).
    bool demand_only = false;
};

struct ScoreLine {
    std::string item;  ///< complete | accurate | evidence | full_marks_bonus | finding |
                       ///< no_negative | voided | omission_overdue | beyond_annual_cap | landed |
                       ///< revenue | referral_landed | new_company_not_landed
    double points = 0;
    double share = 1;                ///< a same-department joint visit's share, already in `points`
    std::int64_t at = 0;             ///< when it was earned (set by the score sheet; 0 = not known)
    std::int64_t demand_number = 0;  ///< landed, revenue, referral: the demand it came from
};

struct VisitScore {
    double truthfulness = 0;
    double quality = 0;
    std::vector<ScoreLine> lines;

    double total() const { return truthfulness + quality; }
};

VisitScore score_visit(const VisitFacts& facts, const settings::ScoringRules& rules);

/// Each visit's 1-based position among its company's visits in its calendar year
/// (Asia/Shanghai), in the order given; voided visits get 0 and do not take a place.
/// Input: (company id, visit time, voided) per visit.
std::vector<int> annual_positions(
    const std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, bool>>& visits);

}  // namespace ledgerbot::bot::scoring
