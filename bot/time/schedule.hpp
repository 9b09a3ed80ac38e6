#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/time/civil_time.hpp"

/// When scheduled jobs run, as pure calendar maths in Asia/Shanghai local time (fixed +08:00,
/// see civil_time.hpp). The scheduler in app/ turns the slots computed here into tick events;
/// nothing here reads the clock.
namespace ledgerbot::bot::time {

/// A recurring local time. Written in config as one of:
///   `hourly :MM`                      (MM minutes past every hour)
///   `daily HH:MM`
///   `weekly <Mon|Tue|Wed|Thu|Fri|Sat|Sun> HH:MM`
///   `monthly <1..31> HH:MM`           (a day past the month's end means its last day)
///   `quarterly-end -<N>d HH:MM`       (N = 0..80 days before Mar 31 / Jun 30 / Sep 30 / Dec 31)
///   `quarterly-end +<N>d HH:MM`       (N = 0..80 days after it: gap reports for the quarter
///                                      just ended; the period is still that quarter)
struct ScheduleSpec {
    enum class Kind { hourly, daily, weekly, monthly, quarterly_end };

    Kind kind = Kind::daily;
    int hour = 0;
    int minute = 0;
    unsigned iso_weekday = 1;  ///< weekly: 1 = Monday … 7 = Sunday
    int day_of_month = 1;      ///< monthly
    int days_from_end = 0;     ///< quarterly_end: -14 = two weeks before the quarter's last day
    std::string text;          ///< as written, for logs and error messages

    bool operator==(const ScheduleSpec&) const = default;
};

/// A spec or the reason it is not one. A malformed spec is a value here; config/ turns it into
/// a startup error naming the key.
struct ParsedSchedule {
    std::optional<ScheduleSpec> spec;
    std::string error;
};

ParsedSchedule parse_schedule(std::string_view text);

/// One occurrence of a spec: its local slot time in unix seconds and the period it belongs to,
/// which makes the run key: `2026-11-23T10` (hourly), `2026-11-23` (daily), `2026-W47` (weekly, ISO
/// week), `2026-11` (monthly), `2026-Q4` (quarterly-end).
struct Slot {
    std::int64_t time = 0;
    std::string period;

    bool operator==(const Slot&) const = default;
};

/// Every slot with `last_checked < slot.time <= now`, oldest first. Empty when now <= last.
std::vector<Slot> due_slots(const ScheduleSpec& spec, std::int64_t last_checked, std::int64_t now);

/// The catch-up policy after downtime (or a slow check): of the slots due, only the most recent
/// runs, and only if it is at most `max_lateness_seconds` late. Older missed slots are skipped
/// on purpose: a second "nickname check" or two Monday score posts in a row after an outage
/// would be noise, and a post many hours late would be misleading.
std::optional<Slot> catch_up_slot(const std::vector<Slot>& due, std::int64_t now,
                                  std::int64_t max_lateness_seconds);

/// `job:period`, e.g. `weekly-scores:2026-W47`. Used as the tick's event id, so the inbox's
/// unique `scheduler:<run key>` dedup key is what guarantees a slot runs at most once.
std::string run_key(std::string_view job, const Slot& slot);

/// ISO 8601 week-numbering year and week (weeks start on Monday; week 1 holds the year's first
/// Thursday), e.g. 2027-01-01 → {2026, 53}.
struct IsoWeek {
    int year = 0;
    unsigned week = 0;

    bool operator==(const IsoWeek&) const = default;
};

IsoWeek iso_week(const std::chrono::year_month_day& date);
/// `2026-W47`.
std::string format_iso_week(const IsoWeek& week);

}  // namespace ledgerbot::bot::time
