#include "bot/scoring/score_sheet.hpp"

#include <catch2/catch.hpp>

#include "bot/time/score_period.hpp"
#include "tests/bot/score_fixtures.hpp"

namespace {

using namespace ledgerbot::tests::scores;
using ledgerbot::tests::demo_directory;
using ledgerbot::tests::InMemoryState;

// Week 47 of 2026: Monday 16 to Sunday 22 November.
const ScorePeriod kW47 = *parse_week("2026-W47");
const std::int64_t kMonday = at(2026, 11, 23, 15);  // the Monday the table is published

}  // namespace

TEST_CASE("ISO weeks in Asia/Shanghai: labels, boundaries and the 53rd week", "[scoring]") {
    CHECK(kW47.from == at(2026, 11, 16, 0));
    CHECK(kW47.to == at(2026, 11, 22, 23, 59) + 59);
    CHECK(previous_week(kMonday) == kW47);
    CHECK(week_of(at(2026, 11, 22, 23, 59)).label == "2026-W47");
    // Monday 00:10 in Shanghai is still Sunday 16:10 in UTC: it is week 48 here.
    CHECK(week_of(at(2026, 11, 23, 0, 10)).label == "2026-W48");
    const auto w53 = parse_week("2026-W53");
    REQUIRE(w53);
    CHECK(w53->from == at(2026, 12, 28, 0));
    CHECK(w53->to == at(2027, 1, 3, 23, 59) + 59);
    CHECK_FALSE(parse_week("2025-W53"));  // 2025 has 52 weeks
    CHECK_FALSE(parse_week("2026-W00"));
    CHECK_FALSE(parse_week("2026W47"));
    CHECK_FALSE(parse_week("2026-W4x"));
    CHECK(parse_week("2021-W01")->from == at(2021, 1, 4, 0));  // 2021-01-01 was in 2020-W53
    CHECK(parse_year("2026")->to == at(2026, 12, 31, 23, 59) + 59);
    CHECK_FALSE(parse_year("26"));
}

TEST_CASE("A visit scores for its author; the table sums truthfulness and quality", "[scoring]") {
    InMemoryState state(demo_directory());
    const auto time = at(2026, 11, 18);
    state.add_visit(visit(1, 1, time));
    state.add_evidence(evidence_for(1, time + 7200));
    state.put_demand(demand(1, 1, at(2026, 11, 20), 60, 120000));
    const auto rows = score_period(state, engine_settings().scores, kW47, kMonday);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].staff_name == "张三");
    CHECK(rows[0].department == "市场发展部");
    CHECK(rows[0].line == "业务一线");
    CHECK(rows[0].company == "宁夏示例科技有限公司");
    CHECK(rows[0].score.truthfulness == 7);
    CHECK(rows[0].score.quality == Approx(3 + 6));
}

TEST_CASE("Quality is what the ledger shows at the scoring date", "[scoring]") {
    InMemoryState state(demo_directory());
    const auto time = at(2026, 11, 18);
    state.add_visit(visit(1, 1, time));
    // Signed after the Monday the table is drawn: not yet landed then.
    state.put_demand(demand(1, 1, kMonday + 3600, 100, 50000));
    const auto scores = engine_settings().scores;
    CHECK(score_period(state, scores, kW47, kMonday)[0].score.quality == 0);
    CHECK(score_period(state, scores, kW47, kMonday + 7200)[0].score.quality == 3 + 10);
    // A ratio without revenue is no 创收.
    state.put_demand(demand(1, 1, time, 100, 0));
    CHECK(score_period(state, scores, kW47, kMonday)[0].score.quality == 3);
}

TEST_CASE("Joint visits: one department splits 50/50, two departments earn each", "[scoring]") {
    const auto scores = engine_settings().scores;
    const auto time = at(2026, 11, 18);
    SECTION("张三 and 孙七, both of 市场发展部") {
        InMemoryState state(demo_directory());
        state.add_visit(visit(1, 1, time, "zhangsan", {"张三", "孙七"}));
        state.put_demand(demand(1, 1, time, 0, 0));
        const auto rows = score_period(state, scores, kW47, kMonday);
        REQUIRE(rows.size() == 2);
        CHECK(row_of(rows, 1, "zhangsan")->score.quality == Approx(1.5));
        CHECK(row_of(rows, 1, "sunqi")->score.quality == Approx(1.5));
        // 同部门协同走访: every visitor is credited with half of every item due.
        CHECK(row_of(rows, 1, "zhangsan")->score.truthfulness == 2);
        CHECK(row_of(rows, 1, "sunqi")->score.truthfulness == 2);
        CHECK(row_of(rows, 1, "sunqi")->score.lines.front().share == 0.5);
    }
    SECTION("张三 of 市场发展部 and 李四 of 企业服务部") {
        InMemoryState state(demo_directory());
        state.add_visit(visit(1, 1, time, "zhangsan", {"张三", "李四"}));
        state.put_demand(demand(1, 1, time, 0, 0));
        const auto rows = score_period(state, scores, kW47, kMonday);
        REQUIRE(rows.size() == 2);
        CHECK(row_of(rows, 1, "zhangsan")->score.quality == 3);
        CHECK(row_of(rows, 1, "lisi")->score.quality == 3);
        CHECK(row_of(rows, 1, "lisi")->score.truthfulness == 4);
    }
}

TEST_CASE("The 3-visit cap counts per company and Shanghai calendar year, voids take no place",
          "[scoring]") {
    InMemoryState state(demo_directory());
    // Four visits to 示例科技 in late December 2026, one at 00:30 on 2027-01-01 (Shanghai).
    state.add_visit(visit(1, 1, at(2026, 12, 28, 9)));
    state.add_visit(visit(2, 1, at(2026, 12, 29, 9)));
    state.add_visit(visit(3, 1, at(2026, 12, 30, 9)));
    state.add_visit(visit(4, 1, at(2026, 12, 31, 23, 30)));
    state.add_visit(visit(5, 1, at(2027, 1, 1, 0, 30)));
    state.add_visit(visit(6, 2, at(2026, 12, 31, 9)));  // another company: its own count
    const auto scores = engine_settings().scores;
    const auto week = *parse_week("2026-W53");
    const auto score_of = [&](std::int64_t number) {
        const auto rows = score_period(state, scores, week, at(2027, 1, 4, 15));
        return row_of(rows, number, "zhangsan")->score.truthfulness;
    };
    CHECK(score_of(3) == 4);
    CHECK(score_of(4) == 0);  // the fourth of 2026
    CHECK(score_of(5) == 4);  // the first of 2027
    CHECK(score_of(6) == 4);

    // The director voids the second: the fourth becomes the third valid one.
    Decision voiding;
    voiding.score_changes.emplace_back(VisitVoided{VisitVoid{2, "存疑", "zhengshi", "郑十", 0}});
    state.apply(voiding);
    CHECK(score_of(2) == 0);
    CHECK(score_of(4) == 4);
}

TEST_CASE("Omissions: supplemented in time costs 1, left past the deadline voids the visit",
          "[scoring]") {
    const auto time = at(2026, 11, 17);
    const auto found = at(2026, 11, 18, 11);
    const auto deadline = at(2026, 11, 20, 23, 59) + 59;
    const auto scores = engine_settings().scores;
    const auto fixture = [&] {
        InMemoryState state(demo_directory());
        state.add_visit(visit(1, 1, time));
        state.add_evidence(evidence_for(1, time));
        state.put_demand(demand(1, 1, time, 0, 0));
        Decision finding;
        finding.score_changes.emplace_back(FindingRecorded{
            VisitFinding{1, "omission", "缺少走访内容", "zhengshi", "郑十", found, deadline}});
        state.apply(finding);
        return state;
    };
    const auto supplement = [](InMemoryState& state, std::int64_t when) {
        Decision decision;
        VisitRecordSupplemented s;
        s.record = *state.visit(1);
        s.at = when;
        decision.changes.emplace_back(std::move(s));
        state.apply(decision);
    };
    SECTION("not yet due: the deduction only") {
        auto state = fixture();
        const auto row = score_period(state, scores, kW47, found + 3600)[0];
        CHECK(row.score.truthfulness == 4);  // 5 without the bonus, −1
        CHECK(row.score.quality == 3);
    }
    SECTION("supplemented before the deadline") {
        auto state = fixture();
        supplement(state, deadline - 60);
        CHECK(score_period(state, scores, kW47, kMonday)[0].score.truthfulness == 4);
    }
    SECTION("supplemented too late, or not at all: nothing, quality included") {
        auto state = fixture();
        supplement(state, deadline + 60);
        const auto row = score_period(state, scores, kW47, kMonday)[0];
        CHECK(row.score.total() == 0);
        CHECK(row.score.lines.front().item == "omission_overdue");
    }
}

namespace {

/// 贺兰山酒庄 (培育: not listed), with a landed referral by 张三 from its visit V1.
void first_visit_to_the_winery(InMemoryState& state) {
    VisitRecord first = visit(1, 3, at(2026, 11, 17));
    first.company_name = "宁夏贺兰山葡萄酒庄有限公司";
    state.add_visit(first);
    Demand referral = demand(1, 1, 0);
    referral.company_id = 3;
    referral.referred_by = "zhangsan";
    referral.referral_landed_at = at(2026, 11, 19);
    state.put_demand(referral);
}

Directory with_served_since(std::int64_t company_id, std::int64_t since) {
    const Directory demo = demo_directory();
    std::vector<Company> companies = demo.companies();
    for (Company& company : companies) {
        if (company.id == company_id) {
            company.served_since = since;
        }
    }
    return Directory(companies, demo.staff());
}

}  // namespace

TEST_CASE("A first visit to a new company that did not land earns no quality points", "[scoring]") {
    const auto scores = engine_settings().scores;
    InMemoryState state(demo_directory());
    first_visit_to_the_winery(state);
    auto rows = score_period(state, scores, kW47, kMonday);
    CHECK(rows[0].score.quality == 0);
    CHECK(rows[0].score.lines.back().item == "new_company_not_landed");

    // Visited in an earlier year: no longer new, so the landed referral counts.
    VisitRecord earlier = visit(2, 3, at(2025, 3, 1));
    state.add_visit(earlier);
    rows = score_period(state, scores, kW47, kMonday);
    CHECK(row_of(rows, 1, "zhangsan")->score.quality == 5);
}

TEST_CASE("A listed company, or one served before the system, is not new at its first visit",
          "[scoring]") {
    const auto scores = engine_settings().scores;
    SECTION("星河新材 is 挂牌: its first visit in the system is not a new company's") {
        InMemoryState state(demo_directory());
        state.add_visit(visit(1, 2, at(2026, 11, 17)));
        Demand referral = demand(1, 1, 0);
        referral.company_id = 2;
        referral.referred_by = "zhangsan";
        referral.referral_landed_at = at(2026, 11, 19);
        state.put_demand(referral);
        CHECK(row_of(score_period(state, scores, kW47, kMonday), 1, "zhangsan")->score.quality ==
              5);
    }
    SECTION("served since 2024-03-01 by the import: not new") {
        InMemoryState state(with_served_since(3, at(2024, 3, 1, 0)));
        first_visit_to_the_winery(state);
        CHECK(row_of(score_period(state, scores, kW47, kMonday), 1, "zhangsan")->score.quality ==
              5);
    }
    SECTION("served since a date after the visit: still new") {
        InMemoryState state(with_served_since(3, at(2026, 12, 1, 0)));
        first_visit_to_the_winery(state);
        CHECK(row_of(score_period(state, scores, kW47, kMonday), 1, "zhangsan")->score.quality ==
              0);
    }
    SECTION("a centre whose listed statuses do not include 挂牌: 星河新材 is new") {
        auto rules_scores = scores;
        rules_scores.rules.listed_statuses = {"上市"};
        InMemoryState state(demo_directory());
        state.add_visit(visit(1, 2, at(2026, 11, 17)));
        CHECK(score_period(state, rules_scores, kW47, kMonday)[0].score.lines.back().item ==
              "new_company_not_landed");
    }
}

TEST_CASE("A landed referral earns the referrer 5 even when they did not go", "[scoring]") {
    const auto scores = engine_settings().scores;
    InMemoryState state(demo_directory());
    state.add_visit(visit(1, 1, at(2026, 11, 17)));
    Demand referred = demand(1, 1, at(2026, 11, 18));
    referred.referred_by = "lisi";
    referred.referral_department = "投行业务部";
    referred.referral_landed_at = at(2026, 11, 19);
    state.put_demand(referred);
    const auto rows = score_period(state, scores, kW47, kMonday);
    REQUIRE(rows.size() == 2);
    CHECK(row_of(rows, 1, "zhangsan")->score.quality == 3);
    CHECK(row_of(rows, 1, "lisi")->score.quality == 5);
    CHECK(row_of(rows, 1, "lisi")->score.truthfulness == 0);
    CHECK(row_of(rows, 1, "lisi")->department == "企业服务部");
}

TEST_CASE("Only visits of the week are rows; the week ends at Sunday midnight in Shanghai",
          "[scoring]") {
    InMemoryState state(demo_directory());
    state.add_visit(visit(1, 1, at(2026, 11, 15, 23, 50)));  // Sunday of W46
    state.add_visit(visit(2, 1, at(2026, 11, 16, 0, 5)));    // Monday of W47
    state.add_visit(visit(3, 1, at(2026, 11, 22, 23, 59)));  // Sunday of W47
    state.add_visit(visit(4, 1, at(2026, 11, 23, 0, 0)));    // Monday of W48
    const auto rows = score_period(state, engine_settings().scores, kW47, kMonday);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].visit_number == 2);
    CHECK(rows[1].visit_number == 3);
    // The cap still counts W46's visit: W47's are the 2nd and 3rd of the year.
    CHECK(rows[1].score.truthfulness == 4);
}

TEST_CASE("Annual ranking: departments and lines by total, the director named", "[scoring]") {
    InMemoryState state(demo_directory());
    state.add_visit(visit(1, 1, at(2026, 3, 2)));
    state.add_visit(visit(2, 2, at(2026, 5, 6), "lisi", {"李四"}));
    state.add_visit(visit(3, 1, at(2026, 6, 1), "zhaoliu", {"赵六"}));
    state.put_demand(demand(1, 2, at(2026, 6, 1), 100, 10000));
    const auto scores = engine_settings().scores;
    const auto rows = score_period(state, scores, *parse_year("2026"), at(2026, 12, 31, 17));
    const Ranking ranking = rank(rows, scores, state.directory());
    REQUIRE(ranking.departments.size() == 3);
    CHECK(ranking.departments[0].name == "企业服务部");
    CHECK(ranking.departments[0].total() == 4 + 13);
    REQUIRE(ranking.lines.size() == 2);
    CHECK(ranking.lines[0].name == "业务一线");
    CHECK(ranking.lines[0].director == "郑十");
    CHECK(ranking.lines[0].total() == 4 + 4 + 13);
    CHECK(ranking.lines[1].total() == 4);
}

TEST_CASE("Points read without noise", "[scoring]") {
    CHECK(format_points(7) == "7");
    CHECK(format_points(4.5) == "4.5");
    CHECK(format_points(1.65) == "1.65");
    CHECK(format_points(10.0 * 0.333) == "3.33");
    CHECK(format_points(-1) == "-1");
    CHECK(format_points(-0.0001) == "0");
}

TEST_CASE("The cap's scope: per company, or per company and author", "[scoring]") {
    InMemoryState state(demo_directory());
    state.add_visit(visit(1, 1, at(2026, 3, 2)));
    state.add_visit(visit(2, 1, at(2026, 5, 6)));
    state.add_visit(visit(3, 1, at(2026, 9, 1)));
    state.add_visit(visit(4, 1, at(2026, 11, 18), "lisi", {"李四"}));  // the 4th to 示例科技
    auto scores = engine_settings().scores;
    CHECK(row_of(score_period(state, scores, kW47, kMonday), 4, "lisi")->score.truthfulness == 0);
    scores.rules.visit_cap_per_reporter = true;  // 李四's first
    CHECK(row_of(score_period(state, scores, kW47, kMonday), 4, "lisi")->score.truthfulness == 4);
}
