#include <catch2/catch.hpp>

#include "app/http/form_data.hpp"

using ledgerbot::app::http::encode_query_value;
using ledgerbot::app::http::parse_cookies;
using ledgerbot::app::http::parse_form;

TEST_CASE("Form bodies and query strings are decoded by uriparser", "[console][http]") {
    const auto form =
        parse_form("csrf=ab12&note=%E5%B7%B2%E6%95%B4%E6%94%B9+%E8%A7%81R3&empty=&bare");
    REQUIRE(form);
    CHECK(form->at("csrf") == "ab12");
    CHECK(form->at("note") == "已整改 见R3");
    CHECK(form->at("empty").empty());
    CHECK(form->at("bare").empty());
    CHECK(parse_form("")->empty());
    // A repeated name keeps its first value: a second csrf cannot override the first.
    CHECK(parse_form("csrf=good&csrf=evil")->at("csrf") == "good");
    // Bytes that are not UTF-8 are refused, not passed on to the engine.
    CHECK_FALSE(parse_form("note=%FF%FE"));
    CHECK_FALSE(parse_form("%C3=1"));
}

TEST_CASE("Query values are percent-encoded so a redirect target survives a round trip",
          "[console][http]") {
    const std::string next = "/console/scores?week=2026-W47&x=星 河";
    const std::string encoded = encode_query_value(next);
    CHECK(encoded.find_first_of("?&= ") == std::string::npos);
    CHECK(parse_form("next=" + encoded)->at("next") == next);
    CHECK(encode_query_value("http://127.0.0.1:8081/console/auth/callback") ==
          "http%3A%2F%2F127.0.0.1%3A8081%2Fconsole%2Fauth%2Fcallback");
}

TEST_CASE("Cookie headers are split into names and values", "[console][http]") {
    const auto cookies =
        parse_cookies("theme=dark;  __Host-lb_session=abc123 ; q=\"quoted\"; =x; junk");
    CHECK(cookies.at("theme") == "dark");
    CHECK(cookies.at("__Host-lb_session") == "abc123");
    CHECK(cookies.at("q") == "quoted");
    CHECK(cookies.size() == 3);
    CHECK(parse_cookies("").empty());
    CHECK(parse_cookies("a=1; a=2").at("a") == "1");
}
