#include "bot/conventions/risk_register.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

// 示例科技's project group without its department head and compliance (R1 first members, R2
// compliance missing, raised by the hourly check after the grace period) and a 【风险提示】 on
// 星河新材 (R3, account manager 李四, department 企业服务部).
Playback with_three_risks(EngineSettings settings = default_settings()) {
    Playback playback(std::move(settings));
    playback.play(created({person("zhangsan", "张三", "张三-项目负责人"),
                           person("wangwu", "王五", "王五 项目专员1")}));
    playback.play(tick("conventions-check", kStart + 25 * kHour));
    playback.play(message("【风险提示】星河新材 近期涉诉，暂缓推荐融资。", "zhouba", "周八",
                          ChatKind::direct));
    REQUIRE(playback.risks().size() == 3);
    return playback;
}

InboundEvent direct(const std::string& text, const std::string& id, const std::string& name) {
    InboundEvent event = message(text, id, name, ChatKind::direct);
    event.time = kStart + 30 * kHour;
    return event;
}

std::vector<std::string> listed_ids(const Decision& decision) {
    std::vector<std::string> out;
    for (const Notice* notice : notices_of(decision, "risk_list")) {
        for (const auto& item : notice->fields["items"]) {
            out.push_back(item["risk_id"].get<std::string>());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("The bot's own risks are numbered, told with their number and stored without English",
          "[risks][register]") {
    Playback playback;
    playback.play(created({person("zhangsan", "张三", "张三-项目负责人"),
                           person("wangwu", "王五", "王五 项目专员1")}));
    const Decision check = playback.play(tick("conventions-check", kStart + 25 * kHour));
    const auto notices = notices_of(check, "first_members_risk");
    REQUIRE_FALSE(notices.empty());
    CHECK(notices[0]->fields["risk_id"] == "R1");
    CHECK(notices[0]->fields["ack_command"] == "/确认");

    const auto risk = playback.state().risk(1);
    REQUIRE(risk.has_value());
    CHECK(risk->kind == "first_members");
    CHECK(risk->summary.empty());  // the text comes from templates/risk_summary.mustache
    CHECK(risk->detail.at("group") == kProjectName);
    CHECK(risk->lead_id == "zhangsan");
    CHECK(risk->told == std::vector<std::string>{"compliance"});
}

TEST_CASE("/风险 lists the open risks each role covers", "[risks][register][permissions]") {
    EngineSettings with_line = default_settings();
    with_line.scores.lines.push_back({"业务一线", "zhengshi", {"企业服务部"}});

    const auto [settings_name, asker, expected] =
        GENERATE(table<std::string, std::string, std::vector<std::string>>({
            {"default", "zhouba", {"R3", "R2", "R1"}},    // compliance: everything
            {"default", "zhangsan", {"R2", "R1"}},        // manager and owner of 示例科技
            {"default", "sunqi", {"R2", "R1"}},           // head of 市场发展部 (示例科技)
            {"default", "wujiu", {"R3"}},                 // head of 企业服务部 (星河新材)
            {"default", "lisi", {"R3"}},                  // manager of 星河新材
            {"default", "zhaoliu", {}},                   // manages neither
            {"default", "zhengshi", {"R3", "R2", "R1"}},  // a reviewer title without a line
            {"line", "zhengshi", {"R3"}},                 // the director of a line: the line
        }));
    Playback playback = with_three_risks(settings_name == "line" ? with_line : default_settings());
    const Decision answer = playback.play(direct("/风险", asker, ""));
    CAPTURE(settings_name, asker);
    REQUIRE(notices_of(answer, "risk_list").size() == 1);
    CHECK(listed_ids(answer) == expected);
    CHECK(notices_of(answer, "risk_list")[0]->fields["any"] == !expected.empty());
}

TEST_CASE("/风险 from outside the directory, about an unknown company or out of scope is refused",
          "[risks][register][permissions]") {
    Playback playback = with_three_risks();
    const auto [text, asker, flag] = GENERATE(table<std::string, std::string, std::string>({
        {"/风险", "stranger", "not_staff"},
        {"/风险 R3", "zhaoliu", "not_allowed"},
        {"/风险 星河新材", "zhangsan", "not_allowed"},
        {"/风险 R9", "zhouba", "not_found"},
        {"/风险 不存在的公司", "zhouba", "usage"},
    }));
    const Decision answer = playback.play(direct(text, asker, ""));
    CAPTURE(text, asker);
    const auto refused = notices_of(answer, "risk_query_refused");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0]->fields[flag] == true);
    CHECK(notices_of(answer, "risk_detail").empty());
}

TEST_CASE("/风险 <企业> and /风险 R3 answer about one company, audited", "[risks][register]") {
    Playback playback = with_three_risks();
    const Decision company = playback.play(direct("/风险 示例科技", "sunqi", "孙七"));
    CHECK(listed_ids(company) == std::vector<std::string>{"R2", "R1"});
    CHECK(has_action(company, "risk.listed"));

    const Decision one = playback.play(direct("／风险R3", "lisi", "李四"));
    const auto detail = notices_of(one, "risk_detail");
    REQUIRE(detail.size() == 1);
    CHECK(detail[0]->fields["kind_notice"] == true);
    CHECK(detail[0]->fields["text"] == "星河新材 近期涉诉，暂缓推荐融资。");
    CHECK(detail[0]->fields["raised_by"] == "周八");
    CHECK(detail[0]->fields["told_names"] == "李四");
    CHECK(detail[0]->fields["acknowledged"] == false);
    CHECK(detail[0]->target.kind == NoticeTarget::Kind::user);
    CHECK(has_action(one, "risk.viewed"));
}

TEST_CASE("The lead acknowledges a bot risk with a note typed without a space",
          "[risks][register]") {
    Playback playback = with_three_risks();
    InboundEvent ack = message("/确认R1 已邀请周八入群", "zhangsan", "张三");
    ack.time = kStart + 30 * kHour;
    const Decision acknowledged = playback.play(ack);
    const auto answers = notices_of(acknowledged, "risk_acknowledged");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields["risk_id"] == "R1");
    CHECK(answers[0]->fields["note"] == "已邀请周八入群");
    CHECK(answers[0]->fields["kind_first_members"] == true);
    const auto risk = playback.state().risk(1);
    CHECK(risk->acknowledged_by == "zhangsan");
    CHECK(risk->ack_note == "已邀请周八入群");
    CHECK(risk->open);  // acknowledged, not fixed: it closes when compliance joins

    // Listed as acknowledged now.
    const Decision list = playback.play(direct("/风险", "zhouba", "周八"));
    CHECK(notices_of(list, "risk_list")[0]->fields["unacknowledged"] == 2);

    const auto [text, sender, flag] = GENERATE(table<std::string, std::string, std::string>({
        {"/确认 R1", "sunqi", "already"},
        {"/确认 R3", "zhaoliu", "not_lead"},
        {"/确认", "zhangsan", "usage"},
    }));
    const Decision refused = playback.play(direct(text, sender, ""));
    CAPTURE(text, sender);
    REQUIRE(notices_of(refused, "risk_ack_refused").size() == 1);
    CHECK(notices_of(refused, "risk_ack_refused")[0]->fields[flag] == true);
}

TEST_CASE("Compliance closes a risk with a note; others may not", "[risks][register]") {
    Playback playback = with_three_risks();
    const Decision by_lead = playback.play(direct("/关闭 R1 已处理", "zhangsan", "张三"));
    CHECK(notices_of(by_lead, "risk_close_refused")[0]->fields["not_allowed"] == true);
    const Decision no_note = playback.play(direct("/关闭 R1", "zhouba", "周八"));
    CHECK(notices_of(no_note, "risk_close_refused")[0]->fields["usage"] == true);
    CHECK(playback.state().risk(1)->open);

    const Decision closed = playback.play(direct("/关闭 R1 已现场核实", "zhouba", "周八"));
    const auto answers = notices_of(closed, "risk_closed");
    REQUIRE(answers.size() == 2);  // to compliance, and to the lead
    CHECK(answers[1]->target.id == "zhangsan");
    CHECK(has_action(closed, "risk.closed"));
    const auto risk = playback.state().risk(1);
    CHECK_FALSE(risk->open);
    CHECK(risk->closed_by == "zhouba");
    CHECK(risk->close_reason == "已现场核实");

    const Decision again = playback.play(direct("/确认 R1 好的", "zhangsan", "张三"));
    CHECK(notices_of(again, "risk_ack_refused")[0]->fields["closed"] == true);
    const Decision list = playback.play(direct("/风险", "zhouba", "周八"));
    CHECK(listed_ids(list) == std::vector<std::string>{"R3", "R2"});
}
