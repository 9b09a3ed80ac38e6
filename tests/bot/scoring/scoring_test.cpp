#include "bot/scoring/scoring.hpp"

#include <catch2/catch.hpp>

#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"

namespace {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::scoring;

ScoringRules default_rules() {
    return ledgerbot::config::load_default_scoring_rules();
}

ScoringRules appendix_rules() {
    ScoringRules rules = default_rules();
    rules.full_marks_bonus = 0;  // the appendix's example rows show no bonus
    return rules;
}

VisitFacts complete_visit() {
    VisitFacts facts;
    facts.complete = true;
    return facts;
}

}  // namespace

TEST_CASE("Seed check: the appendix's two visits give 4+3=7 and 5+10=15, 9/13/22 in total",
          "[scoring]") {
    // 示例企业一: complete and accurate without evidence (4); the service agreement signed (3).
    VisitFacts first = complete_visit();
    first.landed = true;
    // 示例企业二: complete, accurate, with evidence (5); the agreement fully delivered (10).
    VisitFacts second = complete_visit();
    second.has_evidence = true;
    second.completion_ratio = 1.0;

    const ScoringRules appendix = appendix_rules();
    const VisitScore a = score_visit(first, appendix);
    const VisitScore b = score_visit(second, appendix);
    CHECK(a.truthfulness == 4);
    CHECK(a.quality == 3);
    CHECK(a.total() == 7);
    CHECK(b.truthfulness == 5);
    CHECK(b.quality == 10);
    CHECK(b.total() == 15);
    CHECK(a.truthfulness + b.truthfulness == 9);
    CHECK(a.quality + b.quality == 13);
    CHECK(a.total() + b.total() == 22);

    // The article's default grants the full-marks bonus: the second visit is 7 + 10.
    const ScoringRules article = default_rules();
    CHECK(score_visit(first, article).total() == 7);
    CHECK(score_visit(second, article).truthfulness == 7);
    CHECK(score_visit(first, article).truthfulness + score_visit(second, article).truthfulness ==
          11);
    CHECK(score_visit(first, article).total() + score_visit(second, article).total() == 24);
}

TEST_CASE("Truthfulness rules, one row each", "[scoring]") {
    const ScoringRules rules = default_rules();
    const auto [why, inaccurate, omitted, overdue, voided, position, evidence, expected] =
        GENERATE(table<std::string, int, int, bool, bool, int, bool, double>({
            {"full marks with the bonus", 0, 0, false, false, 1, true, 7},
            {"no evidence", 0, 0, false, false, 1, false, 4},
            {"one inaccuracy: -1 and no bonus", 1, 0, false, false, 1, true, 4},
            {"an omission supplemented in time: -1", 0, 1, false, false, 1, true, 4},
            {"an omission left past its deadline: nothing", 0, 1, true, false, 1, true, 0},
            {"voided as doubtful: nothing", 0, 0, false, true, 1, true, 0},
            {"the third visit of the year still scores", 0, 0, false, false, 3, true, 7},
            {"the fourth does not", 0, 0, false, false, 4, true, 0},
            {"never below zero", 9, 0, false, false, 1, false, 0},
        }));
    INFO(why);
    VisitFacts facts = complete_visit();
    facts.inaccuracy_findings = inaccurate;
    facts.omission_findings = omitted;
    facts.omission_overdue = overdue;
    facts.voided = voided;
    facts.annual_position = position;
    facts.has_evidence = evidence;
    CHECK(score_visit(facts, rules).truthfulness == expected);
}

TEST_CASE("Quality rules: landing, revenue by ratio, referral, new companies, joint visits",
          "[scoring]") {
    const ScoringRules rules = default_rules();
    VisitFacts facts = complete_visit();
    facts.landed = true;
    facts.completion_ratio = 0.6;
    CHECK(score_visit(facts, rules).quality == Approx(3 + 6));
    facts.referral_landed = true;
    CHECK(score_visit(facts, rules).quality == Approx(3 + 6 + 5));
    // Joint visit within one department: 50 / 50.
    facts.same_department_visitors = 2;
    CHECK(score_visit(facts, rules).quality == Approx((3 + 6 + 5) / 2.0));

    VisitFacts new_company = complete_visit();
    new_company.first_visit_to_new_company = true;
    new_company.referral_landed = true;
    const VisitScore nothing = score_visit(new_company, rules);
    CHECK(nothing.quality == 0);
    CHECK(nothing.lines.back().item == "new_company_not_landed");
    new_company.landed = true;
    CHECK(score_visit(new_company, rules).quality == 3 + 5);
}

TEST_CASE("The 3-visit cap counts valid visits per company per calendar year in Shanghai",
          "[scoring]") {
    // 2026-12-31 23:30 Shanghai is still 2026 there (15:30 UTC); 2027-01-01 00:30 is 2027.
    const std::int64_t late_2026 = from_local(std::chrono::year{2026} / 12 / 31, 23, 30, 0);
    const std::int64_t early_2027 = from_local(std::chrono::year{2027} / 1 / 1, 0, 30, 0);
    const std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, bool>> visits = {
        {{1, late_2026 - 3 * 86400}, false},
        {{1, late_2026 - 2 * 86400}, true},
        {{1, late_2026 - 86400}, false},
        {{2, late_2026 - 86400}, false},
        {{1, late_2026}, false},
        {{1, late_2026 + 1800}, false},
        {{1, early_2027}, false},
    };
    // The voided visit takes no place; the year turns at Shanghai midnight (late_2026 + 1800
    // is 2027-01-01 00:00 there), so 2027 starts counting again.
    CHECK(annual_positions(visits) == std::vector<int>{1, 0, 2, 1, 3, 1, 2});
}
