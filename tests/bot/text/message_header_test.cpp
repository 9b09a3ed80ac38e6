#include "bot/text/message_header.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

TEST_CASE("An id at the start of a command's argument is split from what follows, as typed",
          "[text]") {
    using ledgerbot::bot::text::split_leading_id;
    const auto [typed, number, rest] = GENERATE(table<std::string, std::int64_t, std::string>({
        {"R5 已整改", 5, "已整改"},
        {"R5已整改", 5, "已整改"},
        {"r-5：已整改，谢谢", 5, "已整改，谢谢"},
        {"Ｒ５　已整改", 5, "已整改"},
        {"R12", 12, ""},
        {"  R7,已邀请合规入群 ", 7, "已邀请合规入群"},
    }));
    CAPTURE(typed);
    const auto split = split_leading_id(typed, 'R');
    REQUIRE(split.has_value());
    CHECK(split->number == number);
    CHECK(split->rest == rest);
    for (const std::string bad : {"", "R", "已整改 R5", "V5 已整改", "R一"}) {
        CHECK_FALSE(split_leading_id(bad, 'R').has_value());
    }
}
