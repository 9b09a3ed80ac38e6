#include "bot/score_period.hpp"

#include <algorithm>
#include <chrono>
#include <charconv>

#include "bot/civil_time.hpp"
#include "bot/schedule.hpp"

namespace ledgerbot::bot {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

ScorePeriod week_from_monday(sys_days monday) {
    const std::chrono::year_month_day first{monday};
    const std::chrono::year_month_day last{monday + days{6}};
    return ScorePeriod{format_iso_week(iso_week(first)), from_local(first, 0, 0, 0),
                       from_local(last, 23, 59, 59)};
}

sys_days monday_of(const std::chrono::year_month_day& date) {
    const sys_days day{date};
    return day - days{std::chrono::weekday{day}.iso_encoding() - 1};
}

bool parse_int(std::string_view text, int& out) {
    if (text.empty() || !std::all_of(text.begin(), text.end(),
                                     [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    return std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc{};
}

}  // namespace

std::optional<ScorePeriod> parse_week(std::string_view label) {
    int year = 0;
    int week = 0;
    if (label.size() != 8 || label[4] != '-' || (label[5] != 'W' && label[5] != 'w') ||
        !parse_int(label.substr(0, 4), year) || !parse_int(label.substr(6, 2), week) ||
        year < 1971 || week < 1 || week > 53) {
        return std::nullopt;
    }
    // Week 1 is the week with 4 January in it.
    const sys_days first_monday =
        monday_of(std::chrono::year{year} / std::chrono::January / 4);
    const sys_days monday = first_monday + days{7 * (week - 1)};
    const IsoWeek check = iso_week(std::chrono::year_month_day{monday});
    if (check.year != year || static_cast<int>(check.week) != week) {
        return std::nullopt;  // 2026-W53: 2026 has 53 weeks; 2025-W53 does not exist
    }
    return week_from_monday(monday);
}

std::optional<ScorePeriod> parse_year(std::string_view label) {
    int year = 0;
    if (label.size() != 4 || !parse_int(label, year) || year < 1971) {
        return std::nullopt;
    }
    const std::chrono::year y{year};
    return ScorePeriod{std::string(label), from_local(y / std::chrono::January / 1, 0, 0, 0),
                       from_local(y / std::chrono::December / 31, 23, 59, 59)};
}

ScorePeriod week_of(std::int64_t unix_seconds) {
    return week_from_monday(monday_of(local_date(unix_seconds)));
}

ScorePeriod previous_week(std::int64_t unix_seconds) {
    return week_from_monday(monday_of(local_date(unix_seconds)) - days{7});
}

ScorePeriod year_of(std::int64_t unix_seconds) {
    const int year = static_cast<int>(local_date(unix_seconds).year());
    return *parse_year(std::to_string(year));
}

}  // namespace ledgerbot::bot
