#include "templates/renderer.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using ledgerbot::templates::Renderer;
using nlohmann::json;

json missing_roles() {
    return json::parse(R"([
        {"executor": true, "candidates": "王五"},
        {"department_head": true, "candidates": "孙七"},
        {"compliance": true, "candidates": ""}])");
}

}  // namespace

TEST_CASE("A misnamed group's reminder names the rule, the name seen and the exact name",
          "[renderer][conventions]") {
    const Renderer renderer;
    json fields = {{"owner_name", "张三"},
                   {"group_name", "宁夏示例科技有限公司服务项目群"},
                   {"suffix", "服务项目专属服务群"},
                   {"company_text", "宁夏示例科技有限公司"},
                   {"expected_name", "宁夏示例科技有限公司服务项目专属服务群"},
                   {"deadline", "2026-07-02 10:00"},
                   {"wrong_suffix", true}};
    CHECK(renderer.render("group_name_reminder", fields) ==
          "【群名提醒】张三，按《培育企业全链条服务管理规范》第九条（二），项目专属服务群应命名为"
          "\"企业名称+服务项目专属服务群\"。\n"
          "本群现名「宁夏示例科技有限公司服务项目群」：结尾不是\"服务项目专属服务群\"。\n"
          "请将群名改为：宁夏示例科技有限公司服务项目专属服务群\n"
          "2026-07-02 10:00 前仍未更正的，将提示合规风控部。");

    fields = {{"owner_name", "张三"},
              {"group_name", "未知公司服务项目专属服务群"},
              {"suffix", "服务项目专属服务群"},
              {"company_text", "未知公司"},
              {"expected_name", ""},
              {"deadline", ""},
              {"company_not_listed", true}};
    CHECK(renderer.render("group_name_reminder", fields) ==
          "【群名提醒】张三，按《培育企业全链条服务管理规范》第九条（二），项目专属服务群应命名为"
          "\"企业名称+服务项目专属服务群\"。\n"
          "本群现名「未知公司服务项目专属服务群」：\"未知公司\"不在企业名单库中。\n"
          "请将群名改为\"企业全称服务项目专属服务群\"（企业须已列入名单库，也可用登记的简称）。");
}

TEST_CASE("The first-members reminder lists each missing role with whom to invite",
          "[renderer][conventions]") {
    const Renderer renderer;
    const json fields = {{"owner_name", "张三"},
                         {"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                         {"deadline", "2026-07-02 10:00"},
                         {"missing", missing_roles()}};
    CHECK(renderer.render("first_members_reminder", fields) ==
          "【入群提醒】张三，按《培育企业全链条服务管理规范》第九条（二），项目承揽人员建群后须首先"
          "邀请承做人员、部门负责人、合规负责人入群。\n"
          "「宁夏示例科技有限公司服务项目专属服务群」目前还缺：\n"
          "· 承做人员（可邀请：王五）\n"
          "· 部门负责人（可邀请：孙七）\n"
          "· 合规负责人\n"
          "请在 2026-07-02 10:00 前邀请入群，逾期将提示合规风控部。");
}

TEST_CASE("The first-members risk tells compliance what is missing since when",
          "[renderer][conventions]") {
    const Renderer renderer;
    const json fields = {{"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                         {"company", "宁夏示例科技有限公司"},
                         {"owner_name", "张三"},
                         {"created_at", "2026-07-01 10:00"},
                         {"grace_hours", 24},
                         {"missing", json::array({missing_roles()[1]})}};
    CHECK(
        renderer.render("first_members_risk", fields) ==
        "【风险提示】项目群「宁夏示例科技有限公司服务项目专属服务群」（宁夏示例科技有限公司）建群已"
        "超过 24 小时，仍缺少第九条（二）要求首先入群的人员：\n"
        "· 部门负责人（可邀请：孙七）\n"
        "群主：张三，建群时间：2026-07-01 10:00。请督促群主邀请入群。");
}

TEST_CASE("The compliance-missing risk cites 第九条（四）", "[renderer][conventions]") {
    const Renderer renderer;
    json fields = {{"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                   {"company", "宁夏示例科技有限公司"},
                   {"owner_name", "张三"},
                   {"since", "2026-07-01 10:00"},
                   {"compliance_role", "合规质效督办"},
                   {"candidates", "周八"}};
    CHECK(
        renderer.render("compliance_missing_risk", fields) ==
        "【风险提示】项目群「宁夏示例科技有限公司服务项目专属服务群」（宁夏示例科技有限公司）中没有"
        "合规质效督办角色的成员。\n"
        "按《培育企业全链条服务管理规范》第九条（四），合规风控部须以合规质效督办的角色参与每个"
        "项目专属服务群。\n"
        "自 2026-07-01 10:00 起缺失，群主：张三。可邀请：周八。");
    fields["candidates"] = "";
    CHECK(renderer.render("compliance_missing_risk", fields).ends_with("群主：张三。"));
}

TEST_CASE("The nickname reminder says what is wrong and shows the expected form",
          "[renderer][conventions]") {
    const Renderer renderer;
    json fields = {{"member_name", "张三"},
                   {"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                   {"nickname", "张三丰-项目负责人"},
                   {"expected_example", "张三-项目负责人"},
                   {"roles", "项目负责人、项目顾问、合规质效督办、财务专员、项目专员1、项目专员2"},
                   {"deadline", "2026-07-02 09:00"},
                   {"name_mismatch", true},
                   {"expected_name", "张三"}};
    const std::string tail =
        "可用的工种或职务：项目负责人、项目顾问、合规质效督办、财务专员、项目专员1、项目专员2\n"
        "请在 2026-07-02 09:00 前修改，届时仍不符合的将提示合规风控部。";
    const std::string head =
        "【昵称提醒】张三，按《培育企业全链条服务管理规范》第九条（三），进群当日须将\"我在群里的"
        "昵称\"设置为\"姓名+项目工种或职务\"。\n";
    CHECK(renderer.render("nickname_reminder", fields) ==
          head +
              "你在「宁夏示例科技有限公司服务项目专属服务群」的昵称「张三丰-项目负责人」中的姓名与"
              "通讯录姓名\"张三\"不一致。\n"
              "请改为例如：张三-项目负责人\n" +
              tail);

    fields.erase("name_mismatch");
    fields["nickname"] = "";
    fields["empty"] = true;
    CHECK(renderer.render("nickname_reminder", fields) ==
          head + "你在「宁夏示例科技有限公司服务项目专属服务群」的昵称尚未设置。\n" +
              "请改为例如：张三-项目负责人\n" + tail);

    fields.erase("empty");
    fields["nickname"] = "张三-经理";
    fields["unknown_role"] = true;
    fields["role"] = "经理";
    fields["expected_example"] = "";
    CHECK(renderer.render("nickname_reminder", fields) ==
          head +
              "你在「宁夏示例科技有限公司服务项目专属服务群」的昵称「张三-经理」中的\"经理\"不是"
              "约定的项目工种或职务。\n" +
              tail);
}

TEST_CASE("The nickname risk tells compliance who, since when and what is wrong",
          "[renderer][conventions]") {
    const Renderer renderer;
    json fields = {{"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                   {"company", "宁夏示例科技有限公司"},
                   {"member_name", "张三"},
                   {"joined_at", "2026-07-01 10:00"},
                   {"nickname", "张三"},
                   {"missing_role", true},
                   {"expected_example", "张三-项目负责人"},
                   {"reminded_at", "2026-07-01 20:00"}};
    CHECK(
        renderer.render("nickname_risk", fields) ==
        "【风险提示】项目群「宁夏示例科技有限公司服务项目专属服务群」（宁夏示例科技有限公司）成员 "
        "张三 于 2026-07-01 10:00 入群，群昵称仍不符合第九条（三）\"姓名+项目工种或职务\"的要求。\n"
        "当前昵称：张三；问题：缺少项目工种或职务；应为例如 张三-项目负责人。\n"
        "已于 2026-07-01 20:00 提醒本人。");

    fields["nickname"] = "";
    fields.erase("missing_role");
    fields["empty"] = true;
    fields["reminded_at"] = "";
    CHECK(renderer.render("nickname_risk", fields)
              .ends_with("当前昵称：（未设置）；问题：未设置昵称；应为例如 张三-项目负责人。"));
}

TEST_CASE("Leaving a project group on one's own is reported as a violation of 第九条（二）",
          "[renderer][conventions]") {
    const Renderer renderer;
    const json fields = {{"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                         {"company", "宁夏示例科技有限公司"},
                         {"member_name", "王五"},
                         {"left_at", "2026-07-03 16:20"},
                         {"owner_name", "张三"}};
    CHECK(renderer.render("self_leave_violation", fields) ==
          "【违规提示】王五 于 2026-07-03 16:20 "
          "自行退出项目群「宁夏示例科技有限公司服务项目专属服务群」"
          "（宁夏示例科技有限公司）。\n"
          "按《培育企业全链条服务管理规范》第九条（二），参与人员阶段性服务完结后由群主移出服务群，"
          "不可擅自退群。\n"
          "请群主 张三 确认其阶段性工作是否已完结，如需继续参与请重新邀请入群；本次退群已记录。");
}

TEST_CASE("/移出 is said in the group, answered to the app, and refused with what to do instead",
          "[renderer][conventions]") {
    const Renderer renderer;
    const json said = {{"member_name", "李四"},
                       {"group_name", "宁夏示例科技有限公司服务项目专属服务群"},
                       {"by_name", "张三"},
                       {"in_group", true}};
    CHECK(renderer.render("member_removal", said) ==
          "应 张三 要求，机器人将 李四 "
          "移出本群。按《培育企业全链条服务管理规范》第九条（二），由群主移出"
          "不属擅自退群。");
    json requested = said;
    requested.erase("in_group");
    requested["requested"] = true;
    CHECK(renderer.render("member_removal", requested) ==
          "已请机器人将 李四 "
          "移出项目群「宁夏示例科技有限公司服务项目专属服务群」，群里会收到通知，移出会"
          "自动记录。");
    const json cannot = {{"command", "/移出"},
                         {"who", "李四"},
                         {"group_name", "示例群"},
                         {"removed_command", "/已移出"},
                         {"bot_cannot_remove", true}};
    CHECK(renderer.render("convention_command_refused", cannot) ==
          "机器人不是「示例群」的群主或管理员，无法代为移出 "
          "李四。请群主在群里直接移出；如群里无法判断其离开"
          "方式，再回复 /已移出 李四。");
    const json owner = {{"command", "/移出"},
                        {"who", "张三"},
                        {"group_name", "示例群"},
                        {"owner_not_removable", true}};
    CHECK_THAT(renderer.render("convention_command_refused", owner),
               Catch::StartsWith("张三 是「示例群」的群主，不能被移出。"));
    json stage = {{"member_name", "李四"},
                  {"group_name", "示例群"},
                  {"owner_name", "张三"},
                  {"by_name", "张三"},
                  {"remove_command", "/移出"}};
    CHECK_THAT(renderer.render("stage_done_recorded", stage),
               Catch::Contains("请 张三 回复 /移出 李四，由机器人将其移出服务群"));
    const json gone = {{"command", "/移出"},
                       {"who", "李四"},
                       {"group_name", "示例群"},
                       {"left_at", "2026-12-06 13:55"},
                       {"member_gone", true}};
    CHECK(renderer.render("convention_command_refused", gone) ==
          "李四 已于 2026-12-06 13:55 离开「示例群」，无需 /移出。");
    const json pending = {{"command", "/移出"},     {"who", "李四"},
                          {"group_name", "示例群"}, {"requested_at", "2026-12-06 13:55"},
                          {"retry_minutes", 10},    {"removal_pending", true}};
    CHECK(renderer.render("convention_command_refused", pending) ==
          "已于 2026-12-06 13:55 请机器人将 李四 移出「示例群」，正在等待平台确认，无需重复发送。"
          "如 10 分钟后 李四 仍在群里，可再发一次 /移出。");
    json refused = {{"who", "李四"},
                    {"group_name", "示例群"},
                    {"not_permitted", true},
                    {"removed_command", "/已移出"}};
    CHECK(renderer.render("member_removal_refused", refused) ==
          "⚠️ 机器人未能将 李四 "
          "移出「示例群」：机器人已不是该群的群主或管理员。\n"
          "请群主在群里直接移出；如群里无法判断其离开方式，再回复 /已移出 李四。");
    refused["not_permitted"] = false;
    CHECK_THAT(renderer.render("member_removal_refused", refused),
               Catch::Contains("：平台拒绝了这次操作。"));
    stage.erase("remove_command");
    CHECK_THAT(renderer.render("stage_done_recorded", stage),
               Catch::Contains("请群主 张三 将其移出服务群"));
}
