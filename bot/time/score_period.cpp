#include "bot/time/score_period.hpp"

#include <date/iso_week.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "bot/time/civil_time.hpp"
#include "bot/time/schedule.hpp"

namespace ledgerbot::bot::time {
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
    return day - (std::chrono::weekday{day} - std::chrono::Monday);
}

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc{}) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<ScorePeriod> parse_week(std::string_view label) {
    if (label.size() != 8 || label[4] != '-' || (label[5] != 'W' && label[5] != 'w')) {
        return std::nullopt;
    }
    const std::optional<int> year = parse_int(label.substr(0, 4));
    const std::optional<int> week = parse_int(label.substr(6, 2));
    if (!year || !week || *year < 1971 || *week < 1 || *week > 53) {
        return std::nullopt;
    }
    const iso_week::year_weeknum_weekday monday{
        iso_week::year{*year}, iso_week::weeknum{static_cast<unsigned>(*week)}, iso_week::mon};
    if (!monday.ok()) {
        return std::nullopt;  // 2026-W53: 2026 has 53 weeks; 2025-W53 does not exist
    }
    return week_from_monday(sys_days(date::sys_days(monday)));
}

std::optional<ScorePeriod> parse_year(std::string_view label) {
    const std::optional<int> year = label.size() == 4 ? parse_int(label) : std::nullopt;
    if (!year || *year < 1971) {
        return std::nullopt;
    }
    const std::chrono::year y{*year};
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

}  // namespace ledgerbot::bot::time
