#include "bot/chat/help.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

// The project group with its team, V1 (with demands D1 and D2) by 张三 and 风险提示 R1.
Playback prepared() {
    Playback playback;
    playback.play(created(full_team()));
    REQUIRE(notices_of(playback.play(message(kDemandReport, "zhangsan", "张三")), "visit_recorded")
                .size() == 1);
    playback.play(message("【风险提示】企业拟变更实际控制人，请暂停推荐融资。", "zhouba", "周八"));
    REQUIRE(playback.state().risk(1).has_value());
    return playback;
}

}  // namespace

TEST_CASE("Real typing variants reach their command, and nothing that looks like one is ignored",
          "[chat][commands]") {
    // As people type on phones: full-width slash, colon and spaces, no space before the id,
    // spaces after the slash, lower-case ids, full-width letters, a label without its colon.
    const auto [typed, sender, answer] = GENERATE(table<std::string, std::string, std::string>({
        {"/帮助", "zhangsan", "help"},
        {"/help", "zhangsan", "help"},
        {"/HELP", "zhangsan", "help"},
        {"/Help", "zhangsan", "help"},
        {"／帮助", "zhangsan", "help"},
        {"/ 帮助", "zhangsan", "help"},
        {" /帮助 ", "zhangsan", "help"},
        {"/ｈｅｌｐ", "zhangsan", "help"},
        {"帮助", "zhangsan", "help"},
        {"？", "zhangsan", "help"},
        {"?", "zhangsan", "help"},
        {"help", "zhangsan", "help"},
        {"@ledgerbot 帮助", "zhangsan", "help"},
        {"@ledgerbot\u2005帮助", "zhangsan", "help"},
        {"怎么用", "zhangsan", "help"},
        {"帮助", "wx-stranger", "help"},
        {"/帮助 补充", "zhangsan", "help_command"},
        {"/帮助 /补充", "zhangsan", "help_command"},
        {"/帮助 签约", "zhangsan", "help_command"},
        {"/帮助 【走访记录】", "zhangsan", "help_command"},
        {"/帮助 确认", "zhangsan", "help_command"},
        {"／帮助　积分", "zhangsan", "help_command"},
        {"/帮助 飞行", "zhangsan", "help"},
        {"/foo", "zhangsan", "unknown_command"},
        {"/补冲 V1 联系电话：13912345678", "zhangsan", "unknown_command"},
        {"/积份", "zhangsan", "unknown_command"},
        {"/", "zhangsan", "unknown_command"},
        {"/ ", "zhangsan", "unknown_command"},
        {"/签 D1", "zhangsan", "unknown_command"},
        {"/确定 R1", "zhangsan", "unknown_command"},
        {"/复查 V1 不准确 原因", "zhangsan", "unknown_command"},
        {"/确认 R1", "zhangsan", "risk_acknowledged"},
        {"/确认R1", "zhangsan", "risk_acknowledged"},
        {"／确认 R1", "zhangsan", "risk_acknowledged"},
        {"/确认 r1", "zhangsan", "risk_acknowledged"},
        {"/确认　R1", "zhangsan", "risk_acknowledged"},
        {"/ 确认 R1", "zhangsan", "risk_acknowledged"},
        {"/确认 R-1", "zhangsan", "risk_acknowledged"},
        {"/确认R-1", "zhangsan", "risk_acknowledged"},
        {"/确认 Ｒ１", "zhangsan", "risk_acknowledged"},
        {"/确认Ｒ１", "zhangsan", "risk_acknowledged"},
        {"/补充 V1 联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充V1 联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充V1 联系电话 13912345678", "zhangsan", "visit_supplemented"},
        {"／补充 V1 联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充 v1 联系电话:13912345678", "zhangsan", "visit_supplemented"},
        {"/补充 V1 联系电话: 13912345678", "zhangsan", "visit_supplemented"},
        {"/ 补充 V1 联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充　V1　联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充 V-1 联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充 Ｖ１ 联系电话：13912345678", "zhangsan", "visit_supplemented"},
        {"/补充V1 客户反馈 希望对接两家银行", "zhangsan", "visit_supplemented"},
        {"/方案 D1 负责人：孙七 方案：对接两家银行", "zhangsan", "demand_updated"},
        {"/方案D1 负责人：孙七 方案：对接两家银行", "zhangsan", "demand_updated"},
        {"／方案 d1 负责人:孙七 方案:对接银行", "zhangsan", "demand_updated"},
        {"/方案 D-1 负责人：孙七 方案：对接银行", "zhangsan", "demand_updated"},
        {"/不可行 D1 原因：企业暂无需求", "zhangsan", "demand_updated"},
        {"/不可行D1 原因:企业暂无需求", "zhangsan", "demand_updated"},
        {"/转介 D1 部门：投行业务部", "zhangsan", "demand_updated"},
        {"/转介 D1 投行业务部", "zhangsan", "demand_updated"},
        {"/积分", "zhangsan", "score_answer"},
        {"/积分V1", "zhangsan", "score_visit_answer"},
        {"/积分 V1", "zhangsan", "score_visit_answer"},
        {"／积分 v1", "zhangsan", "score_visit_answer"},
        {"/积分　V-1", "zhangsan", "score_visit_answer"},
        {"/走访 V1", "zhangsan", "visit_detail"},
        {"/走访V1", "zhangsan", "visit_detail"},
        {"／走访 v1", "zhouba", "visit_detail"},
        {"/走访 V9", "zhangsan", "visit_lookup_refused"},
        {"/走访", "zhangsan", "visit_lookup_refused"},
        {"/签约", "zhangsan", "demand_command_refused"},
        {"/方案 X9", "zhangsan", "demand_command_refused"},
        {"/签约 D1", "zhangsan", "demand_command_refused"},  // no plan yet: why not, and what to do
        {"/确认R1已邀请合规入群", "zhangsan", "risk_acknowledged"},
        {"/确认 R1：已整改", "zhangsan", "risk_acknowledged"},
        {"/风险", "zhouba", "risk_list"},
        {"／风险 示例科技", "zhouba", "risk_list"},
        {"/风险示例科技", "zhouba", "risk_list"},
        {"/风险R1", "zhouba", "risk_detail"},
        {"/风险 r-1", "zhangsan", "risk_detail"},
        {"/台账 示例科技", "zhangsan", "ledger_answer"},
        {"/台账示例科技", "zhangsan", "ledger_answer"},
        {"／台账　宁夏示例科技有限公司", "zhangsan", "ledger_answer"},
        {"/台账", "zhangsan", "ledger_answer"},
        {"/需求 D1", "zhangsan", "demand_detail"},
        {"/需求D1", "zhangsan", "demand_detail"},
        {"/需求", "zhangsan", "ledger_query_refused"},
        {"/走访 示例科技", "zhangsan", "visit_list"},
        {"/走访示例科技 2026Q3", "zhangsan", "visit_list"},
        {"/走访 示例科技 ２０２６Ｑ３", "zhangsan", "visit_list"},
        {"/导出 台账", "zhangsan", "ledger_export"},
        {"/导出台账", "zhangsan", "ledger_export"},
        {"/导出 台账 示例科技", "zhangsan", "ledger_export"},
        {"/导出", "zhangsan", "export_refused"},
        {"/撤回 V1", "zhangsan", "visit_withdraw_refused"},
        {"/撤回V1发错群了", "zhangsan", "visit_withdrawn"},
    }));
    INFO(typed << " from " << sender);
    Playback playback = prepared();
    const Decision decision = playback.play(message(typed, sender, ""));
    CHECK_FALSE(notices_of(decision, answer).empty());
}

TEST_CASE("An unknown command names the nearest known ones", "[chat][commands]") {
    Playback playback = prepared();
    const Decision decision = playback.play(message("/补冲 V1 联系电话：139", "zhangsan", "张三"));
    const auto answers = notices_of(decision, "unknown_command");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields["typed"] == "/补冲");
    REQUIRE(answers[0]->fields["suggestions"].size() >= 1);
    CHECK(answers[0]->fields["suggestions"][0]["command"] == "/补充");
    CHECK(answers[0]->fields["help"] == "/帮助");
}

TEST_CASE("A mistyped word with its record id glued on still finds the command",
          "[chat][commands]") {
    Playback playback = prepared();
    const Decision decision = playback.play(message("/补冲V1 电话 139", "zhangsan", "张三"));
    const auto answers = notices_of(decision, "unknown_command");
    REQUIRE(answers.size() == 1);
    REQUIRE(answers[0]->fields["suggestions"].size() >= 1);
    CHECK(answers[0]->fields["suggestions"][0]["command"] == "/补充");
}

TEST_CASE("Help lists what this person's roles may use", "[chat][help]") {
    Playback playback = prepared();
    const auto lines_of = [&](const std::string& sender) {
        const Decision decision = playback.play(message("/帮助", sender, ""));
        REQUIRE(notices_of(decision, "help").size() == 1);
        std::set<std::string> keys;
        for (const auto& group : notices_of(decision, "help")[0]->fields["groups"]) {
            for (const auto& line : group["lines"]) {
                for (const auto& [key, value] : line.items()) {
                    if (key.rfind("key_", 0) == 0) {
                        keys.insert(key.substr(4));
                    }
                }
            }
        }
        return keys;
    };
    const auto manager = lines_of("zhangsan");
    CHECK(manager.count("supplement") == 1);
    CHECK(manager.count("score") == 1);
    CHECK(manager.count("review") == 0);  // only line directors review
    const auto stranger = lines_of("wx-stranger");
    CHECK(stranger.count("supplement") == 0);
    CHECK(stranger.count("help") == 1);
}

TEST_CASE("A report from someone not in the staff directory is not recorded", "[chat][reports]") {
    Playback playback = prepared();
    const std::int64_t before = playback.state().next_visit_number();
    const Decision decision = playback.play(message(kDemandReport, "wx-customer", "王总"));
    CHECK(notices_of(decision, "visit_recorded").empty());
    REQUIRE(notices_of(decision, "report_not_staff").size() == 1);
    CHECK(notices_of(decision, "report_not_staff")[0]->target ==
          (NoticeTarget{"generic", NoticeTarget::Kind::user, "wx-customer", ""}));
    CHECK(playback.state().next_visit_number() == before);

    // Told at most once a day: a second report an hour later gets no answer, the next day does.
    InboundEvent later = message(kDemandReport, "wx-customer", "王总");
    later.time += kHour;
    CHECK(notices_of(playback.play(later), "report_not_staff").empty());
    later.time += 24 * kHour;
    CHECK(notices_of(playback.play(later), "report_not_staff").size() == 1);

    // An external member (a customer in the project group) is never answered or recorded.
    InboundEvent customer = message(kDemandReport, "wm-customer", "李总");
    customer.sender.external = true;
    const Decision external = playback.play(customer);
    CHECK(external.notices.empty());
    CHECK(playback.state().next_visit_number() == before);
}

TEST_CASE("/走访 V12 shows a record in full to those who may read it", "[chat][reports]") {
    Playback playback = prepared();
    const Decision shown = playback.play(message("/走访 V1", "zhangsan", "张三"));
    REQUIRE(notices_of(shown, "visit_detail").size() == 1);
    const auto& fields = notices_of(shown, "visit_detail")[0]->fields;
    CHECK(fields["visit_id"] == "V1");
    CHECK(fields["complete"] == true);
    CHECK(fields["demands"].size() == 2);
    // In the company's own project group the phone is masked (第十一条).
    bool masked = false;
    for (const auto& row : fields["rows"]) {
        masked = masked || row["value"] == "139****5678";
    }
    CHECK(masked);
    CHECK(has_action(shown, "visit.viewed"));
    // Someone of another department with no part in it is refused, directly.
    const Decision refused = playback.play(message("/走访 V1", "lisi", "李四"));
    REQUIRE(notices_of(refused, "visit_lookup_refused").size() == 1);
    CHECK(notices_of(refused, "visit_lookup_refused")[0]->fields.value("not_allowed", false));
    CHECK(notices_of(refused, "visit_detail").empty());
}
