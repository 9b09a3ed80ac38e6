#include "bot/scoring/score_publisher.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"
#include "tests/bot/score_fixtures.hpp"

namespace {

using namespace ledgerbot::tests::scores;
using ledgerbot::tests::demo_directory;
using ledgerbot::tests::InMemoryState;
using ledgerbot::tests::playback::has_action;
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

const NoticeTarget kStaffRoom{"generic", NoticeTarget::Kind::chat, "staff-room", ""};
const NoticeTarget kDirectorDm{"generic", NoticeTarget::Kind::user, "zhengshi", ""};
const std::int64_t kPublishAt = at(2026, 11, 23, 15);

struct Fixture {
    Engine engine{engine_settings()};
    InMemoryState state{demo_directory()};

    Fixture() {
        state.add_visit(visit(1, 1, at(2026, 11, 17)));                       // W47, 业务一线
        state.add_visit(visit(2, 2, at(2026, 11, 18), "zhaoliu", {"赵六"}));  // W47, 业务二线
        state.add_visit(visit(3, 1, at(2026, 11, 23, 9)));                    // W48: not yet
    }
    Decision play(const InboundEvent& event) {
        // The ledger is built directly (as an upgraded database has it): the journal catches
        // up with it before each event. Reconciling is idempotent.
        state.apply(engine.rebuild_points(state, event.time));
        Decision decision = engine.handle(event, state);
        state.apply(decision);
        state.apply(engine.record_points(event, decision, state));
        return decision;
    }
};

std::vector<const Notice*> tables_to(const Decision& d, const NoticeTarget& target) {
    std::vector<const Notice*> out;
    for (const Notice* n : notices_of(d, "score_table")) {
        if (n->target == target) {
            out.push_back(n);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("Monday afternoon: last week's tables per line, 未复核 and the director reminded",
          "[scoring][publish]") {
    Fixture f;
    const Decision d = f.play(tick("weekly-scores", "2026-W48", kPublishAt));
    const auto tables = tables_to(d, kStaffRoom);
    REQUIRE(tables.size() == 2);
    const auto& first = tables[0]->fields;
    CHECK(first["week"] == "2026-W47");
    CHECK(first["from"] == "2026-11-16");
    CHECK(first["to"] == "2026-11-22");
    CHECK(first["line"] == "业务一线");
    CHECK(first["unreviewed"] == true);
    REQUIRE(first["rows"].size() == 1);
    CHECK(first["rows"][0]["company"] == "宁夏示例科技有限公司");
    CHECK(first["rows"][0]["manager"] == "张三");
    CHECK(first["rows"][0]["department"] == "市场发展部");
    CHECK(first["totals"]["total"] == "4");
    // The whole table also travels as a spreadsheet with the last part.
    const auto& attachment = first["attachment"];
    CHECK(attachment["kind"] == "score_table");
    CHECK(attachment["week"] == "2026-W47");
    CHECK(
        attachment["rows"] ==
        nlohmann::json::parse(R"([["1","宁夏示例科技有限公司","市场发展部","张三","4","0","4"]])"));
    CHECK(attachment["totals"] == nlohmann::json::parse(R"(["4","0","4"])"));
    CHECK(tables[1]->fields["line"] == "业务二线");
    CHECK(tables[1]->fields["rows"][0]["manager"] == "赵六");
    REQUIRE(notices_of(d, "score_review_reminder").size() == 1);  // 业务二线 has no director
    CHECK(notices_of(d, "score_review_reminder")[0]->target == kDirectorDm);
    CHECK(has_action(d, "score.published"));
}

TEST_CASE("A reviewed line is published without the mark or a reminder", "[scoring][publish]") {
    Fixture f;
    InboundEvent approve;
    approve.id = "m1";
    approve.source = "generic";
    approve.type = EventType::message;
    approve.time = at(2026, 11, 23, 10);
    approve.chat = Chat{"dm-zhengshi", "", ChatKind::direct, "", 0};
    approve.sender = Person{"zhengshi", "郑十", "", false, 0};
    approve.text = "/复核 通过";
    f.play(approve);
    const Decision d = f.play(tick("weekly-scores", "2026-W48", kPublishAt));
    const auto tables = tables_to(d, kStaffRoom);
    REQUIRE(tables.size() == 2);
    CHECK(tables[0]->fields["unreviewed"] == false);
    CHECK(tables[1]->fields["unreviewed"] == true);
    CHECK(notices_of(d, "score_review_reminder").empty());
}

TEST_CASE("Monday morning: each director gets the line's draft directly", "[scoring][publish]") {
    Fixture f;
    const Decision d = f.play(tick("score-draft", "2026-W48", at(2026, 11, 23, 9)));
    const auto drafts = notices_of(d, "score_table");
    REQUIRE(drafts.size() == 1);
    CHECK(drafts[0]->target == kDirectorDm);
    CHECK(drafts[0]->fields["draft"] == true);
    CHECK(drafts[0]->fields["line"] == "业务一线");
    CHECK(drafts[0]->fields["rows"].size() == 1);
}

TEST_CASE("Never into a group with external members: compliance is told instead",
          "[scoring][publish]") {
    Fixture f;
    Decision registry;
    GroupRecord group;
    group.source = "generic";
    group.chat_id = "staff-room";
    group.name = "中心全员群";
    registry.group_changes.emplace_back(GroupSaved{group});
    GroupMemberRecord outsider;
    outsider.id = "wm-outsider";
    outsider.name = "企业联系人";
    outsider.external = true;
    registry.group_changes.emplace_back(MemberSaved{"generic", "staff-room", outsider});
    f.state.apply(registry);

    const Decision d = f.play(tick("weekly-scores", "2026-W48", kPublishAt));
    CHECK(tables_to(d, kStaffRoom).empty());
    REQUIRE(notices_of(d, "score_publish_refused").size() == 1);
    CHECK(notices_of(d, "score_publish_refused")[0]->fields["chat_id"] == "staff-room");
    CHECK(has_action(d, "score.publish_refused"));
}

TEST_CASE("A long table is split by rows, each part with the header fields, totals last",
          "[scoring][publish]") {
    Fixture f;
    // Sixty companies (the table has one row per company and manager).
    for (int i = 0; i < 60; ++i) {
        VisitRecord record = visit(100 + i, 100 + i, at(2026, 11, 19, 9) + i * 60);
        record.company_name = "示例企业" + std::to_string(100 + i);
        f.state.add_visit(record);
    }
    const Decision d = f.play(tick("weekly-scores", "2026-W48", kPublishAt));
    std::size_t rows = 0;
    std::vector<const Notice*> line_one;
    for (const Notice* n : tables_to(d, kStaffRoom)) {
        if (n->fields["line"] == "业务一线") {
            line_one.push_back(n);
            rows += n->fields["rows"].size();
        }
    }
    REQUIRE(line_one.size() > 1);
    CHECK(rows == 61);
    for (std::size_t i = 0; i < line_one.size(); ++i) {
        CHECK(line_one[i]->fields["part"] == i + 1);
        CHECK(line_one[i]->fields["parts"] == line_one.size());
        CHECK(line_one[i]->fields["week"] == "2026-W47");
        CHECK(line_one[i]->fields.contains("totals") == (i + 1 == line_one.size()));
        CHECK(line_one[i]->fields.contains("attachment") == (i + 1 == line_one.size()));
    }
    // Row numbers run on across parts.
    CHECK(line_one.back()->fields["rows"].back()["number"] == 61);
    CHECK(line_one.back()->fields["attachment"]["rows"].size() == 61);
}

TEST_CASE("Year end: the ranking and 年度服务明星, only for the last quarter",
          "[scoring][publish]") {
    Fixture f;
    f.state.put_demand(demand(1, 1, at(2026, 11, 20), 100, 10000));
    const Decision q3 = f.play(tick("annual-ranking", "2026-Q3", at(2026, 9, 30, 17)));
    CHECK(q3.empty());
    const Decision d = f.play(tick("annual-ranking", "2026-Q4", at(2026, 12, 31, 17)));
    REQUIRE(notices_of(d, "annual_ranking").size() == 1);
    const auto& fields = notices_of(d, "annual_ranking")[0]->fields;
    CHECK(fields["year"] == "2026");
    // 张三: V1 4 + 3 + 10 and V3 4; 赵六: V2 4.
    CHECK(fields["departments"][0]["name"] == "市场发展部");
    CHECK(fields["departments"][0]["total"] == "21");
    CHECK(fields["departments"][1]["total"] == "4");
    CHECK(fields["lines"][0]["director"] == "郑十");
    CHECK(fields["star_department"] == "市场发展部");
    CHECK(fields["star_director"] == "郑十");
    CHECK(has_action(d, "score.annual_ranking"));
}

TEST_CASE("年度服务明星 names a line director only where the line has one", "[scoring][publish]") {
    Fixture f;
    // 赵六's line (业务二线) has no director configured and the highest total.
    f.state.put_demand(demand(1, 2, at(2026, 11, 20), 100, 10000));
    const Decision d = f.play(tick("annual-ranking", "2026-Q4", at(2026, 12, 31, 17)));
    const auto& fields = notices_of(d, "annual_ranking")[0]->fields;
    CHECK(fields["lines"][0]["name"] == "业务二线");
    CHECK(fields["star_director"] == "郑十");
    CHECK(fields["star_line"] == "业务一线");
}
