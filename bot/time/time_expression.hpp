#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

/// Chinese date and clock expressions as staff type them in chat (2026-07-01 10:00, 7月1日
/// 下午3点, 昨天, 上周五, 今晚8点, …), found in text and resolved against a message time in
/// Asia/Shanghai. The grammar is generic Chinese, not centre vocabulary, so it lives in code.
namespace ledgerbot::bot::time::time_expression {

/// How strict the scanner is. Inside a labelled time field a number is almost certainly a date,
/// so short forms are accepted; in free text the same forms are too often something else.
enum class ScanMode {
    field,      ///< also 7/1, 7-1, 7.1 (month.day) and 20260701
    free_text,  ///< only forms that cannot be a fraction, a decimal or a count
};

/// A date as written, before it is anchored to the message time.
struct DateMention {
    enum class Kind {
        absolute,        ///< year, month and day given
        month_day,       ///< month and day; the year is the message's (or the one before)
        day_offset,      ///< 今天 0, 昨天 -1, 前天 -2, 明天 +1, …
        weekday,         ///< 周五, 上周五, 本周一, 下周三
        month_day_only,  ///< 3号: a day of the message's month
        month_edge,  ///< 月底, 上月底, 本月初, 7月底: the first or last day of a month
    };
    Kind kind = Kind::absolute;
    int year = 0;
    int month = 0;
    int day = 0;
    /// days (day_offset), weeks (weekday with an explicit week) or months (month_edge without
    /// a month number: 上月底 -1)
    int offset = 0;
    bool month_end = false;   ///< month_edge: the last day (月底) rather than the first (月初)
    int weekday = 0;          ///< 1 = Monday … 7 = Sunday
    bool week_given = false;  ///< 上/本/这/下 written; otherwise the most recent such day
    int implied_period = 0;   ///< a Period value carried by words like 今晚 (0 = none)
};

/// Parts of the day that shift a 12-hour clock (下午3点 = 15:00).
enum Period : int {
    kNoPeriod = 0,
    kEarlyMorning,  ///< 凌晨
    kMorning,       ///< 早上, 上午, 今早
    kNoon,          ///< 中午
    kAfternoon,     ///< 下午, 傍晚
    kEvening,       ///< 晚上, 今晚, 夜里
};

struct ClockMention {
    int hour = 0;  ///< as written (3 in 下午3点); see clock_hour
    int minute = 0;
    int period = kNoPeriod;    ///< the period word written right before it
    bool colon_form = false;   ///< written as HH:MM
    bool han_numeral = false;  ///< written with Chinese numerals (三点半)
};

/// The 24-hour hour of a clock, shifted by its own period or else by `implied` (今晚8点 = 20:00).
/// Empty when the result is not an hour of the day.
std::optional<int> clock_hour(const ClockMention& clock, int implied = kNoPeriod);

/// One expression found in text. Offsets are in code points of the scanned text.
struct Mention {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::optional<DateMention> date;
    std::optional<ClockMention> clock;
    int period = kNoPeriod;  ///< a bare period word (今天下午) or the clock's period
};

/// Every date, clock or bare period word in `text`, in order, not overlapping. `text` must be
/// folded to half-width (see text::fold_code_point). Work is linear in the text length.
std::vector<Mention> scan(std::u32string_view text, ScanMode mode);

/// True when the date is written relative to today and lies ahead (明天, 后天, 下周三).
bool is_future_worded(const DateMention& date);

/// Whether text speaks of a day in the past (or today), in the future, or of no day at all,
/// judged by its first date without knowing today: 昨天 and 2026-07-01 are past, 明天 and 下周三
/// are future. A clock with a period word (下午3点) or HH:MM counts as today.
enum class Tense { none, past_or_present, future };
Tense first_tense(std::u32string_view text);

/// A visit time: unix seconds, and whether only the day was given (then 00:00 local).
struct Resolved {
    std::int64_t unix_seconds = 0;
    bool date_only = false;
};

/// How far past the message time a stated visit time may lie and still be believed: people
/// round (下午3点 posted at 14:50).
inline constexpr std::int64_t kFutureToleranceSeconds = 15 * 60;

/// True when `when` lies after `now` (beyond the tolerance, or on a later day when date-only).
bool is_after(const Resolved& when, std::int64_t now);

/// The time a labelled time field states: its first date with the first clock after it (or
/// before it: 下午3点 7月1日); a clock alone means today. `text` folded to half-width.
std::optional<Resolved> find_in_field(std::u32string_view text, std::int64_t now);

/// The first date written in free text, resolved with the clock written right after it, future
/// or not: whether a message speaks of a day ahead (a plan) is judged by it. Dates and clocks
/// as in find_in_free_text, but nothing is skipped for lying ahead.
std::optional<Resolved> first_date(std::u32string_view text, std::int64_t now);

/// The visit time in free text: the first date that is not in the future, with a clock written
/// right after it (今天下午3点); a month-day that would lie more than a quarter back is taken for
/// something else (a deadline, a plan) and skipped. Without a date, a clock with a period word
/// or in HH:MM form means today; a bare "3点" does not (有3点意见).
std::optional<Resolved> find_in_free_text(std::u32string_view text, std::int64_t now);

/// The local calendar day a date mention means, seen from `today` (Asia/Shanghai). A month-day
/// more than half a year ahead means that day last year (12月28日 seen from January); a nearer
/// one lies ahead. Empty when the day does not exist (2月30日).
std::optional<std::chrono::year_month_day> resolve_date(const DateMention& date,
                                                        const std::chrono::year_month_day& today);

}  // namespace ledgerbot::bot::time::time_expression
