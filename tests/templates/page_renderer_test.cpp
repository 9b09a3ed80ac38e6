#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "templates/page_renderer.hpp"
#include "templates/renderer.hpp"

using Catch::Matchers::Contains;
using ledgerbot::templates::PageRenderer;

TEST_CASE("Console pages HTML-escape every value, chat texts stay as typed",
          "[templates][console]") {
    const PageRenderer pages;
    const ledgerbot::templates::Renderer chat;  // sets mstch's own escaping off process-wide
    const nlohmann::json risk{{"risk_id", "R1"},
                              {"company", "<script>alert(1)</script>"},
                              {"rule_text", "风险提示"},
                              {"summary_text", "\"质押\" & '诉讼' <b>"},
                              {"raised_at", "2026-11-18 10:00"},
                              {"age_days", 5},
                              {"may_acknowledge", true},
                              {"csrf", "x\" onmouseover=\"alert(1)"},
                              {"nonce", "n"}};
    const std::string html = pages.render(
        "risks", {{"open", {risk}}, {"has_open", true}, {"open_count", 1}, {"nav_risks", true}});
    CHECK_THAT(html, !Contains("<script>alert"));
    CHECK_THAT(html, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_THAT(html, Contains("&quot;质押&quot; &amp; &#39;诉讼&#39; &lt;b&gt;"));
    CHECK_THAT(html, Contains("value=\"x&quot; onmouseover=&quot;alert(1)\""));
    // The chat renderer, in the same process, still leaves text as it is.
    CHECK_THAT(chat.render("risk_rule", {{"kind_notice", true}}), Contains("风险提示"));
    CHECK(chat.render("demand_status",
                      {{"contracted", true}, {"completion_percent", 60}, {"revenue_yuan", 12}}) ==
          "服务中（完成 60%，收入 12 元）");
}

TEST_CASE("Every console page renders from empty fields, and the stylesheet is embedded",
          "[templates][console]") {
    const PageRenderer pages;
    for (const char* page : {"risks", "scores", "ledger", "visits", "visit", "coverage", "groups",
                             "audit", "operations", "message", "sign_in", "link_sign_in"}) {
        INFO(page);
        const std::string html = pages.render(page, nlohmann::json::object());
        CHECK_THAT(html, Contains("<!DOCTYPE html>") && Contains("</html>"));
        CHECK_THAT(html, !Contains("{{"));
    }
    CHECK(pages.asset("console.css").has_value());
    CHECK_FALSE(pages.asset("missing.css").has_value());
    CHECK_THROWS_AS(pages.render("no-such-page", {}), std::out_of_range);
}
