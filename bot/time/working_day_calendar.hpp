#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

/// Working-day arithmetic on the mainland Chinese calendar: Monday to Friday are working days,
/// except public holidays; some Saturdays and Sundays are make-up workdays (调休上班). The dates
/// come from the State Council's yearly notice, loaded by config/holiday_calendar_loader.hpp.
namespace ledgerbot::bot::time {

/// One day off, named after its holiday (e.g. 春节) so notices can say why a deadline moved.
struct HolidayDay {
    std::chrono::year_month_day date;
    std::string name;
};

/// The raw material of a calendar, as the loader reads it from the yearly files.
struct CalendarData {
    std::vector<HolidayDay> holidays;
    std::vector<std::chrono::year_month_day> makeup_workdays;  ///< weekend days worked (调休)
    /// Years for which the official arrangement is known. Outside them a date falls back to
    /// plain weekends, which is right for most days but misses that year's holidays.
    std::vector<std::chrono::year> covered_years;
};

/// Immutable after construction; cheap to share by const reference across the engine.
class WorkingDayCalendar {
public:
    /// Weekends only; covers no year. What tests and a bot without holiday files get.
    WorkingDayCalendar() = default;
    /// Throws std::invalid_argument for an invalid date, a date listed twice, or a date that is
    /// both a holiday and a make-up workday: the loader rejects these first, so reaching this
    /// check is a bug.
    explicit WorkingDayCalendar(CalendarData data);

    /// Whether the year's official arrangement is loaded. When false, results for dates in that
    /// year are weekend-only estimates and the caller should say so (log a warning at startup,
    /// mark a deadline as provisional).
    bool covers(std::chrono::year year) const;
    /// Whether every year from `first` to `last` (inclusive, either order) is covered: a
    /// deadline is exact only if both the collection date and the deadline date are covered.
    bool covers(const std::chrono::year_month_day& first,
                const std::chrono::year_month_day& last) const;
    const std::vector<std::chrono::year>& covered_years() const { return covered_years_; }

    bool is_working_day(const std::chrono::year_month_day& date) const;
    /// The holiday a day off belongs to, e.g. 国庆节; nullopt on working days and plain weekends.
    std::optional<std::string> holiday_name(const std::chrono::year_month_day& date) const;

    /// The `n`-th working day strictly after `from` (n >= 0; n == 0 returns `from` itself).
    ///
    /// This is the deadline rule for 第八条 ("充分收集企业服务需求后，应在3个工作日内…
    /// 明确服务方案、指定专人负责跟进"): the day a demand is collected does not count, whatever
    /// its kind, and the period ends with the 3rd working day after it. That follows the general
    /// rule for periods counted in days in the Civil Code (民法典 第二百零一条: 开始的当日不计入，
    /// 自下一日开始计算; 第二百零三条: the last day of a period ends at 24:00, hence
    /// deadline_after's 23:59:59 rather than office hours). So a demand collected on Friday
    /// 2026-02-13 is due on 2026-02-25: 2/14 is a make-up Saturday (1), 2/15–2/23 is 春节, then
    /// 2/24 (2) and 2/25 (3). A demand collected on a weekend or a holiday counts from the next
    /// working day the same way.
    /// Throws std::invalid_argument when n < 0.
    std::chrono::year_month_day add_working_days(const std::chrono::year_month_day& from,
                                                 int n) const;

    /// Working days in the half-open range (from, to]: the inverse of add_working_days, so
    /// `working_days_between(d, add_working_days(d, n)) == n`. Negative when `to` is before
    /// `from` (how many working days a deadline is overdue, read the other way round).
    int working_days_between(const std::chrono::year_month_day& from,
                             const std::chrono::year_month_day& to) const;

    /// Unix seconds of 23:59:59 (UTC+08:00) on the `working_days`-th working day after the
    /// Shanghai-local date of `unix_seconds`. Used with "now > deadline" to mean overdue.
    /// The local date matters: 2026-02-13T15:30Z is 23:30 on Friday the 13th in Shanghai, while
    /// 2026-02-13T16:30Z is already the make-up Saturday of the 14th.
    std::int64_t deadline_after(std::int64_t unix_seconds, int working_days) const;

    /// Working days from `date` (included: a visit can still be made today) to the end of its
    /// quarter, for 第六条's "每季度不少于1次" reminders. 0 once the last working day has passed.
    int working_days_left_in_quarter(const std::chrono::year_month_day& date) const;

private:
    bool is_working_day(std::chrono::sys_days day) const;

    std::vector<std::chrono::sys_days> holiday_weekdays_;  ///< sorted; Mon–Fri days off
    std::vector<std::chrono::sys_days> makeup_workdays_;   ///< sorted; Sat/Sun days worked
    std::map<std::chrono::sys_days, std::string> holiday_names_;
    std::vector<std::chrono::year> covered_years_;  ///< sorted, unique
};

/// Calendar quarters (第六条 counts visits per quarter): 1 for January–March … 4 for
/// October–December.
int quarter_of(const std::chrono::year_month_day& date);
/// First and last day of a quarter; throw std::invalid_argument unless 1 <= quarter <= 4.
std::chrono::year_month_day quarter_start(std::chrono::year year, int quarter);
std::chrono::year_month_day quarter_end(std::chrono::year year, int quarter);

}  // namespace ledgerbot::bot::time
