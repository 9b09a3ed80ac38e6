#include "bot/time/working_day_calendar.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <tuple>

#include "bot/time/civil_time.hpp"

namespace {

using namespace std::chrono;
using ledgerbot::bot::time::CalendarData;
using ledgerbot::bot::time::format_date;
using ledgerbot::bot::time::WorkingDayCalendar;

year_month_day date(const std::string& text) {
    const year_month_day parsed{year{std::stoi(text.substr(0, 4))},
                                month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
    REQUIRE(parsed.ok());
    return parsed;
}

void add_range(CalendarData& data, const std::string& name, const std::string& first,
               const std::string& last) {
    for (sys_days d{date(first)}; d <= sys_days{date(last)}; d += days{1}) {
        data.holidays.push_back({year_month_day{d}, name});
    }
}

// The 2025 and 2026 arrangements written out by hand, independent of the shipped TOML files
// (tests/config checks those load to the same days).
WorkingDayCalendar official_2025_2026() {
    CalendarData data;
    add_range(data, "元旦", "2025-01-01", "2025-01-01");
    add_range(data, "春节", "2025-01-28", "2025-02-04");
    add_range(data, "清明节", "2025-04-04", "2025-04-06");
    add_range(data, "劳动节", "2025-05-01", "2025-05-05");
    add_range(data, "端午节", "2025-05-31", "2025-06-02");
    add_range(data, "国庆节、中秋节", "2025-10-01", "2025-10-08");
    add_range(data, "元旦", "2026-01-01", "2026-01-03");
    add_range(data, "春节", "2026-02-15", "2026-02-23");
    add_range(data, "清明节", "2026-04-04", "2026-04-06");
    add_range(data, "劳动节", "2026-05-01", "2026-05-05");
    add_range(data, "端午节", "2026-06-19", "2026-06-21");
    add_range(data, "中秋节", "2026-09-25", "2026-09-27");
    add_range(data, "国庆节", "2026-10-01", "2026-10-07");
    for (const char* makeup :
         {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04",
          "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}) {
        data.makeup_workdays.push_back(date(makeup));
    }
    data.covered_years = {year{2025}, year{2026}};
    return WorkingDayCalendar(std::move(data));
}

}  // namespace

TEST_CASE("A demand collected before a holiday is due on the third working day after it",
          "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    const auto [collected, due, why] = GENERATE(table<std::string, std::string, std::string>({
        {"2026-02-13", "2026-02-25", "Friday before 春节: make-up Sat 2/14, then 2/24, 2/25"},
        {"2026-02-14", "2026-02-26", "the make-up Saturday itself: 2/24, 2/25, 2/26"},
        {"2026-02-15", "2026-02-26", "first day of 春节: 2/24, 2/25, 2/26"},
        {"2026-02-23", "2026-02-26", "last day of 春节: 2/24, 2/25, 2/26"},
        {"2026-02-25", "2026-02-28", "the make-up Saturday 2/28 counts: 2/26, 2/27, 2/28"},
        {"2025-09-26", "2025-09-30", "make-up Sunday 9/28 counts: 9/28, 9/29, 9/30"},
        {"2025-09-30", "2025-10-11", "国庆 10/1-10/8 off: 10/9, 10/10, make-up Sat 10/11"},
        {"2025-10-08", "2025-10-11", "last day of 国庆: 10/9, 10/10, 10/11"},
        {"2025-12-31", "2026-01-06", "元旦 1/1-1/3 off: make-up Sun 1/4, 1/5, 1/6"},
        {"2025-01-24", "2025-02-05", "before 春节 2025: make-up Sun 1/26, 1/27, 2/5"},
        {"2026-04-30", "2026-05-08", "劳动节 1-5 off; 5/9 make-up comes after: 5/6, 5/7, 5/8"},
        {"2026-05-06", "2026-05-09", "after 劳动节: 5/7, 5/8, make-up Sat 5/9"},
        {"2026-03-06", "2026-03-11", "ordinary Friday: weekend skipped, 3/9, 3/10, 3/11"},
        {"2026-03-07", "2026-03-11", "collected on a Saturday: 3/9, 3/10, 3/11"},
    }));
    INFO(why);
    CHECK(format_date(calendar.add_working_days(date(collected), 3)) == due);
    CHECK(calendar.working_days_between(date(collected), date(due)) == 3);
}

TEST_CASE("Make-up Saturdays and Sundays are working days and holidays on weekdays are not",
          "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    const auto [day, working] = GENERATE(table<std::string, bool>({
        {"2025-01-26", true},   // Sunday, 春节 make-up
        {"2025-02-08", true},   // Saturday, 春节 make-up
        {"2025-04-27", true},   // Sunday, 劳动节 make-up
        {"2025-09-28", true},   // Sunday, 国庆 make-up
        {"2025-10-11", true},   // Saturday, 国庆 make-up
        {"2026-01-04", true},   // Sunday, 元旦 make-up
        {"2026-02-14", true},   // Saturday, 春节 make-up
        {"2026-02-28", true},   // Saturday, 春节 make-up
        {"2026-09-20", true},   // Sunday, 国庆 make-up
        {"2026-10-10", true},   // Saturday, 国庆 make-up
        {"2026-10-11", false},  // the Sunday after it is an ordinary weekend day
        {"2026-02-21", false},  // Saturday inside 春节
        {"2026-02-16", false},  // Monday inside 春节
        {"2025-10-08", false},  // Wednesday, last day of 国庆
        {"2026-06-19", false},  // Friday, 端午
        {"2026-04-03", true},   // Friday before 清明
        {"2026-03-14", false},  // ordinary Saturday
    }));
    INFO(day);
    CHECK(calendar.is_working_day(date(day)) == working);
}

TEST_CASE("A day off is named after its holiday", "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    CHECK(calendar.holiday_name(date("2026-02-18")) == std::optional<std::string>("春节"));
    CHECK(calendar.holiday_name(date("2025-10-05")) ==
          std::optional<std::string>("国庆节、中秋节"));
    CHECK_FALSE(calendar.holiday_name(date("2026-02-14")).has_value());
    CHECK_FALSE(calendar.holiday_name(date("2026-03-14")).has_value());
}

TEST_CASE("Zero working days is the collection day itself and a negative count is refused",
          "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    CHECK(format_date(calendar.add_working_days(date("2026-02-15"), 0)) == "2026-02-15");
    CHECK_THROWS_AS(calendar.add_working_days(date("2026-02-15"), -1), std::invalid_argument);
}

TEST_CASE("Working days between two dates count the end but not the start", "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    const auto [from, to, expected] = GENERATE(table<std::string, std::string, int>({
        {"2026-02-13", "2026-02-13", 0},
        {"2026-02-13", "2026-02-14", 1},  // make-up Saturday
        {"2026-02-13", "2026-02-23", 1},  // the whole of 春节 adds nothing
        {"2026-02-13", "2026-02-25", 3},
        {"2026-02-25", "2026-02-13", -3},  // reversed: how far past a deadline
        {"2026-03-01", "2026-03-31", 22},  // March 2026: no holiday, 22 weekdays
        // A whole year: 261 weekdays - 19 weekday holidays + 6 make-up days in 2026, 261 - 18 + 5
        // in 2025; both are 365 - 104 weekend days - 13 statutory holidays = 248.
        {"2025-12-31", "2026-12-31", 248},
        {"2024-12-31", "2025-12-31", 248},
    }));
    INFO(from << " to " << to);
    CHECK(calendar.working_days_between(date(from), date(to)) == expected);
}

TEST_CASE("Counting working days arithmetically agrees with walking day by day", "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    const year_month_day start = date("2024-12-20");
    int walked = 0;
    for (sys_days d = sys_days{start} + days{1}; d <= sys_days{date("2027-01-10")}; d += days{1}) {
        if (calendar.is_working_day(year_month_day{d})) {
            ++walked;
        }
        REQUIRE(calendar.working_days_between(start, year_month_day{d}) == walked);
        REQUIRE(sys_days{calendar.add_working_days(start, walked)} <= d);
    }
}

TEST_CASE("Quarters split the year at the ends of March, June, September and December",
          "[calendar]") {
    const auto [day, quarter, first, last] =
        GENERATE(table<std::string, int, std::string, std::string>({
            {"2026-01-01", 1, "2026-01-01", "2026-03-31"},
            {"2026-03-31", 1, "2026-01-01", "2026-03-31"},
            {"2026-04-01", 2, "2026-04-01", "2026-06-30"},
            {"2026-06-30", 2, "2026-04-01", "2026-06-30"},
            {"2026-07-01", 3, "2026-07-01", "2026-09-30"},
            {"2026-09-30", 3, "2026-07-01", "2026-09-30"},
            {"2026-10-01", 4, "2026-10-01", "2026-12-31"},
            {"2026-12-31", 4, "2026-10-01", "2026-12-31"},
        }));
    INFO(day);
    CHECK(ledgerbot::bot::time::quarter_of(date(day)) == quarter);
    CHECK(format_date(ledgerbot::bot::time::quarter_start(year{2026}, quarter)) == first);
    CHECK(format_date(ledgerbot::bot::time::quarter_end(year{2026}, quarter)) == last);
}

TEST_CASE("A quarter number outside 1 to 4 is refused", "[calendar]") {
    const int quarter = GENERATE(0, 5, -1);
    CHECK_THROWS_AS(ledgerbot::bot::time::quarter_start(year{2026}, quarter),
                    std::invalid_argument);
    CHECK_THROWS_AS(ledgerbot::bot::time::quarter_end(year{2026}, quarter), std::invalid_argument);
}

TEST_CASE("Working days left in a quarter include today and skip the holidays", "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    const auto [day, left] = GENERATE(table<std::string, int>({
        {"2026-03-31", 1},  // Tuesday, last day of Q1
        {"2026-03-30", 2},  // Monday
        {"2026-03-28", 2},  // Saturday: only Monday and Tuesday remain
        {"2026-09-30", 1},  // Wednesday, last day of Q3
        {"2026-09-21", 7},  // 9/21-9/24, 9/28-9/30 (中秋 9/25-9/27 off)
        {"2026-09-20", 8},  // the make-up Sunday counts too
        {"2026-12-31", 1},  // Thursday
        {"2025-12-27", 3},  // Saturday: 12/29, 12/30, 12/31
    }));
    INFO(day);
    CHECK(calendar.working_days_left_in_quarter(date(day)) == left);
}

TEST_CASE("No working day is left in a quarter whose last days are all off", "[calendar]") {
    // 2026-06-27/28 is a weekend and 6/29-6/30 are made holidays here to check the zero case.
    CalendarData data;
    add_range(data, "test", "2026-06-29", "2026-06-30");
    data.covered_years = {year{2026}};
    const WorkingDayCalendar calendar(std::move(data));
    CHECK(calendar.working_days_left_in_quarter(date("2026-06-27")) == 0);
    CHECK(calendar.working_days_left_in_quarter(date("2026-06-26")) == 1);
}

TEST_CASE("A year without holiday data falls back to weekends and reports it is not covered",
          "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    CHECK(calendar.covers(year{2025}));
    CHECK(calendar.covers(year{2026}));
    CHECK_FALSE(calendar.covers(year{2027}));
    CHECK_FALSE(calendar.covers(year{2024}));
    CHECK(calendar.covers(date("2025-12-31"), date("2026-01-06")));
    CHECK_FALSE(calendar.covers(date("2026-12-30"), date("2027-01-05")));
    CHECK_FALSE(calendar.covers(date("2027-01-05"), date("2026-12-30")));

    // 2027-01-01 is a Friday: surely 元旦, but without the 2027 notice it counts as working.
    CHECK(calendar.is_working_day(date("2027-01-01")));
    CHECK_FALSE(calendar.is_working_day(date("2027-01-02")));
    CHECK(format_date(calendar.add_working_days(date("2026-12-30"), 3)) == "2027-01-04");
    // 2026-12-31 Thu, 2027-01-01 Fri, (weekend), 2027-01-04 Mon.
}

TEST_CASE("An empty calendar counts Monday to Friday and covers nothing", "[calendar]") {
    const WorkingDayCalendar calendar;
    CHECK_FALSE(calendar.covers(year{2026}));
    CHECK(calendar.covered_years().empty());
    CHECK_FALSE(calendar.is_working_day(date("2026-02-14")));  // a Saturday, no make-up data
    CHECK(calendar.is_working_day(date("2026-02-16")));        // a Monday, no holiday data
    CHECK(format_date(calendar.add_working_days(date("2026-02-13"), 3)) == "2026-02-18");
    CHECK(calendar.working_days_between(date("2026-01-01"), date("2026-12-31")) == 260);
}

TEST_CASE("A deadline ends at 23:59:59 Shanghai time on the local date's third working day",
          "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    const auto [collected_at, deadline] = GENERATE(table<std::string, std::string>({
        // 23:30 on Friday the 13th in Shanghai, still the 13th in UTC.
        {"2026-02-13T15:30:00Z", "2026-02-25T23:59:59+08:00"},
        // 00:30 on Saturday the 14th in Shanghai (the make-up day), the 13th in UTC.
        {"2026-02-13T16:30:00Z", "2026-02-26T23:59:59+08:00"},
        // The last second of the 13th in Shanghai.
        {"2026-02-13T15:59:59Z", "2026-02-25T23:59:59+08:00"},
        {"2026-02-14T00:00:00+08:00", "2026-02-26T23:59:59+08:00"},
        // 09:00 on New Year's Eve in Shanghai.
        {"2025-12-31T01:00:00Z", "2026-01-06T23:59:59+08:00"},
    }));
    INFO(collected_at);
    const auto collected = ledgerbot::bot::time::parse_rfc3339(collected_at);
    REQUIRE(collected);
    CHECK(ledgerbot::bot::time::format_rfc3339(calendar.deadline_after(*collected, 3)) == deadline);
}

TEST_CASE("A deadline's unix time is the UTC instant of 23:59:59 in Shanghai", "[calendar]") {
    const WorkingDayCalendar calendar = official_2025_2026();
    // 2026-02-13T15:30:00Z; the deadline 2026-02-25T15:59:59Z.
    CHECK(calendar.deadline_after(1770996600, 3) == 1772035199);
}

TEST_CASE("Contradictory calendar data is refused as a bug", "[calendar]") {
    SECTION("a day both off and worked") {
        CalendarData data;
        add_range(data, "春节", "2026-02-14", "2026-02-14");
        data.makeup_workdays.push_back(date("2026-02-14"));
        CHECK_THROWS_AS(WorkingDayCalendar(std::move(data)), std::invalid_argument);
    }
    SECTION("a holiday listed twice") {
        CalendarData data;
        add_range(data, "春节", "2026-02-16", "2026-02-16");
        add_range(data, "春节", "2026-02-16", "2026-02-16");
        CHECK_THROWS_AS(WorkingDayCalendar(std::move(data)), std::invalid_argument);
    }
    SECTION("an invalid date") {
        CalendarData data;
        data.makeup_workdays.push_back(year{2026} / February / 30);
        CHECK_THROWS_AS(WorkingDayCalendar(std::move(data)), std::invalid_argument);
    }
}
