#include "templates/renderer.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using ledgerbot::templates::Renderer;
using nlohmann::json;

// The fields the engine sends for `/补充 V12 联系电话：13912345678` in a group (see
// tests/bot/visit_supplement_test.cpp).
json completed_fields() {
    return {
        {"record_id", "V12"},
        {"by", "王五"},
        {"has_updated", true},
        {"updated", json::parse(R"([{"label":"联系电话","value":"139****5678"}])")},
        {"complete", true},
        {"has_missing", false},
        {"missing_text", ""},
        {"has_issues", false},
        {"issues", json::array()},
        {"has_demands", false},
        {"demands", json::array()},
        {"supplement_command", "/补充"},
        {"example_field", ""},
    };
}

json refused_fields(const std::string& reason) {
    json fields{{"command", "/补充"},
                {"has_record_id", true},
                {"record_id", "V12"},
                {"example_field", "联系电话"},
                {"reporter_name", "王五"},
                {"has_visitors", true},
                {"visitors_text", "赵六"},
                {"has_account_manager", true},
                {"account_manager_name", "张三"},
                {"has_department_heads", true},
                {"department_heads_text", "孙七"}};
    fields[reason] = true;
    return fields;
}

}  // namespace

TEST_CASE("A supplement that completes a record lists what was updated and says it is complete",
          "[renderer][visits]") {
    const Renderer renderer;
    CHECK(renderer.render("visit_supplemented", completed_fields()) ==
          "✅ 已补充走访 V12（王五）。\n"
          "已更新：\n"
          "· 联系电话：139****5678\n"
          "记录已完整。");
}

TEST_CASE("A supplement that leaves fields missing says what is still missing and how to add it",
          "[renderer][visits]") {
    const Renderer renderer;
    json fields = completed_fields();
    fields["updated"] = json::parse(R"([{"label":"企业联系人","value":"李总"}])");
    fields["complete"] = false;
    fields["has_missing"] = true;
    fields["missing_text"] = "联系电话";
    fields["example_field"] = "联系电话";
    fields["has_issues"] = true;
    fields["issues"] =
        json::parse(R"([{"label":"联系电话","value":"1391234","phone_invalid":true}])");
    fields["has_demands"] = true;
    fields["demands"] = json::parse(R"([{"code":"D5","summary":"股权融资"}])");
    CHECK(renderer.render("visit_supplemented", fields) ==
          "✅ 已补充走访 V12（王五）。\n"
          "已更新：\n"
          "· 企业联系人：李总\n"
          "未能识别：\n"
          "· 联系电话「1391234」不是有效的手机号或座机号\n"
          "仍缺少必填项：联系电话\n"
          "补充示例：/补充 V12 联系电话：…\n"
          "已登记服务需求：D5「股权融资」");
}

TEST_CASE("A supplement with nothing readable says nothing was updated and why",
          "[renderer][visits]") {
    const Renderer renderer;
    json fields = completed_fields();
    fields["has_updated"] = false;
    fields["updated"] = json::array();
    fields["complete"] = false;
    fields["has_missing"] = true;
    fields["missing_text"] = "联系电话";
    fields["example_field"] = "联系电话";
    fields["has_issues"] = true;
    fields["issues"] =
        json::parse(R"([{"label":"联系电话","value":"1391234","phone_invalid":true}])");
    CHECK(renderer.render("visit_supplemented", fields) ==
          "⚠️ 走访 V12 未作更新。\n"
          "未能识别：\n"
          "· 联系电话「1391234」不是有效的手机号或座机号\n"
          "仍缺少必填项：联系电话\n"
          "补充示例：/补充 V12 联系电话：…");
}

TEST_CASE("A refused supplement says why: usage, unknown record, or who may",
          "[renderer][visits]") {
    const Renderer renderer;
    CHECK(renderer.render("visit_supplement_refused", refused_fields("usage")) ==
          "请写明记录编号和要补充的内容，例如：/补充 V12 联系电话：…\n"
          "每项写成\"字段名：内容\"，可一次补充多项，用空格或换行分开。");
    json no_id = refused_fields("usage");
    no_id["has_record_id"] = false;
    no_id["record_id"] = "";
    CHECK(renderer.render("visit_supplement_refused", no_id).find("/补充 V12 联系电话：…") !=
          std::string::npos);
    CHECK(renderer.render("visit_supplement_refused", refused_fields("unknown_record")) ==
          "没有找到走访记录 V12，请核对记录编号（记录走访时的回复中写明，如 V12）。");
    CHECK(renderer.render("visit_supplement_refused", refused_fields("not_allowed")) ==
          "抱歉，只有记录人（王五）、共同走访人员（赵六）、企业客户经理（张三）、部门负责人（孙七）"
          "可以补充走访 V12。");
    json evidence = refused_fields("not_allowed");
    evidence["evidence"] = true;
    evidence["has_visitors"] = false;
    evidence["has_department_heads"] = false;
    CHECK(renderer.render("visit_supplement_refused", evidence) ==
          "抱歉，只有记录人（王五）、企业客户经理（张三）可以为走访 V12 上传证据。");
    json withdrawn = refused_fields("withdrawn");
    withdrawn["withdrawn_at"] = "2026-07-01 12:02";
    CHECK(renderer.render("visit_supplement_refused", withdrawn) ==
          "走访 V12 已于 2026-07-01 12:02 由记录人撤回，不能再补充；如确有此次走访，请重新发送走访"
          "记录。");
    withdrawn["evidence"] = true;
    CHECK(
        renderer.render("visit_supplement_refused", withdrawn) ==
        "走访 V12 已于 2026-07-01 12:02 由记录人撤回，这张图片没有登记为它的证据；如确有此次走访，"
        "请重新发送走访记录，再发图片。");
}

TEST_CASE("Attached evidence names the record and how many items it has", "[renderer][visits]") {
    const Renderer renderer;
    CHECK(renderer.render("evidence_attached",
                          {{"record_id", "V12"}, {"count", 2}, {"by", "王五"}}) ==
          "📎 已将王五发送的图片作为走访 V12 的有效证据（共 2 份）。");
}
