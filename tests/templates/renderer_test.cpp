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

TEST_CASE("A complete visit report is answered with what was understood and the demands",
          "[renderer]") {
    const Renderer renderer;
    CHECK(renderer.render("visit_recorded", complete_report_fields()) ==
          "✅ 已记录走访 V42（张三），记录完整。\n"
          "已识别：\n"
          "· 企业全称：宁夏示例科技有限公司\n"
          "· 走访时间：2026-07-01 10:00\n"
          "· 走访方式：实地走访\n"
          "· 走访人员：张三、李四\n"
          "· 联系电话：138****5678\n"
          "已登记服务需求：D7「股权融资500万元」 D8「上市辅导」");
}

TEST_CASE(
    "An incomplete visit report is answered with what is missing, what was unclear and "
    "how to supplement it",
    "[renderer]") {
    const Renderer renderer;
    CHECK(renderer.render("visit_recorded", incomplete_report_fields()) ==
          "📝 已记录走访 V5（zhangsan），但还不完整。\n"
          "已识别：\n"
          "· 企业全称：宁夏示例科技有限公司\n"
          "缺少必填项：走访方式、联系电话\n"
          "未能识别：\n"
          "· 联系电话「138****5678转8001」不是有效的手机号或座机号\n"
          "· 走访时间「上周」无法识别，请写成 2026-07-01 10:00、7月1日 下午3点 或 今天\n"
          "补充示例：/补充 V5 走访方式：…");
}

TEST_CASE("An answer with nothing understood says only what is missing and how to add it",
          "[renderer]") {
    const Renderer renderer;
    json fields = incomplete_report_fields();
    fields["has_understood"] = false;
    fields["understood"] = json::array();
    fields["has_issues"] = false;
    fields["issues"] = json::array();
    CHECK(renderer.render("visit_recorded", fields) ==
          "📝 已记录走访 V5（zhangsan），但还不完整。\n"
          "缺少必填项：走访方式、联系电话\n"
          "补充示例：/补充 V5 走访方式：…");
}

TEST_CASE("Rendered text is not HTML-escaped", "[renderer]") {
    const Renderer renderer;
    json fields = complete_report_fields();
    fields["reporter"] = "A&B <张三> \"老王\" '小李' 《规范》";
    fields["understood"] = understood({{"走访内容", "讨论《培育企业全链条服务管理规范》& <附件>"}});
    fields["has_demands"] = false;

    CHECK(renderer.render("visit_recorded", fields) ==
          "✅ 已记录走访 V42（A&B <张三> \"老王\" '小李' 《规范》），记录完整。\n"
          "已识别：\n"
          "· 走访内容：讨论《培育企业全链条服务管理规范》& <附件>");
}

TEST_CASE("Numbers in the fields render as plain digits", "[renderer]") {
    const Renderer renderer;
    json fields = complete_report_fields();
    fields["record_id"] = 42;
    fields["has_understood"] = false;
    fields["understood"] = json::array();
    fields["has_demands"] = false;
    CHECK(renderer.render("visit_recorded", fields) == "✅ 已记录走访 42（张三），记录完整。");
}

TEST_CASE("Rendering an unknown template id throws", "[renderer]") {
    const Renderer renderer;
    CHECK_FALSE(renderer.has("no_such_notice"));
    CHECK_THROWS_AS(renderer.render("no_such_notice", json::object()), std::out_of_range);
    CHECK_THROWS_AS(renderer.render("", json::object()), std::out_of_range);
}
