#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "templates/renderer.hpp"

using ledgerbot::templates::Renderer;

TEST_CASE("Golden: help lists one line per command under its group", "[renderer][chat]") {
    const nlohmann::json fields{
        {"staff", true},
        {"unknown_topic", false},
        {"help", "/帮助"},
        {"groups",
         {{{"group_report", true},
           {"lines", {{{"key_supplement", true}, {"word", "补充"}, {"typed", "/补充"}}}}},
          {{"group_scoring", true},
           {"lines",
            {{{"key_score", true}, {"word", "积分"}, {"typed", "/积分"}},
             {{"key_review", true}, {"word", "复核"}, {"typed", "/复核"}}}}}}}};
    const std::string expected =
        "📖 您可以使用的命令：\n"
        "【走访】\n"
        "· /补充 V12 联系电话：139…　补充或更正走访记录\n"
        "【积分】\n"
        "· /积分（本人）或 /积分 V12（一次走访）　查询积分\n"
        "· /复核 通过　复核上周积分表；/复核 作废 V12 原因…";
    CHECK(Renderer().render("help", fields) == expected);
}

TEST_CASE("Golden: an unknown command with its nearest", "[renderer][chat]") {
    const nlohmann::json fields{{"typed", "/补冲"},
                                {"has_suggestions", true},
                                {"suggestions", {{{"command", "/补充"}}}},
                                {"suggestion_text", "/补充"},
                                {"help", "/帮助"}};
    CHECK(Renderer().render("unknown_command", fields) ==
          "没有这个命令：/补冲\n您是不是要用：/补充\n发送 /帮助 查看您可以使用的命令。");
}

TEST_CASE("Golden: /风险 lists risks with rule, age, who was told and acknowledgement",
          "[renderer][chat][risks]") {
    const nlohmann::json fields{{"any", true},
                                {"count", 2},
                                {"unacknowledged", 1},
                                {"company", ""},
                                {"scope_department", true},
                                {"has_more", false},
                                {"command", "/风险"},
                                {"ack_command", "/确认"},
                                {"items",
                                 {{{"risk_id", "R2"},
                                   {"kind_nickname", true},
                                   {"company", "宁夏示例科技有限公司"},
                                   {"group", "宁夏示例科技有限公司服务项目专属服务群"},
                                   {"member", "王五"},
                                   {"within_day", true},
                                   {"age_hours", 5},
                                   {"age_days", 0},
                                   {"told_names", "王五"},
                                   {"told_compliance", true},
                                   {"lead_name", "张三"},
                                   {"acknowledged", false},
                                   {"escalated", false}},
                                  {{"risk_id", "R1"},
                                   {"kind_sla", true},
                                   {"company", "宁夏示例科技有限公司"},
                                   {"demand", "D3"},
                                   {"days", "3"},
                                   {"within_day", false},
                                   {"age_days", 4},
                                   {"told_names", "孙七"},
                                   {"told_compliance", true},
                                   {"acknowledged", true},
                                   {"ack_by", "张三"},
                                   {"ack_note", "方案已报部门"}}}}};
    CHECK(Renderer().render("risk_list", fields) ==
          "⚠️ 本部门未关闭的风险 2 条，其中待确认 1 条：\n"
          "· R2【第九条（三）群昵称】宁夏示例科技有限公司：王五 在项目群「宁夏示例科技有限公司服务"
          "项目专属服务群」的群昵称不符合\"姓名+工种或职务\"（5 小时前；已告知 王五 合规；待 张三 "
          "确认）\n"
          "· R1【第八条 服务方案时限】宁夏示例科技有限公司：需求 D3 超过 3 个工作日仍未明确服务方案"
          "和对接负责人（4 天前；已告知 孙七 合规；张三 已确认：方案已报部门）\n"
          "查看一条：/风险 R编号；处理后确认：/确认 R编号 已整改");
}

TEST_CASE("Every kind of risk has a Chinese summary", "[renderer][chat][risks]") {
    const std::string kind =
        GENERATE(as<std::string>{}, "group_name", "first_members", "compliance_missing", "nickname",
                 "self_leave", "sla", "coverage", "finding", "notice");
    const nlohmann::json fields{{"kind_" + kind, true},
                                {"group", "群"},
                                {"member", "王五"},
                                {"demand", "D1"},
                                {"days", "3"},
                                {"quarter", "2026Q4"},
                                {"visit", "V1"},
                                {"finding_omission", true},
                                {"reason", "缺少客户反馈"},
                                {"text", "企业涉诉"}};
    const std::string summary = Renderer().render("risk_summary", fields);
    const std::string rule = Renderer().render("risk_rule", fields);
    CAPTURE(kind, summary, rule);
    CHECK_FALSE(summary.empty());
    CHECK_FALSE(rule.empty());
    CHECK(summary.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos);
}
