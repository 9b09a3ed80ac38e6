#include "bot/ledger/demand_commands.hpp"

#include <catch2/catch.hpp>

#include "bot/time/civil_time.hpp"
#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

// The project group exists, so answers about 示例科技 may go there.
Playback with_demands() {
    Playback playback;
    playback.play(created(full_team()));
    const Decision report = playback.play(message(kDemandReport, "zhangsan", "张三"));
    REQUIRE(notices_of(report, "visit_recorded").size() == 1);
    REQUIRE(playback.state().demand(2).has_value());
    return playback;
}

const Notice& only(const Decision& decision, const std::string& template_id) {
    const auto found = notices_of(decision, template_id);
    REQUIRE(found.size() == 1);
    return *found.front();
}

}  // namespace

TEST_CASE("A collected demand is due 3 working days after collection", "[ledger][engine]") {
    Playback playback = with_demands();
    // Collected Wednesday 2026-07-01 12:00: due by the end of Monday 2026-07-06.
    CHECK(format_rfc3339(playback.state().demand(1)->plan_deadline) == "2026-07-06T23:59:59+08:00");
    CHECK(playback.state().demand(1)->channel == "generic");
}

TEST_CASE("A demand goes from plan to contract, progress and completion with its history",
          "[ledger][engine]") {
    Playback playback = with_demands();

    const Decision planned = playback.play(
        message("/方案 D1 负责人：孙七 方案：对接两家银行，每月跟进", "zhangsan", "张三"));
    const Notice& answer = *notices_of(planned, "demand_updated").at(0);
    CHECK(answer.target == NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""});
    CHECK(answer.fields["action_plan"] == true);
    CHECK(answer.fields["owner_name"] == "孙七");
    CHECK(answer.fields["plan"] == "对接两家银行，每月跟进");
    // The new owner hears it directly.
    const auto both = notices_of(planned, "demand_updated");
    REQUIRE(both.size() == 2);
    CHECK(both[1]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "sunqi", ""});
    CHECK(playback.state().demand(1)->status == "planned");
    CHECK(playback.state().demand(1)->owner_id == "sunqi");

    playback.play(message("/签约 D1", "sunqi", "孙七"));
    CHECK(playback.state().demand(1)->status == "contracted");
    playback.play(message("/进度 d-1 完成比例：60% 收入：12.5万", "sunqi", "孙七"));
    CHECK(playback.state().demand(1)->completion_percent == 60);
    CHECK(playback.state().demand(1)->revenue_yuan == 125000);
    const Decision done = playback.play(message("/完结 D1", "zhangsan", "张三"));
    CHECK(has_action(done, "demand.complete"));
    CHECK(playback.state().demand(1)->status == "completed");
    CHECK(playback.state().demand(1)->closed_at == kStart + 2 * kHour);

    std::vector<std::string> history;
    for (const auto& entry : playback.state().history()) {
        history.push_back(entry.action);
    }
    CHECK(history == std::vector<std::string>{"plan", "contract", "progress", "complete"});
    CHECK(playback.state().history()[0].text == "负责人：孙七 方案：对接两家银行，每月跟进");
}

TEST_CASE("Referral to another department and its landing", "[ledger][engine]") {
    Playback playback = with_demands();
    playback.play(message("/转介 D2 部门：投行业务部", "zhangsan", "张三"));
    CHECK(playback.state().demand(2)->referral_department == "投行业务部");
    CHECK(playback.state().demand(2)->referred_by == "zhangsan");
    // Only the receiving department lands it: 孙七 heads 市场发展部, 王五 works in 投行业务部.
    CHECK(notices_of(playback.play(message("/转介落地 D2", "sunqi", "孙七")),
                     "demand_command_refused")
              .size() == 1);
    playback.play(message("/转介落地 D2", "wangwu", "王五"));
    CHECK(playback.state().demand(2)->referral_landed_at != 0);
}

TEST_CASE("Ledger commands are refused with the reason", "[ledger][engine]") {
    Playback playback = with_demands();
    const auto [text, sender, problem] = GENERATE(table<std::string, std::string, std::string>({
        {"/方案", "zhangsan", "usage"},
        {"/方案 D99 负责人：孙七 方案：x", "zhangsan", "not_found"},
        {"/方案 D1 负责人：孙七 方案：x", "lisi", "not_allowed"},  // another department
        {"/方案 D1 负责人：孙七 方案：x", "stranger", "not_allowed"},
        {"/方案 D1 方案：对接银行", "zhangsan", "missing_plan"},
        {"/方案 D1 负责人：钱十一 方案：对接银行", "zhangsan", "missing_plan"},
        {"/签约 D1", "zhangsan", "wrong_status"},
        {"/完结 D1", "zhangsan", "wrong_status"},
        {"/不可行 D1", "zhangsan", "missing_reason"},
        {"/转介 D1 部门：市场发展部", "zhangsan", "bad_referral"},
        {"/转介落地 D1", "wangwu", "not_allowed"},
    }));
    const Decision decision = playback.play(message(text, sender, ""));
    INFO(text);
    const Notice& refusal = only(decision, "demand_command_refused");
    CHECK(refusal.fields[problem] == true);
    CHECK(decision.changes.empty());
    CHECK(playback.state().demand(1)->status == "collected");
}

TEST_CASE("Progress needs a signed agreement and readable figures", "[ledger][engine]") {
    Playback playback = with_demands();
    playback.play(message("/方案 D1 负责人：张三 方案：对接银行", "zhangsan", "张三"));
    CHECK(only(playback.play(message("/进度 D1 完成比例：50%", "zhangsan", "张三")),
               "demand_command_refused")
              .fields["wrong_status"] == true);
    playback.play(message("/签约 D1", "zhangsan", "张三"));
    const auto text = GENERATE(as<std::string>{}, "/进度 D1", "/进度 D1 完成比例：一半",
                               "/进度 D1 完成比例：150%", "/进度 D1 收入：很多");
    CHECK(only(playback.play(message(text, "zhangsan", "张三")), "demand_command_refused")
              .fields["bad_progress"] == true);
}

TEST_CASE("A demand found infeasible is closed with its reason", "[ledger][engine]") {
    Playback playback = with_demands();
    playback.play(message("/不可行 D2 原因：企业暂无挂牌计划", "sunqi", "孙七"));
    CHECK(playback.state().demand(2)->status == "infeasible");
    CHECK(playback.state().demand(2)->infeasible_reason == "企业暂无挂牌计划");
    CHECK(only(playback.play(message("/方案 D2 负责人：张三 方案：x", "zhangsan", "张三")),
               "demand_command_refused")
              .fields["wrong_status"] == true);
}

TEST_CASE("Outside the company's own project group the answer goes to the sender only",
          "[ledger][engine]") {
    Playback playback;  // room-1 is not registered as 示例科技's project group
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    const Decision planned =
        playback.play(message("/方案 D1 负责人：张三 方案：对接银行", "zhangsan", "张三"));
    CHECK(only(planned, "demand_updated").target ==
          NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
}

TEST_CASE("The 3-working-day check reminds on the deadline day and escalates after it",
          "[ledger][engine][sla]") {
    Playback playback = with_demands();
    playback.play(message("/方案 D2 负责人：张三 方案：挂牌辅导", "zhangsan", "张三"));

    // Friday 2026-07-03 09:30: not due yet.
    CHECK(playback.play(tick("sla-check", kStart + 2 * 24 * kHour - kHour / 2)).empty());
    // Saturday: the job skips non-working days.
    CHECK(playback.play(tick("sla-check", kStart + 3 * 24 * kHour - kHour / 2)).empty());
    // Monday 2026-07-06 09:30, the deadline day: the account manager is reminded, once.
    const Decision reminded = playback.play(tick("sla-check", kStart + 5 * 24 * kHour - kHour / 2));
    const Notice& reminder = only(reminded, "demand_plan_reminder");
    CHECK(reminder.target == NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
    CHECK(reminder.fields["demand_id"] == "D1");
    CHECK(playback.play(tick("sla-check", kStart + 5 * 24 * kHour)).empty());

    // Tuesday: overdue. The department head (孙七) and compliance (周八) are told; a risk opens.
    const Decision overdue = playback.play(tick("sla-check", kStart + 6 * 24 * kHour - kHour / 2));
    const auto notices = notices_of(overdue, "demand_plan_overdue");
    REQUIRE(notices.size() == 2);
    CHECK(notices[0]->target.id == "sunqi");
    CHECK(notices[1]->target.id == "zhouba");
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{{"sla", true}});
    CHECK(playback.play(tick("sla-check", kStart + 7 * 24 * kHour - kHour / 2)).empty());
}

TEST_CASE("A report on another company posted in a project group is answered to its author only",
          "[ledger][engine][confidentiality]") {
    Playback playback;
    playback.play(created(full_team()));  // room-1 is 示例科技's project group
    const std::string other =
        "【走访记录】\n企业名称：星河新材\n走访时间：2026-07-01 10:00\n走访方式：电话回访\n"
        "走访人员：张三\n走访内容：了解经营\n客户反馈：良好\n企业联系人：李总\n联系电话：1391234567"
        "8";
    const Decision decision = playback.play(message(other, "zhangsan", "张三"));
    CHECK(only(decision, "visit_recorded").target ==
          NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
    // Its own company's report is answered in the group as usual.
    const Decision own = playback.play(message(kDemandReport, "zhangsan", "张三"));
    CHECK(only(own, "visit_recorded").target ==
          NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""});
}
