#include "bot/scoring/scoring.hpp"

#include <algorithm>
#include <map>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::scoring {

VisitScore score_visit(const VisitFacts& facts, const settings::ScoringRules& rules) {
    VisitScore score;
    // 同部门协同走访实现得分的，按照应得积分各50%计分: each visitor of one department gets the
    // share of every item due (of quality alone when the centre splits only that).
    const double share = facts.same_department_visitors > 1 ? rules.joint_visit_share : 1.0;
    const double truth_share = rules.joint_split_truthfulness ? share : 1.0;
    const auto add = [&](const char* item, double points, double item_share, double& into) {
        score.lines.push_back(ScoreLine{item, points * item_share, item_share});
        into += points * item_share;
    };

    // Truthfulness. A voided record, an omission left unsupplemented, or a visit past the
    // annual cap scores nothing; otherwise the three parts, the bonus for full marks without
    // findings, and a deduction per finding (never below zero).
    if (facts.referral_only || facts.demand_only) {
        // The referrer's row carries the referral alone; a demand without a visit has no record.
    } else if (facts.voided) {
        add("voided", 0, 1, score.truthfulness);
    } else if (facts.omission_overdue) {
        add("omission_overdue", 0, 1, score.truthfulness);
    } else if (rules.visits_per_company_per_year > 0 &&
               facts.annual_position > rules.visits_per_company_per_year) {
        add("beyond_annual_cap", 0, 1, score.truthfulness);
    } else {
        if (facts.complete) {
            add("complete", rules.complete, truth_share, score.truthfulness);
        }
        add("accurate", rules.accurate, truth_share, score.truthfulness);
        if (facts.has_evidence) {
            add("evidence", rules.evidence, truth_share, score.truthfulness);
        }
        const int findings = facts.inaccuracy_findings + facts.omission_findings;
        if (facts.complete && facts.has_evidence && findings == 0 && rules.full_marks_bonus > 0) {
            add("full_marks_bonus", rules.full_marks_bonus, truth_share, score.truthfulness);
        }
        for (int i = 0; i < findings; ++i) {
            add("finding", -rules.finding_deduction, truth_share, score.truthfulness);
        }
        if (score.truthfulness < 0) {
            // Deductions stop at zero; the line keeps the breakdown summing to the total.
            add("no_negative", -score.truthfulness, 1, score.truthfulness);
        }
    }

    // Quality. Nothing for a voided visit or one whose omission was left unsupplemented (该次走访
    // 不计分), nor for a first visit to a new company that did not land.
    if (facts.voided || facts.omission_overdue) {
        return score;
    }
    if (facts.referral_only) {
        if (facts.referral_landed) {
            add("referral_landed", rules.referral_landed, 1, score.quality);
        }
        return score;
    }
    if (rules.first_visit_needs_landing && facts.first_visit_to_new_company && !facts.landed &&
        !facts.demand_only) {
        add("new_company_not_landed", 0, 1, score.quality);
        return score;
    }
    if (facts.landed) {
        add("landed", rules.landed, share, score.quality);
    }
    if (facts.completion_ratio > 0) {
        add("revenue", rules.revenue * std::clamp(facts.completion_ratio, 0.0, 1.0), share,
            score.quality);
    }
    if (facts.referral_landed) {
        add("referral_landed", rules.referral_landed, share, score.quality);
    }
    return score;
}

std::vector<int> annual_positions(
    const std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, bool>>& visits) {
    std::map<std::pair<std::int64_t, int>, int> seen;  // (company, year) → valid visits so far
    std::vector<int> out;
    out.reserve(visits.size());
    for (const auto& [visit, voided] : visits) {
        if (voided) {
            out.push_back(0);
            continue;
        }
        const int year = static_cast<int>(time::local_date(visit.second).year());
        out.push_back(++seen[{visit.first, year}]);
    }
    return out;
}

}  // namespace ledgerbot::bot::scoring
