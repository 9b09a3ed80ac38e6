#include "bot/time/civil_time.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace {

using namespace std::chrono;
using ledgerbot::bot::time::format_date;
using ledgerbot::bot::time::format_local_minutes;
using ledgerbot::bot::time::format_rfc3339;
using ledgerbot::bot::time::from_local;
using ledgerbot::bot::time::kShanghaiOffsetSeconds;
using ledgerbot::bot::time::local_date;
using ledgerbot::bot::time::parse_rfc3339;
using ledgerbot::bot::time::to_local;

// 2026-11-23T10:15:00Z, worked out independently (Python's datetime).
constexpr std::int64_t kMonday1015Utc = 1795428900;

std::string local_text(std::int64_t unix_seconds, int offset_seconds) {
    const auto t = to_local(unix_seconds, offset_seconds);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s %02d:%02d:%02d", format_date(t.date).c_str(), t.hour,
                  t.minute, t.second);
    return buffer;
}

}  // namespace

TEST_CASE("RFC 3339 times with Z or a numeric offset name the same instant", "[time]") {
    const auto [text, expected] = GENERATE(table<std::string, std::int64_t>({
        {"2026-11-23T10:15:00Z", kMonday1015Utc},
        {"2026-11-23t10:15:00z", kMonday1015Utc},
        {"2026-11-23 10:15:00Z", kMonday1015Utc},
        {"2026-11-23T18:15:00+08:00", kMonday1015Utc},
        {"2026-11-23T05:15:00-05:00", kMonday1015Utc},
        {"2026-11-23T15:45:00+05:30", kMonday1015Utc},
        {"2026-11-24T02:15:00+16:00", kMonday1015Utc},
        {"2026-11-23T10:15:00+00:00", kMonday1015Utc},
        {"2026-11-23T10:15:00-00:00", kMonday1015Utc},
        {"2026-11-23T10:15:00.5Z", kMonday1015Utc},
        {"2026-11-23T18:15:00.123456789+08:00", kMonday1015Utc},
        {"2024-02-29T00:00:00Z", 1709164800},
        {"2016-12-31T23:59:60Z", 1483228800},
        {"1969-12-31T23:59:59Z", -1},
        {"1970-01-01T07:59:59+08:00", -1},
        {"1900-01-01T00:00:00+08:00", -2209017600},
    }));
    INFO(text);
    CHECK(parse_rfc3339(text) == expected);
}

TEST_CASE("Malformed or impossible RFC 3339 times are rejected", "[time]") {
    const auto [text, why] = GENERATE(table<std::string, std::string>({
        {"", "empty"},
        {"2026-11-23", "date only"},
        {"2026-11-23T10:15:00", "no offset"},
        {"2026-11-23T10:15Z", "no seconds"},
        {"2026-11-23X10:15:00Z", "bad separator"},
        {"2026/11/23T10:15:00Z", "slashes"},
        {"26-11-23T10:15:00Z", "two-digit year"},
        {"2026-1-23T10:15:00Z", "one-digit month"},
        {"2026-13-01T00:00:00Z", "month 13"},
        {"2026-00-10T00:00:00Z", "month 0"},
        {"2026-11-00T00:00:00Z", "day 0"},
        {"2026-02-30T00:00:00Z", "Feb 30"},
        {"2026-02-29T00:00:00Z", "Feb 29 in a common year"},
        {"2026-04-31T00:00:00Z", "April 31"},
        {"2026-11-23T24:00:00Z", "hour 24"},
        {"2026-11-23T10:60:00Z", "minute 60"},
        {"2026-11-23T10:15:61Z", "second 61"},
        {"2026-11-23T10:15:00.Z", "fraction without digits"},
        {"2026-11-23T10:15:00+0800", "offset without colon"},
        {"2026-11-23T10:15:00+08", "offset without minutes"},
        {"2026-11-23T10:15:00+8:00", "one-digit offset hour"},
        {"2026-11-23T10:15:00+24:00", "offset hour 24"},
        {"2026-11-23T10:15:00+08:60", "offset minute 60"},
        {"2026-11-23T10:15:00Zjunk", "trailing text after Z"},
        {"2026-11-23T10:15:00+08:00 ", "trailing space"},
        {" 2026-11-23T10:15:00Z", "leading space"},
        {"２０２６-11-23T10:15:00Z", "full-width digits"},
    }));
    INFO(why << ": " << text);
    CHECK_FALSE(parse_rfc3339(text).has_value());
}

TEST_CASE("Formatting and parsing RFC 3339 round-trip at any offset", "[time]") {
    const auto [instant, offset, expected] = GENERATE(table<std::int64_t, int, std::string>({
        {kMonday1015Utc, kShanghaiOffsetSeconds, "2026-11-23T18:15:00+08:00"},
        {kMonday1015Utc, 0, "2026-11-23T10:15:00Z"},
        {kMonday1015Utc, -5 * 3600, "2026-11-23T05:15:00-05:00"},
        {kMonday1015Utc, 5 * 3600 + 1800, "2026-11-23T15:45:00+05:30"},
        {kMonday1015Utc + 13 * 3600 + 45 * 60, kShanghaiOffsetSeconds, "2026-11-24T08:00:00+08:00"},
        {0, 0, "1970-01-01T00:00:00Z"},
        {-1, kShanghaiOffsetSeconds, "1970-01-01T07:59:59+08:00"},
        {-28801, kShanghaiOffsetSeconds, "1969-12-31T23:59:59+08:00"},
        {-2209017600, kShanghaiOffsetSeconds, "1900-01-01T00:00:00+08:00"},
    }));
    const std::string text = format_rfc3339(instant, offset);
    CHECK(text == expected);
    CHECK(parse_rfc3339(text) == instant);
}

TEST_CASE("The default offset is Asia/Shanghai's fixed UTC+08:00", "[time]") {
    CHECK(kShanghaiOffsetSeconds == 8 * 3600);
    CHECK(format_rfc3339(kMonday1015Utc) == "2026-11-23T18:15:00+08:00");
    CHECK(format_local_minutes(kMonday1015Utc) == "2026-11-23 18:15");
    CHECK(local_date(kMonday1015Utc) == year{2026} / November / 23);
    CHECK(from_local(year{2026} / November / 23, 18, 15, 0) == kMonday1015Utc);
}

TEST_CASE("Local civil time changes date at local midnight, not at UTC midnight", "[time]") {
    // 16:00Z is midnight in Shanghai: the local date moves a day ahead of the UTC date.
    const std::int64_t local_midnight = from_local(year{2026} / November / 24, 0, 0, 0);
    CHECK(local_midnight == kMonday1015Utc + 5 * 3600 + 45 * 60);
    const auto [instant, offset, expected] = GENERATE_COPY(table<std::int64_t, int, std::string>({
        {local_midnight - 1, kShanghaiOffsetSeconds, "2026-11-23 23:59:59"},
        {local_midnight, kShanghaiOffsetSeconds, "2026-11-24 00:00:00"},
        {local_midnight, 0, "2026-11-23 16:00:00"},
        {local_midnight, -5 * 3600, "2026-11-23 11:00:00"},
        // New Year's Eve 2025 in New York is already 2026 in Shanghai.
        {1767240000, -5 * 3600, "2025-12-31 23:00:00"},
        {1767240000, kShanghaiOffsetSeconds, "2026-01-01 12:00:00"},
    }));
    CHECK(local_text(instant, offset) == expected);
}

TEST_CASE("Times before 1970 convert to and from local time without rounding toward zero",
          "[time]") {
    const auto [instant, offset, expected] = GENERATE(table<std::int64_t, int, std::string>({
        {-1, 0, "1969-12-31 23:59:59"},
        {-1, kShanghaiOffsetSeconds, "1970-01-01 07:59:59"},
        {-28800, kShanghaiOffsetSeconds, "1970-01-01 00:00:00"},
        {-28801, kShanghaiOffsetSeconds, "1969-12-31 23:59:59"},
        {-86400, 0, "1969-12-31 00:00:00"},
        {-86401, 0, "1969-12-30 23:59:59"},
        {-2209017600, kShanghaiOffsetSeconds, "1900-01-01 00:00:00"},
    }));
    CHECK(local_text(instant, offset) == expected);
    const auto local = to_local(instant, offset);
    CHECK(from_local(local.date, local.hour, local.minute, local.second, offset) == instant);
}

TEST_CASE("Local time and unix seconds are inverse over a span of days around 1970 and now",
          "[time]") {
    const std::int64_t start = GENERATE(std::int64_t{-3 * 86400}, std::int64_t{kMonday1015Utc});
    for (std::int64_t t = start; t < start + 3 * 86400; t += 3599) {
        const auto local = to_local(t);
        REQUIRE(local.date.ok());
        REQUIRE(from_local(local.date, local.hour, local.minute, local.second) == t);
    }
}
