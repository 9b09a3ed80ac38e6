#include "bot/scoring/score_commands.hpp"

#include <catch2/catch.hpp>

#include "bot/time/score_period.hpp"
#include "tests/bot/playback.hpp"
#include "tests/bot/score_fixtures.hpp"

namespace {

using namespace ledgerbot::tests::scores;
using ledgerbot::tests::demo_directory;
using ledgerbot::tests::InMemoryState;
using ledgerbot::tests::playback::has_action;
using ledgerbot::tests::playback::notices_of;

const std::int64_t kVisitTime = at(2026, 11, 17, 10);  // Tuesday of 2026-W47

InboundEvent command(std::string text, std::string sender, std::int64_t time,
                     ChatKind kind = ChatKind::direct) {
    static int counter = 0;
    InboundEvent event;
    event.id = "cmd-" + std::to_string(++counter);
    event.source = "generic";
    event.type = EventType::message;
    event.time = time;
    event.chat = Chat{kind == ChatKind::direct ? "dm-" + sender : "group-1", "", kind, "", 0};
    event.sender = Person{sender, "", "", false, 0};
    event.text = std::move(text);
    return event;
}

struct Fixture {
    Engine engine{engine_settings()};
    InMemoryState state{demo_directory()};

    Fixture() {
        state.add_visit(visit(12, 1, kVisitTime));
        state.add_evidence(evidence_for(12, kVisitTime));
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
    double truthfulness(std::int64_t when) {
        const auto rows =
            score_period(state, engine_settings().scores, *parse_week("2026-W47"), when);
        return row_of(rows, 12, "zhangsan")->score.truthfulness;
    }
};

const NoticeTarget kDirectorDm{"generic", NoticeTarget::Kind::user, "zhengshi", ""};
const NoticeTarget kReporterDm{"generic", NoticeTarget::Kind::user, "zhangsan", ""};
const NoticeTarget kComplianceDm{"generic", NoticeTarget::Kind::user, "zhouba", ""};

}  // namespace

TEST_CASE("/核查: who may check a record", "[scoring][commands]") {
    const auto [sender, allowed] = GENERATE(table<std::string, bool>({
        {"zhengshi", true},   // the line's director (and a reviewer title)
        {"zhangsan", false},  // the author
        {"sunqi", false},     // a department head
        {"zhouba", false},    // compliance reads, it does not score
        {"stranger", false},  // not in the directory
    }));
    INFO(sender);
    Fixture f;
    const Decision d =
        f.play(command("/核查 V12 不准确 客户反馈与记录不符", sender, kVisitTime + 86400));
    CHECK(d.score_changes.size() == (allowed ? 1U : 0U));
    CHECK(notices_of(d, "score_command_refused").size() == (allowed ? 0U : 1U));
}

TEST_CASE("/核查 不准确 deducts 1 and the author hears of it", "[scoring][commands]") {
    Fixture f;
    CHECK(f.truthfulness(at(2026, 11, 23)) == 7);
    const Decision d = f.play(command("/核查 V12 不准确 客户反馈与记录不符", "zhengshi",
                                      kVisitTime + 86400, ChatKind::group));
    REQUIRE(d.score_changes.size() == 1);
    const auto& finding = std::get<FindingRecorded>(d.score_changes[0]).finding;
    CHECK(finding.kind == "inaccurate");
    CHECK(finding.reason == "客户反馈与记录不符");
    CHECK(finding.deadline == 0);
    CHECK(has_action(d, "score.finding"));
    // Asked in a group, answered to the director directly: it names a company and a score.
    REQUIRE(notices_of(d, "score_finding_recorded").size() == 1);
    CHECK(notices_of(d, "score_finding_recorded")[0]->target == kDirectorDm);
    REQUIRE(notices_of(d, "score_finding_notice").size() == 1);
    CHECK(notices_of(d, "score_finding_notice")[0]->target == kReporterDm);
    CHECK(f.truthfulness(at(2026, 11, 23)) == 5 - 1);
}

TEST_CASE("A supplement leaves an inaccuracy finding's risk open: that needs a person's judgement",
          "[scoring][commands]") {
    Fixture f;
    f.play(command("/核查 V12 不准确 客户反馈与记录不符", "zhengshi", kVisitTime + 86400));
    REQUIRE(f.state.open_risks().size() == 1);
    const Decision s = f.play(command("/补充 V12 客户反馈：希望对接两家银行", "zhangsan",
                                      kVisitTime + 2 * 86400, ChatKind::group));
    REQUIRE(notices_of(s, "visit_supplemented").size() == 1);
    CHECK(f.state.open_risks().size() == 1);
    CHECK_FALSE(has_action(s, "risk.closed"));
}

TEST_CASE("/核查 遗漏: the deadline counts working days; a /补充 in time keeps the visit",
          "[scoring][commands]") {
    Fixture f;
    // Friday 2026-11-20 14:00: two working days are Monday 23 and Tuesday 24.
    const auto friday = at(2026, 11, 20, 14);
    const Decision d = f.play(command("/核查 V12 遗漏 缺少客户反馈", "zhengshi", friday));
    REQUIRE(d.score_changes.size() == 1);
    const auto deadline = std::get<FindingRecorded>(d.score_changes[0]).finding.deadline;
    CHECK(deadline == at(2026, 11, 24, 23, 59) + 59);
    CHECK(notices_of(d, "score_finding_notice")[0]->fields["deadline"] == "2026-11-24 23:59");
    // The finding raised a risk for the supervisors' list.
    REQUIRE(f.state.open_risks().size() == 1);
    const std::int64_t risk = f.state.open_risks()[0].number;
    CHECK(f.state.open_risks()[0].kind == "finding");

    SECTION("supplemented on Tuesday: the visit keeps its points and the risk is closed") {
        const Decision s = f.play(command("/补充 V12 客户反馈：希望对接两家银行", "zhangsan",
                                          at(2026, 11, 24, 9), ChatKind::group));
        REQUIRE_FALSE(s.changes.empty());
        REQUIRE(notices_of(s, "visit_supplemented").size() == 1);
        const auto& fields = notices_of(s, "visit_supplemented")[0]->fields;
        CHECK(fields["omission_answered"] == true);
        CHECK(fields["has_closed_risks"] == true);
        CHECK(fields["closed_risks"] == ledgerbot::bot::model::risk_code(risk));
        CHECK(f.truthfulness(at(2026, 11, 30)) == 4);
        CHECK(f.state.open_risks().empty());
        REQUIRE(f.state.risk(risk));
        CHECK(f.state.risk(risk)->closed_at == at(2026, 11, 24, 9));
        CHECK(f.state.risk(risk)->closed_by.empty());  // the bot closed it
        CHECK(has_action(s, "risk.closed"));
    }
    SECTION("a supplement that writes nothing closes nothing") {
        const Decision s =
            f.play(command("/补充 V12 随便说说", "zhangsan", at(2026, 11, 24, 9), ChatKind::group));
        CHECK(f.state.open_risks().size() == 1);
        CHECK_FALSE(has_action(s, "risk.closed"));
    }
    SECTION("supplemented too late: no promise in the answer, the risk stays open") {
        const Decision s = f.play(command("/补充 V12 客户反馈：希望对接两家银行", "zhangsan",
                                          at(2026, 11, 25, 9), ChatKind::group));
        CHECK(f.state.open_risks().size() == 1);
        CHECK_FALSE(has_action(s, "risk.closed"));
        const auto& fields = notices_of(s, "visit_supplemented")[0]->fields;
        CHECK(fields["omission_answered"] == false);
        CHECK(fields["has_closed_risks"] == false);
        // The answer says the deadline passed and what that cost.
        CHECK(fields.value("omission_missed", false));
        CHECK(fields["omission_deadline"] == "2026-11-24 23:59");
        CHECK(f.truthfulness(at(2026, 11, 30)) == 0);
    }
    SECTION("never supplemented") {
        CHECK(f.truthfulness(at(2026, 11, 24, 18)) == 4);  // due tonight: −1 so far
        CHECK(f.truthfulness(at(2026, 11, 25, 9)) == 0);
    }
}

TEST_CASE("/核查 遗漏 with omission_deadline in hours: 24h from the finding",
          "[scoring][commands]") {
    EngineSettings settings = engine_settings();
    settings.scores.rules.omission_deadline_hours = 24;
    const Engine engine(settings);
    InMemoryState state{demo_directory()};
    state.add_visit(visit(12, 1, kVisitTime));
    const auto friday = at(2026, 11, 20, 14);
    const Decision d =
        engine.handle(command("/核查 V12 遗漏 缺少客户反馈", "zhengshi", friday), state);
    REQUIRE(d.score_changes.size() == 1);
    CHECK(std::get<FindingRecorded>(d.score_changes[0]).finding.deadline == friday + 24 * 3600);
}

TEST_CASE("/核查 without a conclusion or reason gets the usage", "[scoring][commands]") {
    Fixture f;
    for (const char* text : {"/核查", "/核查 V12", "/核查 V12 不准确", "/核查 V12 有问题 原因",
                             "/核查 D12 不准确 原因"}) {
        INFO(text);
        const Decision d = f.play(command(text, "zhengshi", kVisitTime + 3600));
        CHECK(d.score_changes.empty());
        REQUIRE(notices_of(d, "score_command_refused").size() == 1);
        CHECK(notices_of(d, "score_command_refused")[0]->fields.value("usage_check", false));
    }
    const Decision unknown = f.play(command("/核查 V99 不准确 原因", "zhengshi", kVisitTime));
    CHECK(notices_of(unknown, "score_command_refused")[0]->fields.value("not_found", false));
}

TEST_CASE("/复核 作废: nothing scored, compliance and the author told, once",
          "[scoring][commands]") {
    Fixture f;
    const Decision d =
        f.play(command("/复核 作废 V12 记录存疑，无法核实", "zhengshi", at(2026, 11, 23, 9)));
    REQUIRE(d.score_changes.size() == 1);
    CHECK(std::get<VisitVoided>(d.score_changes[0]).voided.reason == "记录存疑，无法核实");
    CHECK(has_action(d, "score.voided"));
    REQUIRE(notices_of(d, "score_void_compliance").size() == 2);
    CHECK(notices_of(d, "score_void_compliance")[0]->target == kComplianceDm);
    CHECK(notices_of(d, "score_void_compliance")[1]->target == kReporterDm);
    CHECK(f.truthfulness(at(2026, 11, 23, 15)) == 0);

    const Decision again = f.play(command("/复核 作废 V12 再次", "zhengshi", at(2026, 11, 23, 10)));
    CHECK(again.score_changes.empty());
    CHECK(notices_of(again, "score_command_refused")[0]->fields.value("already_voided", false));

    const Decision author = f.play(command("/复核 作废 V12 不想要", "zhangsan", at(2026, 11, 23)));
    CHECK(author.score_changes.empty());

    // A voided record gets no finding: no deduction notice, no risk.
    const Decision check =
        f.play(command("/核查 V12 不准确 客户反馈与记录不符", "zhengshi", at(2026, 11, 23, 11)));
    CHECK(check.score_changes.empty());
    CHECK(check.group_changes.empty());
    CHECK(notices_of(check, "score_finding_notice").empty());
    REQUIRE(notices_of(check, "score_command_refused").size() == 1);
    CHECK(notices_of(check, "score_command_refused")[0]->fields.value("already_voided", false));
}

TEST_CASE("/复核 通过 approves the director's lines for last week, or a named week",
          "[scoring][commands]") {
    Fixture f;
    const Decision d = f.play(command("/复核 通过", "zhengshi", at(2026, 11, 23, 10)));
    REQUIRE(d.score_changes.size() == 1);
    const auto& review = std::get<ScoreReviewed>(d.score_changes[0]).review;
    CHECK(review.week == "2026-W47");
    CHECK(review.line == "业务一线");
    CHECK(f.state.score_review("2026-W47", "业务一线"));
    // Approving twice records nothing new and says so.
    const Decision twice = f.play(command("/复核 通过", "zhengshi", at(2026, 11, 23, 11)));
    CHECK(twice.score_changes.empty());
    CHECK(notices_of(twice, "score_review_recorded")[0]->fields["lines"][0]["already"] == true);

    const Decision named = f.play(command("/复核 通过 2026-W46", "zhengshi", at(2026, 11, 23)));
    CHECK(std::get<ScoreReviewed>(named.score_changes[0]).review.week == "2026-W46");
    const Decision bad = f.play(command("/复核 通过 上周", "zhengshi", at(2026, 11, 23)));
    CHECK(notices_of(bad, "score_command_refused")[0]->fields.value("bad_week", false));
    const Decision not_director = f.play(command("/复核 通过", "sunqi", at(2026, 11, 23)));
    CHECK(
        notices_of(not_director, "score_command_refused")[0]->fields.value("not_director", false));
    const Decision usage = f.play(command("/复核", "zhengshi", at(2026, 11, 23)));
    CHECK(notices_of(usage, "score_command_refused")[0]->fields.value("usage_review", false));
}

TEST_CASE("/积分 V12 shows each person's breakdown to those who may see it",
          "[scoring][commands]") {
    const auto [sender, allowed] = GENERATE(table<std::string, bool>({
        {"zhangsan", true},  // the author
        {"sunqi", true},     // head of the author's department
        {"zhengshi", true},  // the line director
        {"zhouba", true},    // compliance
        {"lisi", false},     // another department's account manager
    }));
    INFO(sender);
    Fixture f;
    const Decision d = f.play(command("/积分 V12", sender, at(2026, 11, 23), ChatKind::group));
    if (!allowed) {
        CHECK(notices_of(d, "score_command_refused").size() == 1);
        return;
    }
    REQUIRE(notices_of(d, "score_visit_answer").size() == 1);
    const Notice& answer = *notices_of(d, "score_visit_answer")[0];
    CHECK(answer.target == (NoticeTarget{"generic", NoticeTarget::Kind::user, sender, ""}));
    const auto& row = answer.fields["rows"][0];
    CHECK(row["manager"] == "张三");
    CHECK(row["truthfulness"] == "7");
    // complete, accurate, evidence, bonus (示例科技 is 挂牌: not a new company, no quality rule)
    CHECK(row["lines"].size() == 4);
    CHECK(row["lines"][3]["full_marks_bonus"] == true);
    CHECK(row["lines"][3]["points"] == "+2");
}

TEST_CASE("/积分 answers the sender's own year, last week and this week", "[scoring][commands]") {
    Fixture f;
    f.state.add_visit(visit(13, 2, at(2026, 11, 24, 9)));                    // this week (W48)
    f.state.add_visit(visit(14, 2, at(2026, 3, 2, 9)));                      // earlier this year
    f.state.add_visit(visit(15, 2, at(2026, 11, 24, 9), "lisi", {"李四"}));  // someone else
    const Decision d = f.play(command("/积分", "zhangsan", at(2026, 11, 25, 8)));
    REQUIRE(notices_of(d, "score_answer").size() == 1);
    const auto& fields = notices_of(d, "score_answer")[0]->fields;
    CHECK(fields["year_visits"] == 3);
    CHECK(fields["year_totals"]["total"] == "15");  // 7 + 4 + 4
    CHECK(fields["last_week"] == "2026-W47");
    CHECK(fields["last_week_rows"].size() == 1);
    CHECK(fields["last_week_totals"]["total"] == "7");
    CHECK(fields["this_week"] == "2026-W48");
    CHECK(fields["this_week_rows"].size() == 1);
    CHECK(fields["this_week_rows"][0]["visit_id"] == "V13");

    const Decision stranger = f.play(command("/积分", "nobody", at(2026, 11, 25)));
    CHECK(notices_of(stranger, "score_command_refused")[0]->fields.value("not_staff", false));
}
