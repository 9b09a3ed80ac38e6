#include "bot/time/working_day_calendar.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::time {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

// 1970-01-05 was a Monday; any Monday works as the origin of the weekday count.
constexpr sys_days kMondayOrigin{days{4}};
constexpr int kEndOfDayHour = 23;
constexpr int kEndOfDayMinute = 59;
constexpr int kEndOfDaySecond = 59;

bool is_weekend(sys_days day) {
    const std::chrono::weekday weekday{day};
    return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Monday-to-Friday days in [kMondayOrigin, day], extended below the origin so that differences
// are right for any pair of dates. Counting this way keeps working_days_between O(log n) even
// across decades, instead of walking day by day.
std::int64_t weekdays_through(sys_days day) {
    const std::int64_t offset = (day - kMondayOrigin).count();
    const std::int64_t weeks = floor_div(offset, 7);
    const std::int64_t day_of_week = offset - weeks * 7;  // 0 = Monday
    return weeks * 5 + std::min<std::int64_t>(day_of_week + 1, 5);
}

// Elements of a sorted vector in the half-open range (from, to].
std::int64_t count_in(const std::vector<sys_days>& sorted, sys_days from, sys_days to) {
    return std::upper_bound(sorted.begin(), sorted.end(), to) -
           std::upper_bound(sorted.begin(), sorted.end(), from);
}

sys_days checked_day(const year_month_day& date, const char* what) {
    if (!date.ok()) {
        throw std::invalid_argument(std::string("WorkingDayCalendar: invalid ") + what + " date");
    }
    return sys_days{date};
}

}  // namespace

WorkingDayCalendar::WorkingDayCalendar(CalendarData data) {
    for (const year_month_day& date : data.makeup_workdays) {
        makeup_workdays_.push_back(checked_day(date, "make-up workday"));
    }
    std::sort(makeup_workdays_.begin(), makeup_workdays_.end());
    if (std::adjacent_find(makeup_workdays_.begin(), makeup_workdays_.end()) !=
        makeup_workdays_.end()) {
        throw std::invalid_argument("WorkingDayCalendar: a make-up workday is listed twice");
    }
    for (HolidayDay& holiday : data.holidays) {
        const sys_days day = checked_day(holiday.date, "holiday");
        if (std::binary_search(makeup_workdays_.begin(), makeup_workdays_.end(), day)) {
            throw std::invalid_argument("WorkingDayCalendar: " + format_date(holiday.date) +
                                        " is both a holiday and a make-up workday");
        }
        if (!holiday_names_.emplace(day, std::move(holiday.name)).second) {
            throw std::invalid_argument("WorkingDayCalendar: holiday " + format_date(holiday.date) +
                                        " is listed twice");
        }
        // A holiday on a weekend changes nothing for counting; only weekdays off do.
        if (!is_weekend(day)) {
            holiday_weekdays_.push_back(day);
        }
    }
    std::sort(holiday_weekdays_.begin(), holiday_weekdays_.end());
    covered_years_ = std::move(data.covered_years);
    std::sort(covered_years_.begin(), covered_years_.end());
    covered_years_.erase(std::unique(covered_years_.begin(), covered_years_.end()),
                         covered_years_.end());
}

bool WorkingDayCalendar::covers(year y) const {
    return std::binary_search(covered_years_.begin(), covered_years_.end(), y);
}

bool WorkingDayCalendar::covers(const year_month_day& first, const year_month_day& last) const {
    const year low = std::min(first.year(), last.year());
    const year high = std::max(first.year(), last.year());
    for (year y = low; y <= high; ++y) {
        if (!covers(y)) {
            return false;
        }
    }
    return true;
}

bool WorkingDayCalendar::is_working_day(sys_days day) const {
    if (is_weekend(day)) {
        return std::binary_search(makeup_workdays_.begin(), makeup_workdays_.end(), day);
    }
    return !std::binary_search(holiday_weekdays_.begin(), holiday_weekdays_.end(), day);
}

bool WorkingDayCalendar::is_working_day(const year_month_day& date) const {
    return is_working_day(sys_days{date});
}

std::optional<std::string> WorkingDayCalendar::holiday_name(const year_month_day& date) const {
    auto it = holiday_names_.find(sys_days{date});
    if (it == holiday_names_.end()) {
        return std::nullopt;
    }
    return it->second;
}

year_month_day WorkingDayCalendar::add_working_days(const year_month_day& from, int n) const {
    if (n < 0) {
        throw std::invalid_argument("WorkingDayCalendar::add_working_days: n must be >= 0");
    }
    // Walking is fine: n is a handful of days, and every week outside the finite holiday data
    // has five working days, so the loop always ends.
    sys_days day{from};
    for (int left = n; left > 0;) {
        day += days{1};
        if (is_working_day(day)) {
            --left;
        }
    }
    return year_month_day{day};
}

int WorkingDayCalendar::working_days_between(const year_month_day& from,
                                             const year_month_day& to) const {
    const sys_days a{from};
    const sys_days b{to};
    if (b < a) {
        return -working_days_between(to, from);
    }
    const std::int64_t count = weekdays_through(b) - weekdays_through(a) -
                               count_in(holiday_weekdays_, a, b) + count_in(makeup_workdays_, a, b);
    return static_cast<int>(count);
}

std::int64_t WorkingDayCalendar::deadline_after(std::int64_t unix_seconds, int working_days) const {
    const year_month_day due = add_working_days(local_date(unix_seconds), working_days);
    return from_local(due, kEndOfDayHour, kEndOfDayMinute, kEndOfDaySecond);
}

int WorkingDayCalendar::working_days_left_in_quarter(const year_month_day& date) const {
    const year_month_day last = quarter_end(date.year(), quarter_of(date));
    // (date - 1, last] includes `date` itself.
    return working_days_between(year_month_day{sys_days{date} - days{1}}, last);
}

int quarter_of(const year_month_day& date) {
    return static_cast<int>((static_cast<unsigned>(date.month()) - 1) / 3 + 1);
}

year_month_day quarter_start(year y, int quarter) {
    if (quarter < 1 || quarter > 4) {
        throw std::invalid_argument("quarter_start: quarter must be 1 to 4");
    }
    return y / std::chrono::month{static_cast<unsigned>(quarter * 3 - 2)} / 1;
}

year_month_day quarter_end(year y, int quarter) {
    if (quarter < 1 || quarter > 4) {
        throw std::invalid_argument("quarter_end: quarter must be 1 to 4");
    }
    const std::chrono::year_month_day_last last{
        y / std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(quarter * 3)}}};
    return year_month_day{last};
}

}  // namespace ledgerbot::bot::time
