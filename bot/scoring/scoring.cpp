#include "bot/scoring/scoring.hpp"

#include <algorithm>
#include <map>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::scoring {

VisitScore score_visit(const VisitFacts& facts, const settings::ScoringRules& rules) {
    VisitScore score;
    const auto add = [&](const char* item, double points, double& into) {
        score.lines.push_back(ScoreLine{item, points});
        into += points;
    };

    // Truthfulness. A voided record, an omission left unsupplemented, or a visit past the
    // annual cap scores nothing; otherwise the three parts, the bonus for full marks without
    // findings, and a deduction per finding (never below zero).
    if (facts.voided) {
        add("voided", 0, score.truthfulness);
    } else if (!facts.record_author) {
        add("co_visitor", 0, score.truthfulness);
    } else if (facts.omission_overdue) {
        add("omission_overdue", 0, score.truthfulness);
    } else if (rules.visits_per_company_per_year > 0 &&
               facts.annual_position > rules.visits_per_company_per_year) {
        add("beyond_annual_cap", 0, score.truthfulness);
    } else {
        if (facts.complete) {
            add("complete", rules.complete, score.truthfulness);
        }
        add("accurate", rules.accurate, score.truthfulness);
        if (facts.has_evidence) {
            add("evidence", rules.evidence, score.truthfulness);
        }
        const int findings = facts.inaccuracy_findings + facts.omission_findings;
        if (facts.complete && facts.has_evidence && findings == 0 && rules.full_marks_bonus > 0) {
            add("full_marks_bonus", rules.full_marks_bonus, score.truthfulness);
        }
        for (int i = 0; i < findings; ++i) {
            add("finding", -rules.finding_deduction, score.truthfulness);
        }
        score.truthfulness = std::max(0.0, score.truthfulness);
    }

    // Quality. Nothing for a voided visit or one whose omission was left unsupplemented (该次走访
    // 不计分), nor for a first visit to a new company that did not land; a joint visit within one
    // department splits what it earns.
    if (facts.voided || facts.omission_overdue) {
        return score;
    }
    if (rules.first_visit_needs_landing && facts.first_visit_to_new_company && !facts.landed) {
        add("new_company_not_landed", 0, score.quality);
        return score;
    }
    if (facts.landed) {
        add("landed", rules.landed, score.quality);
    }
    if (facts.completion_ratio > 0) {
        add("revenue", rules.revenue * std::clamp(facts.completion_ratio, 0.0, 1.0), score.quality);
    }
    if (facts.referral_landed) {
        add("referral_landed", rules.referral_landed, score.quality);
    }
    if (facts.same_department_visitors > 1 && score.quality > 0) {
        const double share = score.quality * rules.joint_visit_share;
        add("joint_visit_share", share - score.quality, score.quality);
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
