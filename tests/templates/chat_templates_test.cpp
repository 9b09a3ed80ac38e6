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
