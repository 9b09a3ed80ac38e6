#include "bot/scoring/points_journal.hpp"

#include <catch2/catch.hpp>

#include "bot/scoring/score_table.hpp"
#include "tests/bot/playback.hpp"
#include "tests/bot/score_fixtures.hpp"

namespace {

using namespace ledgerbot::tests::scores;
using ledgerbot::tests::demo_directory;
using ledgerbot::tests::InMemoryState;
using ledgerbot::tests::playback::notices_of;

InboundEvent tick(std::string job, std::string period, std::int64_t time) {
    InboundEvent event;
    event.id = job + ":" + period;
    event.source = std::string(kSchedulerSource);
    event.type = EventType::tick;
    event.job = std::move(job);
    event.time = time;
    return event;
}

InboundEvent command(const std::string& text, const std::string& sender, std::int64_t time) {
    InboundEvent event;
    event.id = "cmd-" + std::to_string(time);
    event.source = "generic";
    event.type = EventType::message;
    event.chat.id = "director-dm";
    event.chat.kind = ChatKind::direct;
    event.sender = Person{sender, sender, ""};
    event.text = text;
    event.time = time;
    return event;
}

/// The engine and an in-memory ledger; every change goes through the journal as storage does.
struct Journal {
    Engine engine{engine_settings()};
    InMemoryState state{demo_directory()};

    /// A ledger change made at `time` (a report, a supplement, a landing), as its event would.
    void change(Decision decided, std::int64_t time) {
        state.apply(decided);
        InboundEvent event = command("", "zhangsan", time);
        state.apply(engine.record_points(event, decided, state));
    }
    void new_visit(VisitRecord record) {
        Decision d;
        const std::int64_t time = record.reported_at;
        d.changes.emplace_back(VisitRecordCreated{std::move(record)});
        change(std::move(d), time);
    }
    void attach(std::int64_t visit, std::int64_t time) {
        Decision d;
        Evidence evidence = evidence_for(visit, time);
        d.changes.emplace_back(EvidenceAttached{evidence});
        change(std::move(d), time);
    }
    void demand_now(Demand demand, std::int64_t time) {
        Decision d;
        if (state.demand(demand.number)) {
            d.changes.emplace_back(DemandUpdated{std::move(demand), std::nullopt});
        } else {
            d.changes.emplace_back(DemandCreated{std::move(demand)});
        }
        change(std::move(d), time);
    }
    Decision play(const InboundEvent& event) {
        Decision decision = engine.handle(event, state);
        state.apply(decision);
        state.apply(engine.record_points(event, decision, state));
        return decision;
    }
    std::vector<WeekTable> tables(const std::string& week) const {
        return week_tables(state, engine.settings().scores, *parse_week(week));
    }
    WeekTable line_one(const std::vector<WeekTable>& tables) const {
        REQUIRE(!tables.empty());
        REQUIRE(tables.front().line.name == "业务一线");
        return tables.front();
    }
};

double sum(const std::vector<ScoreRow>& rows) {
    double total = 0;
    for (const auto& row : rows) {
        total += row.score.total();
    }
    return total;
}

}  // namespace

TEST_CASE("Three weeks of a points journal: late landings, a frozen week, versions, revenue",
          "[scoring][journal]") {
    Journal j;
    // W47 (11-16..11-22): 张三 visits company 1 on Tuesday, complete with evidence: 7 points.
    VisitRecord v1 = visit(1, 1, at(2026, 11, 17));
    j.new_visit(v1);
    j.attach(1, at(2026, 11, 17, 12));
    j.demand_now(demand(1, 1, 0), at(2026, 11, 17, 12));
    {
        const WeekTable& w47 = j.line_one(j.tables("2026-W47"));
        REQUIRE(w47.rows.size() == 1);
        CHECK(w47.rows[0].score.truthfulness == 7);
        // A first visit to a company not yet landed earns no quality.
        CHECK(w47.rows[0].score.quality == 0);
    }

    // Monday 09:00 the draft (version A) goes to the director, who approves it.
    const Decision draft = j.play(tick("score-draft", "2026-W48", at(2026, 11, 23, 9)));
    REQUIRE(!notices_of(draft, "score_table").empty());
    const std::string version_a = j.line_one(j.tables("2026-W47")).version;
    CHECK(notices_of(draft, "score_table").back()->fields.value("version", "") == version_a);
    j.play(command("/复核 通过", "zhengshi", at(2026, 11, 23, 10)));
    REQUIRE(j.state.score_review("2026-W47", "业务一线"));
    CHECK(j.state.score_review("2026-W47", "业务一线")->version == version_a);

    // At 11:00 a late report of last Friday arrives: the week's table becomes version B.
    VisitRecord v2 = visit(2, 2, at(2026, 11, 20), "sunqi", {"孙七"});
    v2.reported_at = at(2026, 11, 23, 11);
    j.new_visit(v2);
    const std::string version_b = j.line_one(j.tables("2026-W47")).version;
    CHECK(version_b != version_a);

    // 15:00: B is published marked 未复核 (the approval covered A) and stored as published.
    const Decision published = j.play(tick("weekly-scores", "2026-W48", at(2026, 11, 23, 15)));
    const auto tables = notices_of(published, "score_table");
    REQUIRE(!tables.empty());
    CHECK(tables.front()->fields.value("unreviewed", false));
    CHECK(!notices_of(published, "score_review_reminder").empty());
    const auto frozen = j.state.published_table("2026-W47", "业务一线");
    REQUIRE(frozen);
    CHECK(frozen->version == version_b);
    CHECK(frozen->approved_by.empty());
    CHECK(frozen->table.at("rows").size() == 2);

    // Tuesday of W48: V2's evidence arrives. Evidence counts at the visit, in W47, which is
    // published: it becomes an adjustment dated now, shown in W48's table in its own section.
    j.attach(2, at(2026, 11, 24, 9));
    CHECK(*j.state.published_table("2026-W47", "业务一线") == *frozen);
    const WeekTable& w47_after = j.line_one(j.tables("2026-W47"));
    CHECK(w47_after.version == version_b);  // nothing new dated in W47 itself
    const WeekTable& w48 = j.line_one(j.tables("2026-W48"));
    CHECK(w48.rows.empty());
    REQUIRE(w48.adjustments.size() == 1);
    CHECK(w48.adjustments[0].adjusts_week == "2026-W47");
    CHECK(w48.adjustments[0].staff_id == "sunqi");
    // The evidence point and the full-marks bonus it completes: 1 + 2.
    CHECK(w48.adjustments[0].score.truthfulness == 3);

    // W49: the agreement of V1's demand is agreement on 12-01, two weeks after the visit; its
    // landing points belong to W49, not to the visit's published week.
    Demand agreement = demand(1, 1, at(2026, 12, 1, 16), 50, 120000);
    j.demand_now(agreement, at(2026, 12, 1, 16));
    const WeekTable& w49 = j.line_one(j.tables("2026-W49"));
    REQUIRE(w49.rows.size() == 1);
    CHECK(w49.rows[0].company == "宁夏示例科技有限公司");
    CHECK(w49.rows[0].score.quality == 3 + 5);  // landed, and revenue at 50%
    CHECK(w49.adjustments.empty());

    // W50: the completion ratio goes to 80%: the delta (+3) is W50's.
    agreement.completion_percent = 80;
    j.demand_now(agreement, at(2026, 12, 8, 10));
    const WeekTable& w50 = j.line_one(j.tables("2026-W50"));
    REQUIRE(w50.rows.size() == 1);
    CHECK(w50.rows[0].score.quality == Approx(3));
    // W49 keeps what it earned.
    CHECK(j.line_one(j.tables("2026-W49")).rows[0].score.quality == 8);

    // Entries are never edited: every change above is another entry.
    for (const PointEntry& entry : j.state.journal()) {
        CHECK(entry.recorded_at >= entry.at - 1);
        CHECK(!entry.rule.empty());
    }
}

TEST_CASE("/复核 通过 is refused for a week not over and for one past the window",
          "[scoring][journal]") {
    Journal j;
    j.new_visit(visit(1, 1, at(2026, 11, 17)));
    const Decision early = j.play(command("/复核 通过 2026-W48", "zhengshi", at(2026, 11, 25)));
    REQUIRE(notices_of(early, "score_command_refused").size() == 1);
    CHECK(notices_of(early, "score_command_refused")[0]->fields.value("week_not_ended", false));
    const Decision old = j.play(command("/复核 通过 2026-W40", "zhengshi", at(2026, 11, 25)));
    REQUIRE(notices_of(old, "score_command_refused").size() == 1);
    CHECK(notices_of(old, "score_command_refused")[0]->fields.value("week_too_old", false));
    CHECK(!j.state.score_review("2026-W40", "业务一线"));
}

TEST_CASE("/复核 通过 with the version seen approves only that version", "[scoring][journal]") {
    Journal j;
    j.new_visit(visit(1, 1, at(2026, 11, 17)));
    const std::string seen = j.line_one(j.tables("2026-W47")).version;
    // A late report changes the table after the director looked at it.
    VisitRecord late = visit(2, 2, at(2026, 11, 20), "sunqi", {"孙七"});
    late.reported_at = at(2026, 11, 23, 9);
    j.new_visit(late);
    const std::string current = j.line_one(j.tables("2026-W47")).version;
    REQUIRE(current != seen);

    const Decision stale =
        j.play(command("/复核 通过 2026-W47 " + seen, "zhengshi", at(2026, 11, 23, 10)));
    REQUIRE(notices_of(stale, "score_command_refused").size() == 1);
    const auto& refused = notices_of(stale, "score_command_refused")[0]->fields;
    CHECK(refused.value("version_changed", false));
    CHECK(refused.value("seen", "") == seen);
    CHECK(refused.value("current", "") == current);
    CHECK(!j.state.score_review("2026-W47", "业务一线"));

    const Decision fresh =
        j.play(command("/复核 通过 2026-W47 " + current, "zhengshi", at(2026, 11, 23, 10, 5)));
    CHECK(notices_of(fresh, "score_review_recorded").size() == 1);
    REQUIRE(j.state.score_review("2026-W47", "业务一线"));
    CHECK(j.state.score_review("2026-W47", "业务一线")->version == current);
}

TEST_CASE("Joint visits: one department splits every item, two departments earn in full",
          "[scoring][journal]") {
    SECTION("张三 and 孙七 of 市场发展部: half each, and the breakdown says so") {
        Journal j;
        VisitRecord v = visit(1, 1, at(2026, 11, 17), "zhangsan", {"张三", "孙七"});
        j.new_visit(v);
        j.attach(1, at(2026, 11, 17, 12));
        const auto rows = visit_rows(j.state.point_entries_of_visits({1}));
        REQUIRE(rows.size() == 2);
        for (const ScoreRow& row : rows) {
            CHECK(row.score.truthfulness == Approx(3.5));
            for (const ScoreLine& line : row.score.lines) {
                CHECK(line.share == 0.5);
            }
        }
    }
    SECTION("张三 and 李四 of 企业服务部: each in full") {
        Journal j;
        j.new_visit(visit(1, 1, at(2026, 11, 17), "zhangsan", {"张三", "李四"}));
        j.attach(1, at(2026, 11, 17, 12));
        const auto rows = visit_rows(j.state.point_entries_of_visits({1}));
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].score.truthfulness == 7);
        CHECK(rows[1].score.truthfulness == 7);
    }
    SECTION("joint_split = quality_only: truthfulness in full") {
        EngineSettings settings = engine_settings();
        settings.scores.rules.joint_split_truthfulness = false;
        Journal j{Engine{settings}};
        j.new_visit(visit(1, 1, at(2026, 11, 17), "zhangsan", {"张三", "孙七"}));
        const auto rows = visit_rows(j.state.point_entries_of_visits({1}));
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].score.truthfulness == 4);
    }
}

TEST_CASE("A void takes a visit's points away at the void's date, not at the visit",
          "[scoring][journal]") {
    Journal j;
    j.new_visit(visit(1, 1, at(2026, 11, 17)));
    j.play(command("/复核 作废 V1 记录存疑，无法核实", "zhengshi", at(2026, 12, 2)));
    CHECK(sum(j.line_one(j.tables("2026-W47")).rows) == 4);
    const WeekTable& w49 = j.line_one(j.tables("2026-W49"));
    REQUIRE(w49.rows.size() == 1);
    CHECK(w49.rows[0].score.truthfulness == -4);
}

TEST_CASE("Seed check through the journal: the appendix's two visits give 9 / 13 / 22",
          "[scoring][journal]") {
    EngineSettings settings = engine_settings();
    settings.scores.rules.full_marks_bonus = 0;  // the appendix's example rows show no bonus
    Journal j{Engine{settings}};
    // 示例企业一 (seen before this year, so not a first visit): complete and accurate, no
    // evidence (4); the agreement agreement (3).
    VisitRecord earlier = visit(10, 1, at(2025, 6, 3));
    j.new_visit(earlier);
    VisitRecord first = visit(1, 1, at(2026, 11, 17));
    first.reported_at = at(2026, 11, 17, 12);
    j.new_visit(first);
    j.demand_now(demand(1, 1, at(2026, 11, 18)), at(2026, 11, 18));
    // 示例企业二: complete, accurate, with evidence (5); and the agreement signed after last
    // year's visit is recorded as fully delivered this week (10). The table has one row per
    // company and manager, so both show in that company's row.
    VisitRecord earlier_two = visit(11, 2, at(2025, 7, 3));
    j.new_visit(earlier_two);
    Demand delivered = demand(2, 11, at(2025, 7, 10));
    delivered.company_id = 2;
    j.demand_now(delivered, at(2025, 7, 10));
    VisitRecord second = visit(2, 2, at(2026, 11, 18));
    j.new_visit(second);
    j.attach(2, at(2026, 11, 18, 12));
    delivered.completion_percent = 100;
    delivered.revenue_yuan = 50000;
    j.demand_now(delivered, at(2026, 11, 19));

    const WeekTable& w47 = j.line_one(j.tables("2026-W47"));
    REQUIRE(w47.rows.size() == 2);
    double truthfulness = 0;
    double quality = 0;
    for (const ScoreRow& row : w47.rows) {
        truthfulness += row.score.truthfulness;
        quality += row.score.quality;
    }
    CHECK(truthfulness == 9);
    CHECK(quality == 13);
    CHECK(truthfulness + quality == 22);
    // The agreement itself (3) belongs to the week it was signed, in 2025.
    CHECK(j.line_one(j.tables("2025-W28")).rows.at(0).score.quality == 3);
}

TEST_CASE("An omission left past its deadline costs the visit its points at the deadline",
          "[scoring][journal]") {
    Journal j;
    j.new_visit(visit(1, 1, at(2026, 11, 17)));
    j.attach(1, at(2026, 11, 17, 12));
    // Wednesday: the director finds an omission; the deadline is two working days later.
    const Decision found =
        j.play(command("/核查 V1 遗漏 缺少客户反馈", "zhengshi", at(2026, 11, 18, 9)));
    REQUIRE(!j.state.omission_deadlines_between(0, at(2026, 12, 31)).empty());
    // The finding: -1 and no bonus, dated at the finding.
    CHECK(sum(j.line_one(j.tables("2026-W47")).rows) == 7 - 1 - 2);
    // A tick after the deadline (Friday 23:59:59) with no supplement: the rest goes too, dated
    // at the deadline, in W47.
    j.play(tick("retention", "2026-11-23", at(2026, 11, 23, 3, 30)));
    CHECK(sum(j.line_one(j.tables("2026-W47")).rows) == 0);
    // A second tick finds nothing more to change.
    const std::size_t entries = j.state.journal().size();
    j.play(tick("retention", "2026-11-24", at(2026, 11, 24, 3, 30)));
    CHECK(j.state.journal().size() == entries);
}

TEST_CASE("The annual cap across a year boundary, through the journal", "[scoring][journal]") {
    Journal j;
    // Four visits to one company in late December 2026 and one on 2027-01-01 (Shanghai).
    for (int day = 28; day <= 31; ++day) {
        VisitRecord record = visit(day - 27, 1, at(2026, 12, day, 9));
        record.reported_at = at(2026, 12, day, 12);
        j.new_visit(record);
    }
    VisitRecord next_year = visit(5, 1, at(2027, 1, 1, 0, 30));
    next_year.reported_at = at(2027, 1, 1, 9);
    j.new_visit(next_year);
    const auto points_of = [&](std::int64_t number) {
        double total = 0;
        for (const PointEntry& e : j.state.point_entries_of_visits({number})) {
            total += e.points;
        }
        return total;
    };
    CHECK(points_of(1) == 4);
    CHECK(points_of(3) == 4);
    CHECK(points_of(4) == 0);  // the fourth of 2026
    CHECK(points_of(5) == 4);  // the first of 2027
    // Voiding the first frees a place: the fourth scores, dated at its visit.
    j.play(command("/复核 作废 V1 记录存疑，无法核实", "zhengshi", at(2027, 1, 2, 9)));
    CHECK(points_of(1) == 0);
    CHECK(points_of(4) == 4);
}

TEST_CASE("A late report dated before a later visit takes its cap place; earlier ones stay",
          "[scoring][journal]") {
    Journal j;
    const auto points_of = [&](std::int64_t number) {
        double total = 0;
        for (const PointEntry& e : j.state.point_entries_of_visits({number})) {
            total += e.points;
        }
        return total;
    };
    // Three visits to one company: Dec 1, Dec 2 and Dec 10; the cap is three a year.
    VisitRecord first = visit(1, 1, at(2026, 12, 1, 9));
    first.reported_at = at(2026, 12, 1, 12);
    j.new_visit(first);
    VisitRecord second = visit(2, 1, at(2026, 12, 2, 9));
    second.reported_at = at(2026, 12, 2, 12);
    j.new_visit(second);
    VisitRecord third = visit(3, 1, at(2026, 12, 10, 9));
    third.reported_at = at(2026, 12, 10, 12);
    j.new_visit(third);
    CHECK(points_of(3) == 4);
    const std::size_t entries_of_first = j.state.point_entries_of_visits({1}).size();
    // Reported on Dec 11 about Dec 5: it is the third of the year, and the Dec 10 visit becomes
    // the fourth. Only what came after Dec 5 is scored again: the first two keep their entries.
    VisitRecord late = visit(4, 1, at(2026, 12, 5, 9));
    late.reported_at = at(2026, 12, 11, 12);
    j.new_visit(late);
    CHECK(points_of(4) == 4);
    CHECK(points_of(3) == 0);
    CHECK(points_of(1) == 4);
    CHECK(points_of(2) == 4);
    CHECK(j.state.point_entries_of_visits({1}).size() == entries_of_first);
}

TEST_CASE("Quality events are facts about a company: /签约 and /进度 by company, with a date",
          "[scoring][journal][ledger]") {
    Journal j;
    // 星河新材 (account manager 李四) has no demand from any visit report.
    const Decision signed_up =
        j.play(command("/签约 星河新材 2026-11-20", "lisi", at(2026, 11, 25, 10)));
    REQUIRE(notices_of(signed_up, "demand_updated").size() == 1);
    const auto& answer = notices_of(signed_up, "demand_updated")[0]->fields;
    CHECK(answer.value("created", false));
    CHECK(answer["happened_on"] == "2026-11-20");
    const auto demand = j.state.demand(1);
    REQUIRE(demand);
    CHECK(demand->visit_number == 0);
    CHECK(demand->status == "contracted");
    CHECK(demand->owner_id == "lisi");
    CHECK(demand->contracted_at == at(2026, 11, 20, 12));
    // 落地 counts in the week it happened (W47), for the account manager.
    const auto w47 = j.line_one(j.tables("2026-W47"));
    REQUIRE(w47.rows.size() == 1);
    CHECK(w47.rows[0].staff_id == "lisi");
    CHECK(w47.rows[0].company == "银川星河新材料股份有限公司");
    CHECK(w47.rows[0].score.quality == 3);

    // The ratio recorded as of Tuesday: its 创收 is W48's.
    const Decision progress = j.play(
        command("/进度 星河新材 完成比例：50% 收入：10万 11月24日", "lisi", at(2026, 11, 25, 11)));
    REQUIRE(notices_of(progress, "demand_updated").size() == 1);
    CHECK(j.state.demand(1)->completion_percent == 50);
    CHECK(j.state.demand(1)->progress_at == at(2026, 11, 24, 12));
    CHECK(j.line_one(j.tables("2026-W48")).rows.at(0).score.quality == 5);

    // Dates beyond the window, or still to come, are refused with the reason.
    const Decision old = j.play(command("/签约 星河新材 2026-09-01", "lisi", at(2026, 11, 25)));
    CHECK(notices_of(old, "demand_command_refused").at(0)->fields.value("date_too_old", false));
    const Decision ahead = j.play(command("/签约 星河新材 2026-12-20", "lisi", at(2026, 11, 25)));
    CHECK(notices_of(ahead, "demand_command_refused").at(0)->fields.value("date_future", false));
    const Decision unknown = j.play(command("/签约 火星矿业", "lisi", at(2026, 11, 25)));
    CHECK(notices_of(unknown, "demand_command_refused")
              .at(0)
              ->fields.value("company_unknown", false));
}

TEST_CASE("/签约 <企业> uses the company's one planned demand from a visit", "[ledger][journal]") {
    Journal j;
    j.new_visit(visit(1, 1, at(2026, 11, 17)));
    Demand planned = demand(1, 1, 0);
    planned.status = "planned";
    planned.owner_id = "zhangsan";
    j.demand_now(planned, at(2026, 11, 18));
    j.play(command("/签约 示例科技", "zhangsan", at(2026, 11, 26, 9)));
    CHECK(j.state.demand(1)->status == "contracted");
    CHECK_FALSE(j.state.demand(2));  // nothing new
    // The landing is the visit's, dated at the agreement.
    const auto w48 = j.line_one(j.tables("2026-W48"));
    REQUIRE(w48.rows.size() == 1);
    CHECK(w48.rows[0].score.quality == 3);
}

TEST_CASE("A director's Monday through chat alone: /积分表, /复核 通过, the published table",
          "[scoring][journal][chat]") {
    Journal j;
    j.new_visit(visit(1, 1, at(2026, 11, 17)));
    j.attach(1, at(2026, 11, 17, 12));
    // Monday 10:00: the director asks for last week's table and sees its version.
    const Decision asked = j.play(command("/积分表", "zhengshi", at(2026, 11, 23, 10)));
    // 郑十 directs 业务一线 and has the reviewer title: every line's table comes, his own as a
    // draft.
    std::vector<const Notice*> tables;
    for (const Notice* n : notices_of(asked, "score_table")) {
        if (n->fields["line"] == "业务一线") {
            tables.push_back(n);
        }
    }
    REQUIRE(tables.size() == 1);
    CHECK(tables[0]->fields.value("draft", false));
    const std::string version = tables[0]->fields.value("version", "");
    CHECK(version == j.line_one(j.tables("2026-W47")).version);
    CHECK(tables[0]->fields["rows"].size() == 1);
    // An account manager may not ask for the line's table.
    const Decision refused = j.play(command("/积分表", "zhangsan", at(2026, 11, 23, 10)));
    CHECK(notices_of(refused, "score_table").empty());
    CHECK_FALSE(notices_of(refused, "score_command_refused").empty());
    // He approves what he saw; at 15:00 it is published as reviewed.
    j.play(command("/复核 通过", "zhengshi", at(2026, 11, 23, 10, 5)));
    const Decision published = j.play(tick("weekly-scores", "2026-W48", at(2026, 11, 23, 15)));
    REQUIRE_FALSE(notices_of(published, "score_table").empty());
    CHECK_FALSE(notices_of(published, "score_table")[0]->fields.value("unreviewed", true));
    // Asked again, the week shows as published, with the same version.
    const Decision again =
        j.play(command("/积分表 2026-W47 业务一线", "zhengshi", at(2026, 11, 24, 9)));
    REQUIRE(notices_of(again, "score_table").size() == 1);
    CHECK_FALSE(notices_of(again, "score_table")[0]->fields.value("draft", false));
    CHECK(notices_of(again, "score_table")[0]->fields.value("version", "") == version);
    // Compliance sees every line's table; a word that is no week or line gets the usage.
    const Decision compliance = j.play(command("/积分表 2026-W47", "zhouba", at(2026, 11, 24, 9)));
    CHECK(notices_of(compliance, "score_table").size() >= 1);
    const Decision bad = j.play(command("/积分表 上周", "zhengshi", at(2026, 11, 24, 9)));
    CHECK(notices_of(bad, "score_command_refused").at(0)->fields.value("usage_table", false));
}
