#include "bot/time/schedule.hpp"

#include "bot/text/text.hpp"

#include <date/iso_week.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace ledgerbot::bot::time {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::array<std::string_view, 7> kWeekdayNames{"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
// The largest N keeps each quarter's slot apart from its neighbours' (the shortest quarter, Q1
// of a common year, has 90 days), so one date never belongs to two quarters.
constexpr int kMaxDaysFromQuarterEnd = 80;

std::optional<int> read_number(std::string_view text) {
    int value = 0;
    if (text.empty() || text.size() > 3) {
        return std::nullopt;
    }
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

struct ClockTime {
    int hour = 0;
    int minute = 0;
};

std::optional<ClockTime> read_clock_time(std::string_view text) {
    // Exactly HH:MM so that "9:0" or "20:00:00" are not guessed at.
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    auto hour = read_number(text.substr(0, 2));
    auto minute = read_number(text.substr(3, 2));
    if (!hour || !minute || *hour > 23 || *minute > 59) {
        return std::nullopt;
    }
    return ClockTime{*hour, *minute};
}

std::chrono::year_month_day slot_date_of_month(std::chrono::year_month month, int day) {
    const auto last =
        std::chrono::year_month_day_last{month.year(), std::chrono::month_day_last{month.month()}};
    const unsigned wanted = static_cast<unsigned>(day);
    const unsigned clamped = std::min(wanted, static_cast<unsigned>(last.day()));
    return {month.year(), month.month(), std::chrono::day{clamped}};
}

bool is_quarter_end(const std::chrono::year_month_day& date) {
    const unsigned m = static_cast<unsigned>(date.month());
    const unsigned d = static_cast<unsigned>(date.day());
    return (m == 3 && d == 31) || (m == 6 && d == 30) || (m == 9 && d == 30) ||
           (m == 12 && d == 31);
}

std::string format_year_month(const std::chrono::year_month_day& date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()));
    return buffer;
}

// The slot on `date`, if the spec has one that day.
std::optional<Slot> slot_on(const ScheduleSpec& spec, const std::chrono::year_month_day& date) {
    const auto time = [&] { return from_local(date, spec.hour, spec.minute, 0); };
    switch (spec.kind) {
        case ScheduleSpec::Kind::hourly:
            return std::nullopt;  // many a day: due_slots walks the hours
        case ScheduleSpec::Kind::daily:
            return Slot{time(), format_date(date)};
        case ScheduleSpec::Kind::weekly:
            if (std::chrono::weekday{sys_days{date}}.iso_encoding() != spec.iso_weekday) {
                return std::nullopt;
            }
            return Slot{time(), format_iso_week(iso_week(date))};
        case ScheduleSpec::Kind::monthly:
            if (date != slot_date_of_month(date.year() / date.month(), spec.day_of_month)) {
                return std::nullopt;
            }
            return Slot{time(), format_year_month(date)};
        case ScheduleSpec::Kind::quarterly_end: {
            const std::chrono::year_month_day end{sys_days{date} - days{spec.days_from_end}};
            if (!is_quarter_end(end)) {
                return std::nullopt;
            }
            const unsigned quarter = (static_cast<unsigned>(end.month()) + 2) / 3;
            return Slot{time(), std::to_string(static_cast<int>(end.year())) + "-Q" +
                                    std::to_string(quarter)};
        }
    }
    return std::nullopt;
}

}  // namespace

ParsedSchedule parse_schedule(std::string_view text) {
    const auto fail = [&](const std::string& why) {
        return ParsedSchedule{std::nullopt, "'" + std::string(text) + "': " + why};
    };
    const std::vector<std::string> words = text::split_words(text);
    if (words.empty()) {
        return fail("empty; expected e.g. 'daily 20:00' or 'weekly Mon 14:00'");
    }
    ScheduleSpec spec;
    spec.text = std::string(text);
    const std::string_view kind = words[0];
    std::size_t expected_words = 3;
    if (kind == "hourly") {
        // `hourly :MM`: the minute past every hour.
        if (words.size() != 2 || words[1].size() != 3 || words[1][0] != ':') {
            return fail("expected 'hourly :MM'");
        }
        auto minute = read_number(words[1].substr(1));
        if (!minute || *minute < 0 || *minute > 59) {
            return fail("minute must be :00 to :59");
        }
        spec.kind = ScheduleSpec::Kind::hourly;
        spec.minute = *minute;
        return ParsedSchedule{std::move(spec), {}};
    }
    if (kind == "daily") {
        spec.kind = ScheduleSpec::Kind::daily;
        expected_words = 2;
    } else if (kind == "weekly") {
        spec.kind = ScheduleSpec::Kind::weekly;
    } else if (kind == "monthly") {
        spec.kind = ScheduleSpec::Kind::monthly;
    } else if (kind == "quarterly-end") {
        spec.kind = ScheduleSpec::Kind::quarterly_end;
    } else {
        return fail("must start with hourly, daily, weekly, monthly or quarterly-end");
    }
    if (words.size() != expected_words) {
        switch (spec.kind) {
            case ScheduleSpec::Kind::hourly:
            case ScheduleSpec::Kind::daily:
                return fail("expected 'daily HH:MM'");
            case ScheduleSpec::Kind::weekly:
                return fail("expected 'weekly <Mon..Sun> HH:MM'");
            case ScheduleSpec::Kind::monthly:
                return fail("expected 'monthly <day 1-31> HH:MM'");
            case ScheduleSpec::Kind::quarterly_end:
                return fail("expected 'quarterly-end -<N>d HH:MM' or 'quarterly-end +<N>d HH:MM'");
        }
    }
    const std::optional<ClockTime> clock = read_clock_time(words.back());
    if (clock) {
        spec.hour = clock->hour;
        spec.minute = clock->minute;
    } else {
        return fail("time must be HH:MM from 00:00 to 23:59");
    }
    if (spec.kind == ScheduleSpec::Kind::weekly) {
        bool found = false;
        for (std::size_t i = 0; i < kWeekdayNames.size(); ++i) {
            if (words[1] == kWeekdayNames[i]) {
                spec.iso_weekday = static_cast<unsigned>(i + 1);
                found = true;
            }
        }
        if (!found) {
            return fail("weekday must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun");
        }
    } else if (spec.kind == ScheduleSpec::Kind::monthly) {
        auto day = read_number(words[1]);
        if (!day || *day < 1 || *day > 31) {
            return fail("day of month must be 1 to 31");
        }
        spec.day_of_month = *day;
    } else if (spec.kind == ScheduleSpec::Kind::quarterly_end) {
        const std::string_view offset = words[1];
        const bool signed_days = offset.size() >= 3 &&
                                 (offset.front() == '-' || offset.front() == '+') &&
                                 offset.back() == 'd';
        auto n = signed_days ? read_number(offset.substr(1, offset.size() - 2)) : std::nullopt;
        if (!n || *n < 0 || *n > kMaxDaysFromQuarterEnd) {
            return fail("offset must be -<N>d or +<N>d with N from 0 to " +
                        std::to_string(kMaxDaysFromQuarterEnd));
        }
        spec.days_from_end = offset.front() == '-' ? -*n : *n;
    }
    return ParsedSchedule{std::move(spec), {}};
}

std::vector<Slot> due_slots(const ScheduleSpec& spec, std::int64_t last_checked, std::int64_t now) {
    std::vector<Slot> out;
    if (now <= last_checked) {
        return out;
    }
    // Every spec but hourly has at most one slot per local day, so walking the local days of the
    // window is exact and, for the windows the scheduler asks about (hours to a few days), cheap.
    const sys_days first{local_date(last_checked)};
    const sys_days last{local_date(now)};
    for (sys_days day = first; day <= last; day += days{1}) {
        const std::chrono::year_month_day date{day};
        if (spec.kind == ScheduleSpec::Kind::hourly) {
            for (int hour = 0; hour < 24; ++hour) {
                const std::int64_t time = from_local(date, hour, spec.minute, 0);
                if (time > last_checked && time <= now) {
                    char period[24];
                    std::snprintf(period, sizeof period, "%sT%02d", format_date(date).c_str(),
                                  hour);
                    out.push_back(Slot{time, period});
                }
            }
            continue;
        }
        auto slot = slot_on(spec, date);
        if (slot && slot->time > last_checked && slot->time <= now) {
            out.push_back(std::move(*slot));
        }
    }
    return out;
}

std::optional<Slot> catch_up_slot(const std::vector<Slot>& due, std::int64_t now,
                                  std::int64_t max_lateness_seconds) {
    if (due.empty() || now - due.back().time > max_lateness_seconds) {
        return std::nullopt;
    }
    return due.back();
}

std::string run_key(std::string_view job, const Slot& slot) {
    return std::string(job) + ":" + slot.period;
}

IsoWeek iso_week(const std::chrono::year_month_day& date) {
    const iso_week::year_weeknum_weekday week{date::sys_days(sys_days{date})};
    return IsoWeek{static_cast<int>(week.year()), static_cast<unsigned>(week.weeknum())};
}

std::string format_iso_week(const IsoWeek& week) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-W%02u", week.year, week.week);
    return buffer;
}

}  // namespace ledgerbot::bot::time
