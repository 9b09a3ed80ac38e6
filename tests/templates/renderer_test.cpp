#include "templates/renderer.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using ledgerbot::templates::Renderer;
using nlohmann::json;

std::vector<std::string> template_ids_in_source_tree() {
    std::vector<std::string> ids;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "templates")) {
        if (entry.path().extension() == ".mustache") {
            ids.push_back(entry.path().stem().string());
        }
    }
    return ids;
}

json understood(std::initializer_list<std::pair<const char*, const char*>> items) {
    json out = json::array();
    for (const auto& [label, value] : items) {
        out.push_back({{"label", label}, {"value", value}});
    }
    return out;
}

// The fields the engine sends for a complete report (see tests/bot/engine_test.cpp).
json complete_report_fields() {
    return {
        {"record_id", "V42"},
        {"reporter", "张三"},
        {"complete", true},
        {"has_understood", true},
        {"understood", understood({{"企业全称", "宁夏示例科技有限公司"},
                                   {"走访时间", "2026-07-01 10:00"},
                                   {"走访方式", "实地走访"},
                                   {"走访人员", "张三、李四"},
                                   {"联系电话", "138****5678"}})},
        {"missing_text", ""},
        {"has_missing", false},
        {"missing", json::array()},
        {"has_issues", false},
        {"issues", json::array()},
        {"example_field", ""},
        {"supplement_command", "/补充"},
        {"has_demands", true},
        {"demands", json::parse(R"([{"code":"D7","summary":"股权融资500万元"},
                                    {"code":"D8","summary":"上市辅导"}])")},
        {"company", "宁夏示例科技有限公司"},
        {"visit_date", "2026-07-01 10:00"},
        {"mode", "实地走访"},
        {"visitors", "张三、李四"},
        {"show_command", "/走访"},
        {"plan_command", "/方案"},
        {"first_demand", "D7"},
        {"has_points", true},
        {"points_text", "张三 3 分、李四 3 分"},
    };
}

json incomplete_report_fields() {
    return {
        {"record_id", "V5"},
        {"reporter", "zhangsan"},
        {"complete", false},
        {"has_understood", true},
        {"understood", understood({{"企业全称", "宁夏示例科技有限公司"}})},
        {"missing_text", "走访方式、联系电话"},
        {"has_missing", true},
        {"missing", json::parse(R"([{"label":"走访方式"},{"label":"联系电话"}])")},
        {"has_issues", true},
        {"issues", json::parse(R"([
            {"label":"联系电话","value":"138****5678转8001","phone_invalid":true},
            {"label":"走访时间","value":"上周","time_unrecognized":true}])")},
        {"example_field", "走访方式"},
        {"supplement_command", "/补充"},
        {"has_demands", false},
        {"demands", json::array()},
        {"company", "宁夏示例科技有限公司"},
        {"visit_date", ""},
        {"mode", ""},
        {"visitors", ""},
        {"show_command", "/走访"},
        {"has_points", false},
    };
}

}  // namespace

TEST_CASE("The renderer has every template of the source tree built in", "[renderer]") {
    const Renderer renderer;
    const auto ids = template_ids_in_source_tree();
    REQUIRE_FALSE(ids.empty());
    for (const auto& id : ids) {
        INFO(id);
        CHECK(renderer.has(id));
        CHECK_NOTHROW(renderer.render(id, json::object()));
    }
    CHECK(renderer.has("visit_recorded"));
    CHECK_FALSE(renderer.has("visit_recorded.mustache"));
}

TEST_CASE("A complete visit report is answered in at most 4 lines: record, points, next step",
          "[renderer]") {
    const Renderer renderer;
    const std::string answer = renderer.render("visit_recorded", complete_report_fields());
    CHECK(answer ==
          "✅ 已记录走访 V42：宁夏示例科技有限公司，2026-07-01 10:00 实地走访，张三、李四。\n"
          "积分：张三 3 分、李四 3 分\n"
          "已登记服务需求 D7「股权融资500万元」D8「上市辅导」，3个工作日内请明确方案：/方案 D7 "
          "负责人：… 方案：…");
    // Nothing of what was written is echoed: not even the contact's masked phone.
    CHECK(answer.find("138") == std::string::npos);

    json no_demands = complete_report_fields();
    no_demands["has_demands"] = false;
    CHECK(renderer.render("visit_recorded", no_demands) ==
          "✅ 已记录走访 V42：宁夏示例科技有限公司，2026-07-01 10:00 实地走访，张三、李四。\n"
          "积分：张三 3 分、李四 3 分\n"
          "全文：/走访 V42；有短信、微信或通话截图请直接发来，作为有效证据。");
}

TEST_CASE(
    "An incomplete visit report is answered with what is missing, what was unclear and "
    "how to supplement it",
    "[renderer]") {
    const Renderer renderer;
    CHECK(renderer.render("visit_recorded", incomplete_report_fields()) ==
          "📝 已记录走访 V5：宁夏示例科技有限公司，但还不完整。\n"
          "缺少：走访方式、联系电话。补充示例：/补充 V5 走访方式：…\n"
          "未能识别：\n"
          "· 联系电话「138****5678转8001」不是有效的手机号或座机号\n"
          "· 走访时间「上周」无法识别，请写成 2026-07-01 10:00、7月1日 下午3点 或 今天");
}

TEST_CASE("An answer with nothing understood says only what is missing and how to add it",
          "[renderer]") {
    const Renderer renderer;
    json fields = incomplete_report_fields();
    fields["company"] = "";
    fields["has_issues"] = false;
    fields["issues"] = json::array();
    CHECK(renderer.render("visit_recorded", fields) ==
          "📝 已记录走访 V5，但还不完整。\n"
          "缺少：走访方式、联系电话。补充示例：/补充 V5 走访方式：…");
}

TEST_CASE("Rendered text is not HTML-escaped", "[renderer]") {
    const Renderer renderer;
    json fields = complete_report_fields();
    fields["company"] = "A&B <张三> \"老王\" '小李' 《规范》";
    fields["has_demands"] = false;
    fields["has_points"] = false;
    CHECK(renderer.render("visit_recorded", fields)
              .find("V42：A&B <张三> \"老王\" '小李' 《规范》，") != std::string::npos);
}

TEST_CASE("Numbers in the fields render as plain digits", "[renderer]") {
    const Renderer renderer;
    json fields = complete_report_fields();
    fields["record_id"] = 42;
    fields["has_points"] = false;
    fields["has_demands"] = false;
    CHECK(renderer.render("visit_recorded", fields).find("✅ 已记录走访 42：") == 0);
}

TEST_CASE("Rendering an unknown template id throws", "[renderer]") {
    const Renderer renderer;
    CHECK_FALSE(renderer.has("no_such_notice"));
    CHECK_THROWS_AS(renderer.render("no_such_notice", json::object()), std::out_of_range);
    CHECK_THROWS_AS(renderer.render("", json::object()), std::out_of_range);
}
