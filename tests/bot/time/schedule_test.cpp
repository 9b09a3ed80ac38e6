#include "bot/time/schedule.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using ledgerbot::bot::time::catch_up_slot;
using ledgerbot::bot::time::due_slots;
using ledgerbot::bot::time::from_local;
using ledgerbot::bot::time::iso_week;
using ledgerbot::bot::time::IsoWeek;
using ledgerbot::bot::time::parse_schedule;
using ledgerbot::bot::time::ScheduleSpec;
using ledgerbot::bot::time::Slot;
using namespace std::chrono;

// Unix seconds of a Shanghai local time.
std::int64_t local(int y, unsigned m, unsigned d, int hour, int minute, int second = 0) {
    return from_local(year{y} / month{m} / day{d}, hour, minute, second);
}

ScheduleSpec spec(const std::string& text) {
    auto parsed = parse_schedule(text);
    INFO(parsed.error);
    REQUIRE(parsed.spec.has_value());
    return *parsed.spec;
}

std::vector<std::string> periods(const std::vector<Slot>& slots) {
    std::vector<std::string> out;
    for (const auto& slot : slots) {
        out.push_back(slot.period);
    }
    return out;
}

}  // namespace

TEST_CASE("Each schedule form is parsed into its kind, day and local time", "[schedule]") {
    const ScheduleSpec daily = spec("daily 20:00");
    CHECK(daily.kind == ScheduleSpec::Kind::daily);
    CHECK(daily.hour == 20);
    CHECK(daily.minute == 0);

    const ScheduleSpec weekly = spec("weekly Mon 14:05");
    CHECK(weekly.kind == ScheduleSpec::Kind::weekly);
    CHECK(weekly.iso_weekday == 1);
    CHECK(weekly.minute == 5);
    CHECK(spec("weekly Sun 00:00").iso_weekday == 7);

    const ScheduleSpec monthly = spec("monthly  1   09:00");
    CHECK(monthly.kind == ScheduleSpec::Kind::monthly);
    CHECK(monthly.day_of_month == 1);
    CHECK(monthly.hour == 9);

    const ScheduleSpec hourly = spec("hourly :05");
    CHECK(hourly.kind == ScheduleSpec::Kind::hourly);
    CHECK(hourly.minute == 5);

    const ScheduleSpec quarterly = spec("quarterly-end -14d 10:30");
    CHECK(quarterly.kind == ScheduleSpec::Kind::quarterly_end);
    CHECK(quarterly.days_from_end == -14);
    CHECK(spec("quarterly-end -0d 23:59").days_from_end == 0);
    CHECK(spec("quarterly-end +7d 09:00").days_from_end == 7);
}

TEST_CASE("A malformed schedule is refused with a reason that quotes it", "[schedule]") {
    const auto text =
        GENERATE(as<std::string>{}, "", "hourly 20:00", "hourly :60", "hourly 05", "hourly :5",
                 "hourly", "hourly :05 extra", "daily", "daily 24:00", "daily 20:60", "daily 9:00",
                 "daily 20:00:00", "daily 20:00 extra", "Daily 20:00", "weekly Monday 14:00",
                 "weekly mon 14:00", "weekly 14:00", "monthly 0 09:00", "monthly 32 09:00",
                 "monthly x 09:00", "quarterly-end 14d 10:00", "quarterly-end -81d 10:00",
                 "quarterly-end -d 10:00", "quarterly-end -14 10:00", "quarterly-end --1d 10:00",
                 "quarterly-end +81d 10:00", "quarterly-end +-1d 10:00");
    const auto parsed = parse_schedule(text);
    CHECK_FALSE(parsed.spec.has_value());
    CHECK_THAT(parsed.error, Catch::StartsWith("'" + text + "'"));
}

TEST_CASE("ISO weeks follow the year of their Thursday across year boundaries", "[schedule]") {
    const auto [y, m, d, iso_year, iso_week_number] =
        GENERATE(table<int, unsigned, unsigned, int, unsigned>({
            {2026, 12, 28, 2026, 53},  // Monday of 2026's 53rd week (2026 starts on a Thursday)
            {2027, 1, 1, 2026, 53},    // a Friday still in that week
            {2027, 1, 3, 2026, 53},    // its Sunday
            {2027, 1, 4, 2027, 1},
            {2025, 12, 29, 2026, 1},  // Monday of the week holding 2026-01-01
            {2025, 12, 28, 2025, 52},
            {2026, 1, 1, 2026, 1},
            {2026, 11, 23, 2026, 48},
            {2026, 11, 16, 2026, 47},
            {2021, 1, 3, 2020, 53},
            {2024, 12, 30, 2025, 1},
        }));
    CHECK(iso_week(year{y} / month{m} / day{d}) == IsoWeek{iso_year, iso_week_number});
}

TEST_CASE("A daily slot is found on the right side of midnight in Shanghai time", "[schedule]") {
    // 00:30 Shanghai is 16:30 UTC the day before: the slot and its period follow local time.
    const ScheduleSpec after_midnight = spec("daily 00:30");
    const auto slots =
        due_slots(after_midnight, local(2026, 11, 23, 23, 0), local(2026, 11, 24, 1, 0));
    REQUIRE(slots.size() == 1);
    CHECK(slots[0].time == local(2026, 11, 24, 0, 30));
    CHECK(slots[0].period == "2026-11-24");

    const ScheduleSpec evening = spec("daily 20:00");
    CHECK(due_slots(evening, local(2026, 11, 23, 19, 0), local(2026, 11, 23, 19, 59, 59)).empty());
    CHECK(periods(due_slots(evening, local(2026, 11, 23, 19, 0), local(2026, 11, 23, 20, 0))) ==
          std::vector<std::string>{"2026-11-23"});
}

TEST_CASE("Hourly slots fall every hour at their minute, keyed by local date and hour",
          "[schedule]") {
    const ScheduleSpec hourly = spec("hourly :05");
    // Across local midnight: 23:05 on the 23rd and 00:05 and 01:05 on the 24th.
    const auto slots = due_slots(hourly, local(2026, 11, 23, 22, 5), local(2026, 11, 24, 1, 30));
    CHECK(periods(slots) ==
          std::vector<std::string>{"2026-11-23T23", "2026-11-24T00", "2026-11-24T01"});
    CHECK(slots.front().time == local(2026, 11, 23, 23, 5));
    CHECK(due_slots(hourly, local(2026, 11, 23, 10, 6), local(2026, 11, 23, 11, 4)).empty());
    CHECK(ledgerbot::bot::time::run_key("conventions-check", slots[1]) ==
          "conventions-check:2026-11-24T00");
}

TEST_CASE("The window is open at its start and closed at its end", "[schedule]") {
    const ScheduleSpec evening = spec("daily 20:00");
    const std::int64_t slot = local(2026, 11, 23, 20, 0);
    CHECK(due_slots(evening, slot, slot + 3600).empty());
    CHECK(due_slots(evening, slot - 1, slot).size() == 1);
    CHECK(due_slots(evening, slot, slot).empty());
    CHECK(due_slots(evening, slot + 10, slot).empty());
}

TEST_CASE("Every slot in a long window is listed, oldest first, with its run key", "[schedule]") {
    const ScheduleSpec morning = spec("daily 09:00");
    const auto slots = due_slots(morning, local(2026, 12, 30, 10, 0), local(2027, 1, 2, 9, 0));
    CHECK(periods(slots) == std::vector<std::string>{"2026-12-31", "2027-01-01", "2027-01-02"});
    CHECK(ledgerbot::bot::time::run_key("nickname-morning", slots[0]) ==
          "nickname-morning:2026-12-31");
}

TEST_CASE("Weekly slots fall on their weekday and are keyed by ISO week", "[schedule]") {
    const ScheduleSpec scores = spec("weekly Mon 14:00");
    const auto slots = due_slots(scores, local(2026, 12, 20, 0, 0), local(2027, 1, 11, 14, 0));
    CHECK(periods(slots) ==
          std::vector<std::string>{"2026-W52", "2026-W53", "2027-W01", "2027-W02"});
    REQUIRE(slots.size() == 4);
    CHECK(slots[1].time == local(2026, 12, 28, 14, 0));
}

TEST_CASE("A monthly day past the month's end runs on its last day", "[schedule]") {
    const ScheduleSpec digest = spec("monthly 31 09:00");
    const auto slots = due_slots(digest, local(2027, 1, 1, 0, 0), local(2027, 5, 1, 0, 0));
    REQUIRE(slots.size() == 4);
    CHECK(periods(slots) == std::vector<std::string>{"2027-01", "2027-02", "2027-03", "2027-04"});
    CHECK(slots[1].time == local(2027, 2, 28, 9, 0));
    CHECK(slots[3].time == local(2027, 4, 30, 9, 0));
    // 2028 is a leap year.
    CHECK(due_slots(digest, local(2028, 2, 28, 12, 0), local(2028, 3, 1, 0, 0))[0].time ==
          local(2028, 2, 29, 9, 0));
}

TEST_CASE("A quarterly-end slot counts back from each quarter's last day", "[schedule]") {
    const ScheduleSpec coverage = spec("quarterly-end -14d 10:00");
    const auto slots = due_slots(coverage, local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0));
    REQUIRE(slots.size() == 4);
    CHECK(periods(slots) == std::vector<std::string>{"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"});
    CHECK(slots[0].time == local(2026, 3, 17, 10, 0));
    CHECK(slots[1].time == local(2026, 6, 16, 10, 0));
    CHECK(slots[2].time == local(2026, 9, 16, 10, 0));
    CHECK(slots[3].time == local(2026, 12, 17, 10, 0));

    const auto on_the_day = due_slots(spec("quarterly-end -0d 18:00"), local(2026, 12, 1, 0, 0),
                                      local(2027, 1, 1, 0, 0));
    REQUIRE(on_the_day.size() == 1);
    CHECK(on_the_day[0].time == local(2026, 12, 31, 18, 0));

    // After the end: the gap report for Q4 runs in January and is keyed by the quarter it covers.
    const auto after = due_slots(spec("quarterly-end +7d 09:00"), local(2026, 12, 1, 0, 0),
                                 local(2027, 2, 1, 0, 0));
    REQUIRE(after.size() == 1);
    CHECK(after[0].time == local(2027, 1, 7, 9, 0));
    CHECK(after[0].period == "2026-Q4");
}

TEST_CASE("After downtime only the most recent missed slot runs, if it is not too late",
          "[schedule]") {
    const ScheduleSpec evening = spec("daily 20:00");
    const std::int64_t two_hours = 2 * 3600;
    // Down from the 22nd at 19:00 to the 25th at 21:00: three slots were missed.
    const std::int64_t now = local(2026, 11, 25, 21, 0);
    const auto due = due_slots(evening, local(2026, 11, 22, 19, 0), now);
    REQUIRE(due.size() == 4);

    const auto chosen = catch_up_slot(due, now, two_hours);
    REQUIRE(chosen.has_value());
    CHECK(chosen->period == "2026-11-25");

    // Back only at 22:00:01: the latest slot is more than two hours late, and an older one
    // never replaces it.
    const std::int64_t later = local(2026, 11, 25, 22, 0, 1);
    CHECK_FALSE(
        catch_up_slot(due_slots(evening, local(2026, 11, 22, 19, 0), later), later, two_hours)
            .has_value());
    // Exactly at the limit still runs.
    const std::int64_t limit = local(2026, 11, 25, 22, 0);
    CHECK(catch_up_slot(due_slots(evening, local(2026, 11, 22, 19, 0), limit), limit, two_hours)
              .has_value());
    CHECK_FALSE(catch_up_slot({}, now, two_hours).has_value());
}
