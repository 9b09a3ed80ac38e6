#include "bot/reports/visit_withdrawal.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

InboundEvent at(InboundEvent event, std::int64_t time) {
    event.time = time;
    return event;
}

double points_of(const Playback& playback, std::int64_t visit) {
    double total = 0;
    for (const PointEntry& entry : playback.state().journal()) {
        total += entry.visit_number == visit ? entry.points : 0;
    }
    return total;
}

}  // namespace

TEST_CASE("A complete report's answer is short and carries the points the journal gave it",
          "[reports][answer]") {
    Playback playback;
    playback.play(created(full_team()));
    const Decision report = playback.play(message(kDemandReport, "zhangsan", "张三"));
    const auto answers = notices_of(report, "visit_recorded");
    REQUIRE(answers.size() == 1);
    const auto& fields = answers[0]->fields;
    CHECK(fields["complete"] == true);
    CHECK(fields["company"] == "宁夏示例科技有限公司");
    CHECK(fields["visit_date"] == "2026-07-01 10:00");
    CHECK(fields["has_points"] == true);
    CHECK(fields["points_text"].get<std::string>().rfind("张三 ", 0) == 0);
    CHECK(points_of(playback, 1) > 0);
    CHECK(fields["first_demand"] == "D1");

    // A day written without a time is answered as a day, not as midnight.
    const Decision day_only =
        playback.play(message("【走访记录】昨天我和李四去示例科技实地走访", "zhangsan", "张三"));
    CHECK(notices_of(day_only, "visit_recorded")[0]->fields["visit_date"] == "2026-06-30");
}

TEST_CASE("/撤回 lets the reporter withdraw a record within the window, audited",
          "[reports][withdraw]") {
    Playback playback;
    playback.play(created(full_team()));
    playback.play(message(kDemandReport, "zhangsan", "张三"));  // reported at kStart + 2h
    REQUIRE(points_of(playback, 1) > 0);

    const auto [text, sender, when, flag] =
        GENERATE(table<std::string, std::string, std::int64_t, std::string>({
            {"/撤回 V1", "zhangsan", 3, "usage"},
            {"/撤回", "zhangsan", 3, "usage"},
            {"/撤回 V9 发错了", "zhangsan", 3, "not_found"},
            {"/撤回 V1 发错了", "lisi", 3, "not_reporter"},
            {"/撤回 V1 发错了", "zhangsan", 27, "too_late"},  // 25 hours after reporting
        }));
    CAPTURE(text, sender);
    const Decision refused = playback.play(at(message(text, sender, ""), kStart + when * kHour));
    REQUIRE(notices_of(refused, "visit_withdraw_refused").size() == 1);
    CHECK(notices_of(refused, "visit_withdraw_refused")[0]->fields[flag] == true);
    CHECK(refused.score_changes.empty());

    const Decision withdrawn =
        playback.play(at(message("／撤回V1　发错群了", "zhangsan", "张三"), kStart + 3 * kHour));
    const auto answer = notices_of(withdrawn, "visit_withdrawn");
    REQUIRE(answer.size() == 1);
    CHECK(answer[0]->fields["reason"] == "发错群了");
    CHECK(answer[0]->fields["demands"].size() == 2);  // kept, shown so a mistaken one is closed
    CHECK(has_action(withdrawn, "visit.withdrawn"));
    const auto voided = playback.state().visit_void(1);
    REQUIRE(voided.has_value());
    CHECK(voided->withdrawn);
    CHECK(points_of(playback, 1) == 0);  // the journal took back what it gave
    CHECK(playback.state().companies_visited(kStart - kHour, kStart + 100 * kHour).empty());
    CHECK(playback.state().demand(1).has_value());

    // A withdrawn record takes no supplement.
    const Decision supplement = playback.play(
        at(message("/补充 V1 客户反馈：满意", "zhangsan", "张三"), kStart + 4 * kHour));
    REQUIRE(notices_of(supplement, "visit_supplement_refused").size() == 1);
    CHECK(notices_of(supplement, "visit_supplement_refused")[0]->fields["withdrawn"] == true);
    CHECK(supplement.changes.empty());

    const Decision again =
        playback.play(at(message("/撤回 V1 再撤一次", "zhangsan", "张三"), kStart + 4 * kHour));
    CHECK(notices_of(again, "visit_withdraw_refused")[0]->fields["already"] == true);

    // Nor a finding: the line director's /核查 is refused, with no deduction and no risk.
    const Decision check = playback.play(
        at(message("/核查 V1 不准确 与实际不符", "zhengshi", "郑十"), kStart + 5 * kHour));
    REQUIRE(notices_of(check, "score_command_refused").size() == 1);
    CHECK(notices_of(check, "score_command_refused")[0]->fields["withdrawn"] == true);
    CHECK(check.score_changes.empty());
    CHECK(check.group_changes.empty());
}
