// Plans are answered, never recorded; demands read from free text are listed with how to take
// one back, and /需求 D3 删除 does so within the window, for the author only.

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

InboundEvent at(InboundEvent event, std::int64_t time) {
    event.time = time;
    return event;
}

}  // namespace

TEST_CASE("A report about a visit ahead is answered as a plan and not recorded",
          "[reports][plan]") {
    Playback playback;
    playback.play(created(full_team()));
    // kStart + 2h is 2026-07-01 12:00 in Shanghai.
    const Decision labelled =
        playback.play(message("【走访记录】\n企业名称：示例科技\n走访时间：7月3日上午10点\n走访方式"
                              "：实地走访\n走访人员：张三",
                              "zhangsan", "张三"));
    const auto plans = notices_of(labelled, "visit_plan_noted");
    REQUIRE(plans.size() == 1);
    CHECK(plans[0]->fields["company"] == "宁夏示例科技有限公司");
    CHECK(plans[0]->fields["planned"] == "2026-07-03 10:00");
    CHECK(labelled.changes.empty());
    CHECK_FALSE(playback.state().visit(1).has_value());

    // Free text about tomorrow: answered in a direct chat, left alone in a group.
    const std::string plan = "明天上午去示例科技拜访王总，聊聊股改";
    const Decision direct = playback.play(message(plan, "zhangsan", "张三", ChatKind::direct));
    REQUIRE(notices_of(direct, "visit_plan_noted").size() == 1);
    CHECK(notices_of(direct, "visit_plan_noted")[0]->fields["planned"] == "2026-07-02");
    CHECK(direct.changes.empty());
    const Decision group = playback.play(message(plan, "zhangsan", "张三"));
    CHECK(group.notices.empty());
    CHECK(group.changes.empty());
    CHECK_FALSE(playback.state().visit(1).has_value());
}

TEST_CASE("Demands read from free text are listed and the author may take one back",
          "[reports][demands]") {
    Playback playback;
    playback.play(created(full_team()));
    const Decision report =
        playback.play(message("今天上午我和李四去示例科技实地走访，王总表示希望引入战投，还想了解挂"
                              "牌流程。王总 13912345678",
                              "zhangsan", "张三"));
    const auto answers = notices_of(report, "visit_recorded");
    REQUIRE(answers.size() == 1);
    const auto& fields = answers[0]->fields;
    CHECK(fields["demands_inferred"] == true);
    CHECK(fields["demands"].size() == 2);
    CHECK(fields["demands"][0]["summary"] == "股权融资");
    CHECK(fields["demands"][1]["summary"] == "挂牌");
    CHECK(fields["first_demand"] == "D1");
    REQUIRE(playback.state().demand(2).has_value());

    const auto [text, sender, when, flag] =
        GENERATE(table<std::string, std::string, std::int64_t, std::string>({
            {"/需求 D2 删除", "lisi", 3, "not_author"},     // a co-visitor, not the author
            {"/需求 D2 删除", "zhangsan", 27, "too_late"},  // 25 hours after reporting
        }));
    CAPTURE(text, sender);
    const Decision refused = playback.play(at(message(text, sender, ""), kStart + when * kHour));
    REQUIRE(notices_of(refused, "demand_withdraw_refused").size() == 1);
    CHECK(notices_of(refused, "demand_withdraw_refused")[0]->fields[flag] == true);
    CHECK(refused.changes.empty());

    const Decision taken = playback.play(
        at(message("／需求D2删除，识别错了", "zhangsan", "张三"), kStart + 3 * kHour));
    const auto answer = notices_of(taken, "demand_withdrawn");
    REQUIRE(answer.size() == 1);
    CHECK(answer[0]->fields["reason"] == "识别错了");
    CHECK(has_action(taken, "demand.withdrawn"));
    CHECK(playback.state().demand(2)->status == "withdrawn");
    CHECK_FALSE(playback.state().demand(2)->open());
    CHECK(playback.state().company_demands(1).size() == 1);  // no ledger lists it
    CHECK(playback.state().demand_history(2).size() == 1);

    const Decision again =
        playback.play(at(message("/需求 D2 删除", "zhangsan", "张三"), kStart + 3 * kHour));
    CHECK(notices_of(again, "demand_withdraw_refused")[0]->fields["already"] == true);

    // One with a plan is no longer a reading mistake to take back.
    playback.play(at(message("/方案 D1 负责人：张三 方案：对接两家投资机构", "zhangsan", "张三"),
                     kStart + 3 * kHour));
    const Decision planned =
        playback.play(at(message("/需求 D1 删除", "zhangsan", "张三"), kStart + 3 * kHour));
    CHECK(notices_of(planned, "demand_withdraw_refused")[0]->fields["has_plan"] == true);

    // Words after the id that are no action get the usage.
    const Decision unclear =
        playback.play(at(message("/需求 D1 改一下", "zhangsan", "张三"), kStart + 3 * kHour));
    CHECK(notices_of(unclear, "ledger_query_refused")[0]->fields["demand_usage"] == true);
}

TEST_CASE("A visit to a company not on the list is answered in a direct chat, never recorded",
          "[reports][unlisted]") {
    Playback playback;
    playback.play(created(full_team()));
    const std::string text = "今天上午去了宁东能源化工集团，和王总聊了聊，对方说想做股权融资。";
    const Decision direct = playback.play(message(text, "zhangsan", "张三", ChatKind::direct));
    const auto answers = notices_of(direct, "visit_company_unlisted");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields["header"] == "走访记录");
    CHECK(answers[0]->target.id == "zhangsan");
    CHECK(direct.changes.empty());
    CHECK_FALSE(playback.state().visit(1).has_value());

    // In a group it may be colleagues talking: left alone, as before.
    const Decision group = playback.play(message(text, "zhangsan", "张三"));
    CHECK(group.notices.empty());
    // Neither a plan, a question nor small talk gets this answer.
    for (const std::string other :
         {"明天去宁东能源化工集团拜访王总", "你去过宁东能源化工集团吗？", "今天天气不错", "收到"}) {
        INFO(other);
        const Decision quiet = playback.play(message(other, "zhangsan", "张三", ChatKind::direct));
        CHECK(notices_of(quiet, "visit_company_unlisted").empty());
    }
    // A listed company is recorded as before.
    const Decision listed =
        playback.play(message("今天上午去了示例科技，和王总聊了聊，对方说想做股权融资。",
                              "zhangsan", "张三", ChatKind::direct));
    CHECK(notices_of(listed, "visit_company_unlisted").empty());
    CHECK(playback.state().visit(1).has_value());
}
