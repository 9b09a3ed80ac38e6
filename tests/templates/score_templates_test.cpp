#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/scoring/score_fields.hpp"
#include "bot/time/civil_time.hpp"
#include "templates/renderer.hpp"

namespace {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::scoring;
using ledgerbot::templates::Renderer;

ScoreRow row(std::int64_t visit, std::string company, std::string department, std::string name,
             double truthfulness, double quality) {
    ScoreRow r;
    r.visit_number = visit;
    r.visit_time = from_local(std::chrono::year{2026} / 11 / 17, 10, 0, 0);
    r.company = std::move(company);
    r.department = std::move(department);
    r.staff_name = std::move(name);
    r.line = "业务一线";
    r.score.truthfulness = truthfulness;
    r.score.quality = quality;
    return r;
}

nlohmann::json week_fields() {
    return {{"week", "2026-W47"},
            {"from", "2026-11-16"},
            {"to", "2026-11-22"},
            {"line", "业务一线"},
            {"director", "郑十"}};
}

}  // namespace

TEST_CASE("Golden: the Monday table in the appendix's layout", "[renderer][scoring]") {
    // The appendix's two example rows under the article's default: 4+3 and 7+10.
    const std::vector<ScoreRow> rows = {
        row(1, "示例企业一", "市场发展部", "张三", 4, 3),
        row(2, "示例企业二", "企业服务部", "李四", 7, 10),
    };
    nlohmann::json base = week_fields();
    base["unreviewed"] = true;
    const auto parts = score_table_parts(rows, base, 2048);
    REQUIRE(parts.size() == 1);
    const std::string expected =
        "**企业走访积分表 2026-W47（2026-11-16 至 2026-11-22）· 业务一线**\n"
        "> 未复核：条线业务总监尚未复核本表\n"
        "| 序号 | 被走访企业（机构） | 责任部门 | 客户经理 | 真实性考核得分 | 质效考核得分 | "
        "积分小计 |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 1 | 示例企业一 | 市场发展部 | 张三 | 4 | 3 | 7 |\n"
        "| 2 | 示例企业二 | 企业服务部 | 李四 | 7 | 10 | 17 |\n"
        "| 合计 | | | | 11 | 13 | 24 |";
    CHECK(Renderer().render("score_table", parts[0]) == expected);
}

TEST_CASE("Golden: the director's draft says how to review", "[renderer][scoring]") {
    nlohmann::json base = week_fields();
    base["draft"] = true;
    const auto parts = score_table_parts({}, base, 2048);
    REQUIRE(parts.size() == 1);
    const std::string expected =
        "**【待复核】企业走访积分表 2026-W47（2026-11-16 至 2026-11-22）· 业务一线**\n"
        "| 序号 | 被走访企业（机构） | 责任部门 | 客户经理 | 真实性考核得分 | 质效考核得分 | "
        "积分小计 |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 合计 | | | | 0 | 0 | 0 |\n"
        "本周无走访记录。\n"
        "郑十，请复核：/复核 通过，或 /复核 作废 V12 "
        "原因。未复核的表将于周一下午标注\"未复核\"公示。";
    CHECK(Renderer().render("score_table", parts[0]) == expected);
}

TEST_CASE("Golden: a draft with its version and an adjustment of a published week",
          "[renderer][scoring]") {
    nlohmann::json base = week_fields();
    base["draft"] = true;
    ScoreRow adjustment = row(1, "示例企业二", "企业服务部", "李四", 3, 0);
    adjustment.adjusts_week = "2026-W46";
    const auto parts =
        week_table_parts(week_table_fields({row(1, "示例企业一", "市场发展部", "张三", 4, 3)},
                                           {adjustment}, "3fa2c901"),
                         base, 2048);
    REQUIRE(parts.size() == 1);
    const std::string expected =
        "**【待复核】企业走访积分表 2026-W47（2026-11-16 至 2026-11-22）· 业务一线**\n"
        "| 序号 | 被走访企业（机构） | 责任部门 | 客户经理 | 真实性考核得分 | 质效考核得分 | "
        "积分小计 |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 1 | 示例企业一 | 市场发展部 | 张三 | 4 | 3 | 7 |\n"
        "| 合计 | | | | 4 | 3 | 7 |\n"
        "\n"
        "**调整**（已公示周次此后发生的变动，计入本期）\n"
        "| 序号 | 调整周次 | 被走访企业（机构） | 责任部门 | 客户经理 | 真实性考核得分 | "
        "质效考核得分 | 积分小计 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| 1 | 2026-W46 | 示例企业二 | 企业服务部 | 李四 | 3 | 0 | 3 |\n"
        "| 调整合计 | | | | | 3 | 0 | 3 |\n"
        "版本 3fa2c901\n"
        "郑十，请复核：/复核 通过（复核的是版本 3fa2c901），或 /复核 作废 V12 "
        "原因。未复核的表将于周一下午标注\"未复核\"公示。";
    CHECK(Renderer().render("score_table", parts[0]) == expected);
}

TEST_CASE("Every part of a long table renders within the byte limit", "[renderer][scoring]") {
    std::vector<ScoreRow> rows;
    for (int i = 0; i < 300; ++i) {
        // Long names: the longest company names on the list run to about 20 characters.
        rows.push_back(row(i + 1, "宁夏回族自治区银川市示例高新技术产业发展股份有限公司",
                           "投资银行业务发展部", "欧阳 娜娜", 4.5, 13.33));
    }
    nlohmann::json base = week_fields();
    base["unreviewed"] = true;
    for (const std::size_t limit : {std::size_t{2048}, std::size_t{4096}}) {
        const auto parts = score_table_parts(rows, base, limit);
        REQUIRE(parts.size() > 1);
        std::size_t shown = 0;
        for (const auto& part : parts) {
            const std::string text = Renderer().render("score_table", part);
            INFO(text);
            CHECK(text.size() <= limit);
            CHECK(text.find("| 序号 |") != std::string::npos);  // the header in every part
            shown += part["rows"].size();
        }
        CHECK(shown == rows.size());
        CHECK(Renderer().render("score_table", parts.back()).find("| 合计 |") != std::string::npos);
    }
}

TEST_CASE("A breakdown reads as items with signed points", "[renderer][scoring]") {
    ScoreRow r = row(12, "宁夏示例科技有限公司", "市场发展部", "张三", 4, 1.5);
    r.score.lines = {
        {"complete", 2}, {"accurate", 2}, {"evidence", 1}, {"finding", -1}, {"landed", 1.5, 0.5}};
    nlohmann::json fields{{"visit_id", "V12"},
                          {"company", "宁夏示例科技有限公司"},
                          {"at", "2026-11-23 15:00"},
                          {"no_rows", false},
                          {"rows", nlohmann::json::array({score_row_fields(r, 1)})}};
    const std::string expected =
        "📊 V12（宁夏示例科技有限公司）积分，截至 2026-11-23 15:00：\n"
        "【张三·市场发展部】真实性 4 ＋ 质效 1.5 ＝ 5.5\n"
        "  · 完整记录 +2\n"
        "  · 准确记录 +2\n"
        "  · 有效证据 +1\n"
        "  · 核查扣分 -1\n"
        "  · 项目落地 +1.5（同部门协同走访，计50%）";
    CHECK(Renderer().render("score_visit_answer", fields) == expected);
}

TEST_CASE("A supplement that answers a director's omission finding says the visit still counts",
          "[renderer][scoring]") {
    nlohmann::json fields{{"record_id", "V12"},  {"by", "张三"},
                          {"has_updated", true}, {"updated", nlohmann::json::array()},
                          {"complete", true},    {"omission_answered", true}};
    CHECK_THAT(Renderer().render("visit_supplemented", fields),
               Catch::Contains("已在核查期限内补充遗漏内容，本次走访继续计分（核查扣分不变）。"));
    fields["has_closed_risks"] = true;
    fields["closed_risks"] = "R3";
    CHECK_THAT(Renderer().render("visit_supplemented", fields),
               Catch::Contains("本次走访继续计分（核查扣分不变）；风险 R3 随之关闭。"));
    fields["omission_answered"] = false;
    CHECK_THAT(Renderer().render("visit_supplemented", fields), !Catch::Contains("核查"));
}
