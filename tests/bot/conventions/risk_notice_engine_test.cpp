#include "bot/conventions/risk_notice_engine.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

const std::string kNotice =
    "【风险提示】企业拟变更实际控制人，联系人王总 13912345678，请暂停推荐融资。";

Playback with_project_group() {
    Playback playback;
    playback.play(created(full_team()));
    return playback;
}

}  // namespace

TEST_CASE("A 【风险提示】 from compliance is recorded and the lead asked to acknowledge",
          "[risks][engine]") {
    Playback playback = with_project_group();
    InboundEvent notice = message(kNotice, "zhouba", "周八");
    notice.sender.nickname = "周八-合规质效督办";
    const Decision decision = playback.play(notice);

    const auto answers = notices_of(decision, "risk_notice_recorded");
    REQUIRE(answers.size() == 2);
    CHECK(answers[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""});
    CHECK(answers[1]->target == kOwnerDm);
    CHECK(answers[0]->fields["risk_id"] == "R1");
    CHECK(answers[0]->fields["lead_name"] == "张三");
    CHECK(answers[0]->fields["command"] == "/确认");
    // Masked in the group, whole to the lead directly (第十一条).
    CHECK(answers[0]->fields["text"].get<std::string>().find("139****5678") != std::string::npos);
    CHECK(answers[1]->fields["text"].get<std::string>().find("13912345678") != std::string::npos);
    CHECK(has_action(decision, "risk.notice_raised"));

    const auto risk = playback.state().risk(1);
    REQUIRE(risk.has_value());
    CHECK(risk->kind == "notice");
    CHECK(risk->company_id == std::optional<std::int64_t>{1});
    CHECK(risk->raised_by == "zhouba");
    CHECK(risk->lead_id == "zhangsan");
}

TEST_CASE("A 【风险提示】 from anyone outside compliance is politely refused", "[risks][engine]") {
    Playback playback = with_project_group();
    // 王五 writes the compliance role into his nickname: a nickname does not make compliance of
    // someone the directory says is not.
    InboundEvent notice = message(kNotice, "wangwu", "王五");
    notice.sender.nickname = "王五-合规质效督办";
    const Decision decision = playback.play(notice);
    const auto refusals = notices_of(decision, "risk_notice_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields["not_compliance"] == true);
    CHECK(decision.group_changes.empty());
    CHECK_FALSE(playback.state().risk(1).has_value());
}

TEST_CASE("A 【风险提示】 sent directly names its company", "[risks][engine]") {
    Playback playback;
    const Decision named = playback.play(
        message("[风险提示] 星河新材 近期涉诉，暂缓对接。", "zhouba", "周八", ChatKind::direct));
    const auto answers = notices_of(named, "risk_notice_recorded");
    REQUIRE(answers.size() == 2);
    CHECK(answers[0]->fields["company"] == "银川星河新材料股份有限公司");
    // The company's account manager leads it when there is no group.
    CHECK(answers[1]->target.id == "lisi");

    const Decision unnamed =
        playback.play(message("【风险提示】有企业涉诉。", "zhouba", "周八", ChatKind::direct));
    CHECK(notices_of(unnamed, "risk_notice_refused")[0]->fields["company_unknown"] == true);
}

TEST_CASE("/确认 by the lead records the acknowledgement once", "[risks][engine]") {
    Playback playback = with_project_group();
    playback.play(message(kNotice, "zhouba", "周八"));

    const auto [text, sender, problem] = GENERATE(table<std::string, std::string, std::string>({
        {"/确认 R1", "wangwu", "not_lead"},
        {"/确认 R9", "zhangsan", "not_found"},
        {"/确认", "zhangsan", "usage"},
        {"/确认 一号", "zhangsan", "usage"},
    }));
    const Decision refused = playback.play(message(text, sender, ""));
    REQUIRE(notices_of(refused, "risk_ack_refused").size() == 1);
    CHECK(notices_of(refused, "risk_ack_refused")[0]->fields[problem] == true);
    CHECK(refused.group_changes.empty());

    const Decision acknowledged = playback.play(message("/确认 r1", "zhangsan", "张三"));
    const auto answers = notices_of(acknowledged, "risk_acknowledged");
    REQUIRE(answers.size() == 2);
    CHECK(answers[1]->target == kComplianceDm);
    CHECK(answers[0]->fields["by_name"] == "张三");
    CHECK(has_action(acknowledged, "risk.acknowledged"));
    CHECK(playback.state().risk(1)->acknowledged_by == "zhangsan");

    const Decision again = playback.play(message("/确认 R-1", "sunqi", "孙七"));
    CHECK(notices_of(again, "risk_ack_refused")[0]->fields["already"] == true);
}

TEST_CASE("An unacknowledged notice is escalated once after the configured time",
          "[risks][engine]") {
    Playback playback = with_project_group();
    playback.play(message(kNotice, "zhouba", "周八"));  // at kStart + 2h
    CHECK(playback.play(tick("risk-escalation", kStart + 25 * kHour)).empty());

    const Decision escalated = playback.play(tick("risk-escalation", kStart + 26 * kHour));
    const auto notices = notices_of(escalated, "risk_escalated");
    REQUIRE(notices.size() == 2);
    // The head of the company's department (孙七) and the compliance member who raised it.
    CHECK(notices[0]->target.id == "sunqi");
    CHECK(notices[1]->target.id == "zhouba");
    CHECK(notices[0]->fields["hours"] == 24);
    CHECK(has_action(escalated, "risk.escalated"));
    CHECK(playback.play(tick("risk-escalation", kStart + 27 * kHour)).empty());

    // An acknowledged one is never escalated.
    Playback acknowledged = with_project_group();
    acknowledged.play(message(kNotice, "zhouba", "周八"));
    acknowledged.play(message("/确认 R1", "zhangsan", "张三"));
    CHECK(acknowledged.play(tick("risk-escalation", kStart + 30 * kHour)).empty());
}
