#include "bot/ledger/ledger_query.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

// 示例科技 (市场发展部, 张三) with its project group and a report that collected D1 股权融资 and D2
// 挂牌辅导; D1 got a plan with 孙七 as owner.
Playback with_ledger(EngineSettings settings = default_settings()) {
    Playback playback(std::move(settings));
    playback.play(created(full_team()));
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    playback.play(message("/方案 D1 负责人：孙七 方案：对接两家银行", "zhangsan", "张三"));
    REQUIRE(playback.state().demand(2).has_value());
    return playback;
}

InboundEvent direct(const std::string& text, const std::string& id) {
    InboundEvent event = message(text, id, "", ChatKind::direct);
    event.time = kStart + 200 * kHour;  // after D2's plan deadline
    return event;
}

std::vector<std::string> listed(const Decision& decision, const std::string& template_id,
                                const std::string& list, const std::string& key) {
    std::vector<std::string> out;
    for (const Notice* notice : notices_of(decision, template_id)) {
        for (const auto& row : notice->fields[list]) {
            out.push_back(row[key].get<std::string>());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("/台账, /需求 and /走访 <企业> answer each role for what it covers",
          "[ledger][query][permissions]") {
    EngineSettings with_line = default_settings();
    with_line.scores.lines.push_back({"业务一线", "zhengshi", {"企业服务部"}});
    // asker, /台账 示例科技 allowed, /需求 D2 allowed
    const auto [settings_name, asker, allowed] = GENERATE(table<std::string, std::string, bool>({
        {"default", "zhouba", true},     // compliance
        {"default", "zhangsan", true},   // account manager and group owner
        {"default", "sunqi", true},      // head of 市场发展部
        {"default", "wujiu", false},     // head of another department
        {"default", "lisi", false},      // another company's manager
        {"default", "zhengshi", true},   // a reviewer without a line
        {"line", "zhengshi", false},     // the director of a line without 市场发展部
        {"default", "stranger", false},  // not in the directory
    }));
    Playback playback = with_ledger(settings_name == "line" ? with_line : default_settings());
    CAPTURE(settings_name, asker);

    const Decision ledger = playback.play(direct("/台账 示例科技", asker));
    CHECK(notices_of(ledger, "ledger_answer").size() == (allowed ? 1U : 0U));
    CHECK(notices_of(ledger, "ledger_query_refused").size() == (allowed ? 0U : 1U));

    const Decision demand = playback.play(direct("/需求 D2", asker));
    CHECK(notices_of(demand, "demand_detail").size() == (allowed ? 1U : 0U));

    const Decision visits = playback.play(direct("/走访 示例科技 2026Q3", asker));
    CHECK(notices_of(visits, "visit_list").size() == (allowed ? 1U : 0U));
    CHECK(notices_of(visits, "visit_lookup_refused").size() == (allowed ? 0U : 1U));
}

TEST_CASE("/台账 <企业> lists the company's demands with status, owner, deadline, follow-up",
          "[ledger][query]") {
    Playback playback = with_ledger();
    const Decision answer = playback.play(direct("／台账　示例科技", "zhangsan"));
    const auto notices = notices_of(answer, "ledger_answer");
    REQUIRE(notices.size() == 1);
    const auto& fields = notices[0]->fields;
    CHECK(fields["count"] == 2);
    CHECK(fields["open"] == 2);
    CHECK(fields["overdue"] == 1);  // D2 has no plan after its deadline
    CHECK(listed(answer, "ledger_answer", "rows", "demand_id") ==
          std::vector<std::string>{"D2", "D1"});
    CHECK(fields["rows"][0]["overdue"] == true);
    CHECK(fields["rows"][1]["owner_name"] == "孙七");
    CHECK(fields["rows"][1]["has_last"] == true);
    CHECK(has_action(answer, "ledger.viewed"));

    // Without a company: the open demands the asker covers, each naming its company.
    const Decision mine = playback.play(direct("/台账", "sunqi"));
    CHECK(notices_of(mine, "ledger_answer")[0]->fields["rows"][0]["list_company"] ==
          "宁夏示例科技有限公司");
    const Decision none = playback.play(direct("/台账", "zhaoliu"));
    CHECK(notices_of(none, "ledger_answer")[0]->fields["any"] == false);

    const Decision unknown = playback.play(direct("/台账 不存在的公司", "zhangsan"));
    CHECK(notices_of(unknown, "ledger_query_refused")[0]->fields["usage"] == true);
}

TEST_CASE("/需求 D1 shows the demand with its follow-up history", "[ledger][query]") {
    Playback playback = with_ledger();
    playback.play(message("/签约 D1", "sunqi", "孙七"));
    const Decision answer = playback.play(direct("/需求D1", "sunqi"));
    const auto detail = notices_of(answer, "demand_detail");
    REQUIRE(detail.size() == 1);
    CHECK(detail[0]->fields["visit_id"] == "V1");
    CHECK(detail[0]->fields["contracted"] == true);
    CHECK(detail[0]->fields["history"].size() == 2);
    CHECK(detail[0]->fields["history"][0]["by"] == "张三");
    CHECK(has_action(answer, "demand.viewed"));

    for (const std::string text : {"/需求", "/需求 一号"}) {
        const Decision usage = playback.play(direct(text, "sunqi"));
        CHECK(notices_of(usage, "ledger_query_refused")[0]->fields["demand_usage"] == true);
    }
    const Decision missing = playback.play(direct("/需求 D9", "sunqi"));
    CHECK(notices_of(missing, "ledger_query_refused")[0]->fields["not_found"] == true);
}

TEST_CASE("/走访 <企业> [季度] lists the quarter's visits and its coverage", "[ledger][query]") {
    Playback playback = with_ledger();
    const Decision q3 = playback.play(direct("/走访 示例科技 2026-q3", "zhouba"));
    const auto list = notices_of(q3, "visit_list");
    REQUIRE(list.size() == 1);
    CHECK(list[0]->fields["quarter"] == "2026-Q3");
    CHECK(list[0]->fields["covered"] == true);
    CHECK(listed(q3, "visit_list", "rows", "visit_id") == std::vector<std::string>{"V1"});

    // This quarter by default (the message is in 2026-Q3): the same.
    const Decision current = playback.play(direct("/走访 示例科技", "zhouba"));
    CHECK(notices_of(current, "visit_list")[0]->fields["quarter"] == "2026-Q3");

    const Decision q4 = playback.play(direct("/走访 示例科技 Q4", "zhouba"));
    CHECK(notices_of(q4, "visit_list")[0]->fields["covered"] == false);
    CHECK(notices_of(q4, "visit_list")[0]->fields["must_cover"] == true);
    CHECK(notices_of(q4, "visit_list")[0]->fields["count"] == 0);
}

TEST_CASE("An answer about a company stays in its own group and goes directly elsewhere",
          "[ledger][query][routing]") {
    Playback playback = with_ledger();
    // Asked in 示例科技's own project group: answered there.
    const Decision own = playback.play(message("/台账 示例科技", "zhangsan", "张三"));
    CHECK(notices_of(own, "ledger_answer")[0]->target.kind == NoticeTarget::Kind::chat);
    // Asked about 星河新材 in 示例科技's group: directly to the asker (第十一条).
    const Decision other = playback.play(message("/台账 星河新材", "zhouba", "周八"));
    const auto answer = notices_of(other, "ledger_answer");
    REQUIRE(answer.size() == 1);
    CHECK(answer[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "zhouba", ""});
}

TEST_CASE("/导出 台账 sends the ledger rows as a file to the asker only", "[ledger][export]") {
    Playback playback = with_ledger();
    // Asked in the project group: the file goes to the asker directly.
    const Decision exported = playback.play(message("/导出 台账 示例科技", "zhangsan", "张三"));
    const auto files = notices_of(exported, "ledger_export");
    REQUIRE(files.size() == 1);
    CHECK(files[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
    const auto& attachment = files[0]->fields["attachment"];
    CHECK(attachment["kind"] == "ledger");
    REQUIRE(attachment["rows"].size() == 2);
    CHECK(attachment["rows"][0]["demand_number"] == 1);
    CHECK(attachment["rows"][0]["owner_name"] == "孙七");
    CHECK(attachment["rows"][0]["contact"] == "王总 13912345678");  // staff only: unmasked
    CHECK(attachment["rows"][0]["follow_ups"].size() == 1);
    CHECK(has_action(exported, "ledger.exported"));

    // Everything the asker covers when no company is named; nothing outside it.
    const Decision all = playback.play(direct("/导出 台账", "lisi"));
    CHECK(notices_of(all, "ledger_export")[0]->fields["attachment"]["rows"].empty());
    const Decision refused = playback.play(direct("/导出 台账 示例科技", "lisi"));
    CHECK(notices_of(refused, "ledger_export").empty());
    CHECK(notices_of(refused, "ledger_query_refused")[0]->fields["not_allowed"] == true);

    for (const std::string text : {"/导出", "/导出 表格"}) {
        const Decision usage = playback.play(direct(text, "zhangsan"));
        CHECK(notices_of(usage, "export_refused")[0]->fields["usage"] == true);
    }
}

TEST_CASE("/导出 积分表 sends the week's table as a file to directors and compliance",
          "[ledger][export][scores]") {
    EngineSettings settings = default_settings();
    settings.scores.lines.push_back({"业务一线", "zhengshi", {"市场发展部"}});
    Playback playback = with_ledger(settings);
    const Decision file = playback.play(direct("/导出 积分表 2026-W27", "zhengshi"));
    const auto exported = notices_of(file, "score_table_export");
    REQUIRE(exported.size() == 1);
    CHECK(exported[0]->fields["attachment"]["kind"] == "score_table");
    CHECK(exported[0]->fields["published"] == false);
    CHECK_FALSE(exported[0]->fields["version"].get<std::string>().empty());
    CHECK(exported[0]->fields["attachment"]["rows"].size() == 1);  // 张三 for V1

    const Decision refused = playback.play(direct("/导出 积分表 2026-W27", "zhangsan"));
    CHECK(notices_of(refused, "score_table_export").empty());
    CHECK(notices_of(refused, "score_command_refused").size() == 1);
}
