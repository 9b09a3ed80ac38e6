#include "bot/reports/visit_reference.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using ledgerbot::bot::reports::find_visit_reference;
using ledgerbot::bot::reports::leading_visit_reference;

TEST_CASE("A leading record id is read with what follows it", "[visits][reference]") {
    const auto [text, number, rest] = GENERATE(table<std::string, std::int64_t, std::string>({
        {"V12 联系电话：139", 12, "联系电话：139"},
        {"v12 联系电话：139", 12, "联系电话：139"},
        {"V-12 联系电话：139", 12, "联系电话：139"},
        {"Ｖ１２　联系电话：139", 12, "联系电话：139"},
        {"  V7\n联系电话：139\n企业联系人：王总", 7, "联系电话：139\n企业联系人：王总"},
        {"V12：联系电话：139", 12, "联系电话：139"},
        {"V12", 12, ""},
        {"V12联系电话：139", 12, "联系电话：139"},
    }));
    INFO(text);
    const auto reference = leading_visit_reference(text);
    REQUIRE(reference.has_value());
    CHECK(reference->number == number);
    CHECK(reference->rest == rest);
}

TEST_CASE("Text that does not start with a record id has none leading", "[visits][reference]") {
    const std::string text = GENERATE(as<std::string>{}, "", "联系电话：139", "V 12", "V", "V0",
                                      "V12a 联系电话", "W12", "V1234567890123");
    INFO(text);
    CHECK_FALSE(leading_visit_reference(text).has_value());
}

TEST_CASE("A record id is found anywhere in text as a word of its own", "[visits][reference]") {
    const auto [text, expected] = GENERATE(table<std::string, std::optional<std::int64_t>>({
        {"V12", 12},
        {"见V12通话记录", 12},
        {"（v-3）短信截图", 3},
        {"Ｖ１２", 12},
        {"V8发动机 和 V9", 8},
        {"新款AV12样机", std::nullopt},
        {"V12a", std::nullopt},
        {"截图", std::nullopt},
        {"", std::nullopt},
    }));
    INFO(text);
    CHECK(find_visit_reference(text) == expected);
}
