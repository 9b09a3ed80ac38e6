#include "bot/time/time_expression.hpp"

#include <array>

#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::time::time_expression {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

using text::is_digit;

int han_digit(char32_t c) {
    switch (c) {
        case U'零':
        case U'〇':
            return 0;
        case U'一':
            return 1;
        case U'二':
        case U'两':
            return 2;
        case U'三':
            return 3;
        case U'四':
            return 4;
        case U'五':
            return 5;
        case U'六':
            return 6;
        case U'七':
            return 7;
        case U'八':
            return 8;
        case U'九':
            return 9;
        default:
            return -1;
    }
}

bool is_han_numeral(char32_t c) {
    return han_digit(c) >= 0 || c == U'十';
}

struct Number {
    int value = 0;
    std::size_t end = 0;
    bool han = false;
};

// A reader over folded text; every read is bounds-checked so no input can make it fail.
class Cursor {
public:
    explicit Cursor(std::u32string_view text) : text_(text) {}

    std::size_t size() const { return text_.size(); }
    char32_t at(std::size_t pos) const { return pos < text_.size() ? text_[pos] : U'\0'; }
    char32_t before(std::size_t pos) const { return pos == 0 ? U'\0' : text_[pos - 1]; }

    bool literal(std::size_t pos, std::u32string_view word) const {
        return text_.substr(std::min(pos, text_.size())).starts_with(word);
    }

    std::size_t skip_spaces(std::size_t pos) const {
        while (text::is_inline_space(at(pos))) {
            ++pos;
        }
        return pos;
    }

    // Exactly a run of min..max ASCII digits that is not part of a longer number.
    std::optional<Number> arabic(std::size_t pos, std::size_t min_digits,
                                 std::size_t max_digits) const {
        if (is_digit(before(pos))) {
            return std::nullopt;
        }
        std::size_t end = pos;
        int value = 0;
        while (is_digit(at(end)) && end - pos <= max_digits) {
            value = value * 10 + static_cast<int>(at(end) - U'0');
            ++end;
        }
        const std::size_t count = end - pos;
        if (count < min_digits || count > max_digits) {
            return std::nullopt;
        }
        return Number{value, end, false};
    }

    // 0–99 in Chinese numerals: 三, 十, 十二, 二十, 二十五.
    std::optional<Number> han(std::size_t pos) const {
        if (is_han_numeral(before(pos))) {
            return std::nullopt;
        }
        if (at(pos) == U'十') {
            const int unit = han_digit(at(pos + 1));
            if (unit > 0) {
                return Number{10 + unit, pos + 2, true};
            }
            return Number{10, pos + 1, true};
        }
        const int tens = han_digit(at(pos));
        if (tens < 0) {
            return std::nullopt;
        }
        if (at(pos + 1) == U'十') {
            const int unit = han_digit(at(pos + 2));
            if (unit > 0) {
                return Number{tens * 10 + unit, pos + 3, true};
            }
            return Number{tens * 10, pos + 2, true};
        }
        return Number{tens, pos + 1, true};
    }

    std::optional<Number> number(std::size_t pos, std::size_t max_digits) const {
        if (auto n = arabic(pos, 1, max_digits)) {
            return n;
        }
        return han(pos);
    }

private:
    std::u32string_view text_;
};

struct Word {
    std::u32string_view text;
    int value = 0;
    int period = kNoPeriod;
};

// Longer words first where one is a prefix or suffix of another (大前天 before 前天).
constexpr std::array<Word, 20> kRelativeDays{{
    {U"大前天", -3, kNoPeriod}, {U"前天", -2, kNoPeriod}, {U"前日", -2, kNoPeriod},
    {U"昨天", -1, kNoPeriod},   {U"昨日", -1, kNoPeriod}, {U"昨晚", -1, kEvening},
    {U"昨夜", -1, kEvening},    {U"今天", 0, kNoPeriod},  {U"今日", 0, kNoPeriod},
    {U"今早", 0, kMorning},     {U"今晨", 0, kMorning},   {U"今晚", 0, kEvening},
    {U"今儿", 0, kNoPeriod},    {U"刚才", 0, kNoPeriod},  {U"刚刚", 0, kNoPeriod},
    {U"明天", 1, kNoPeriod},    {U"明日", 1, kNoPeriod},  {U"明早", 1, kMorning},
    {U"明晚", 1, kEvening},     {U"后天", 2, kNoPeriod},
}};

constexpr std::array<Word, 11> kWeekShifts{{
    {U"上上个", -2},
    {U"上上", -2},
    {U"上个", -1},
    {U"上", -1},
    {U"本", 0},
    {U"这个", 0},
    {U"这", 0},
    {U"下下个", 2},
    {U"下下", 2},
    {U"下个", 1},
    {U"下", 1},
}};

constexpr std::array<std::u32string_view, 4> kWeekWords{U"星期", U"礼拜", U"周", U"週"};

// Single-character 早/晚 only count when a number follows (早8点); alone they mean "early/late".
constexpr std::array<Word, 13> kPeriods{{
    {U"凌晨", kEarlyMorning},
    {U"早上", kMorning},
    {U"早晨", kMorning},
    {U"清晨", kMorning},
    {U"上午", kMorning},
    {U"中午", kNoon},
    {U"下午", kAfternoon},
    {U"傍晚", kAfternoon},
    {U"晚上", kEvening},
    {U"夜里", kEvening},
    {U"夜间", kEvening},
    {U"早", kMorning},
    {U"晚", kEvening},
}};

int weekday_number(char32_t c) {
    if (c == U'日' || c == U'天' || c == U'7') {
        return 7;
    }
    if (c >= U'1' && c <= U'6') {
        return static_cast<int>(c - U'0');
    }
    const int han = han_digit(c);
    return han >= 1 && han <= 6 && c != U'两' ? han : 0;
}

struct Found {
    DateMention date;
    std::size_t end = 0;
};

std::optional<Found> relative_day_at(const Cursor& c, std::size_t pos) {
    for (const Word& word : kRelativeDays) {
        if (c.literal(pos, word.text)) {
            // 目前天然气 holds 前天 and 天然, 以前天数 holds 前天: words, not days.
            const char32_t prev = c.before(pos);
            if (c.at(pos + word.text.size()) == U'然' ||
                (word.text.starts_with(U"前") &&
                 std::u32string_view(U"目以之提当此先从眼跟面").find(prev) !=
                     std::u32string_view::npos)) {
                return std::nullopt;
            }
            DateMention date;
            date.kind = DateMention::Kind::day_offset;
            date.offset = word.value;
            date.implied_period = word.period;
            return Found{date, pos + word.text.size()};
        }
    }
    return std::nullopt;
}

std::optional<Found> weekday_at(const Cursor& c, std::size_t pos) {
    std::size_t p = pos;
    std::optional<int> shift;
    for (const Word& word : kWeekShifts) {
        if (c.literal(p, word.text)) {
            shift = word.value;
            p += word.text.size();
            break;
        }
    }
    bool week_word = false;
    for (std::u32string_view word : kWeekWords) {
        if (c.literal(p, word)) {
            p += word.size();
            week_word = true;
            break;
        }
    }
    if (!week_word) {
        return std::nullopt;
    }
    const int weekday = weekday_number(c.at(p));
    if (weekday == 0) {
        return std::nullopt;
    }
    if (!shift) {
        // 每周三 is a schedule, 两周一次 a frequency, 三周年 an anniversary: not a day.
        const char32_t prev = c.before(pos);
        if (prev == U'每' || prev == U'几' || is_han_numeral(prev) || is_digit(prev)) {
            return std::nullopt;
        }
    }
    // 三周年 and 周一次 are not days; 周12 is no weekday.
    const char32_t next = c.at(p + 1);
    if (next == U'年' || next == U'次' || (is_digit(c.at(p)) && is_digit(next))) {
        return std::nullopt;
    }
    DateMention date;
    date.kind = DateMention::Kind::weekday;
    date.weekday = weekday;
    date.week_given = shift.has_value();
    date.offset = shift.value_or(0);
    return Found{date, p + 1};
}

bool valid_month_day(int month, int day) {
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The day number after a month, then an optional 日/号.
std::optional<Number> day_after(const Cursor& c, std::size_t pos, bool han_allowed) {
    const std::size_t p = c.skip_spaces(pos);
    std::optional<Number> day = han_allowed ? c.number(p, 2) : c.arabic(p, 1, 2);
    if (!day) {
        return std::nullopt;
    }
    std::size_t end = day->end;
    if (c.at(end) == U'日' || c.at(end) == U'号') {
        ++end;
    } else if (day->han) {
        // 七月一 without 日 is too easily the start of something else (七月一号 is fine).
        return std::nullopt;
    }
    return Number{day->value, end, day->han};
}

std::optional<Found> numeric_date_at(const Cursor& c, std::size_t pos, ScanMode mode) {
    // Year first: 2026-07-01, 2026/7/1, 2026.7.1, 2026年7月1日, 26年7月1日.
    if (auto year = c.arabic(pos, 2, 4); year && year->end - pos != 3) {
        const bool two_digits = year->end - pos == 2;
        std::size_t p = c.skip_spaces(year->end);
        const char32_t sep = c.at(p);
        const bool han_style = sep == U'年';
        const bool ok_sep =
            han_style || (!two_digits && (sep == U'-' || sep == U'/' || sep == U'.'));
        const int full_year = two_digits ? 2000 + year->value : year->value;
        if (ok_sep && full_year >= 2000 && full_year <= 2099) {
            p = c.skip_spaces(p + 1);
            auto month = han_style ? c.number(p, 2) : c.arabic(p, 1, 2);
            if (month) {
                std::size_t q = c.skip_spaces(month->end);
                const char32_t month_sep = han_style ? U'月' : sep;
                if (c.at(q) == month_sep) {
                    auto day = han_style ? day_after(c, q + 1, true)
                                         : c.arabic(c.skip_spaces(q + 1), 1, 2);
                    if (day && valid_month_day(month->value, day->value) &&
                        !is_digit(c.at(day->end))) {
                        std::size_t end = day->end;
                        if (!han_style && (c.at(end) == U'日' || c.at(end) == U'号')) {
                            ++end;
                        }
                        DateMention date;
                        date.kind = DateMention::Kind::absolute;
                        date.year = full_year;
                        date.month = month->value;
                        date.day = day->value;
                        return Found{date, end};
                    }
                }
            }
        }
    }
    if (mode == ScanMode::field) {
        if (auto compact = c.arabic(pos, 8, 8)) {
            const int value = compact->value;
            const int year = value / 10000;
            const int month = value / 100 % 100;
            const int day = value % 100;
            if (year >= 2000 && year <= 2099 && valid_month_day(month, day)) {
                DateMention date;
                date.kind = DateMention::Kind::absolute;
                date.year = year;
                date.month = month;
                date.day = day;
                return Found{date, compact->end};
            }
        }
    }
    // Month and day: 7月1日, 7月1号, 七月一日, 7月1; a month's edge: 7月底, 十一月初.
    if (auto month = c.number(pos, 2)) {
        const std::size_t p = c.skip_spaces(month->end);
        const char32_t edge = c.at(p + 1);
        if (c.at(p) == U'月' && month->value >= 1 && month->value <= 12 &&
            (edge == U'底' || edge == U'末' || edge == U'初')) {
            DateMention date;
            date.kind = DateMention::Kind::month_edge;
            date.month = month->value;
            date.month_end = edge != U'初';
            return Found{date, p + 2};
        }
        if (c.at(p) == U'月') {
            // 7月1 followed by a digit is a longer number; 7月1日14:00 is a day and a clock.
            if (auto day = day_after(c, p + 1, true);
                day && valid_month_day(month->value, day->value) &&
                (!is_digit(c.at(day->end)) || c.before(day->end) == U'日' ||
                 c.before(day->end) == U'号')) {
                DateMention date;
                date.kind = DateMention::Kind::month_day;
                date.month = month->value;
                date.day = day->value;
                return Found{date, day->end};
            }
        }
    }
    // Short numeric forms only inside a time field: in free text 1/3 is a fraction, 7.1 a
    // decimal and 3-5 a range.
    if (mode == ScanMode::field) {
        if (auto month = c.arabic(pos, 1, 2)) {
            const char32_t sep = c.at(month->end);
            const char32_t prev = c.before(pos);
            if ((sep == U'/' || sep == U'-' || sep == U'.') && prev != U'/' && prev != U'-' &&
                prev != U'.' && prev != U':') {
                // 10-11点 is a range of hours, not 10月11日.
                if (auto day = c.arabic(month->end + 1, 1, 2);
                    day && valid_month_day(month->value, day->value) && c.at(day->end) != sep &&
                    !is_digit(c.at(day->end)) && c.at(day->end) != U'点' &&
                    c.at(day->end) != U'时' && c.at(day->end) != U':') {
                    std::size_t end = day->end;
                    if (c.at(end) == U'日' || c.at(end) == U'号') {
                        ++end;
                    }
                    DateMention date;
                    date.kind = DateMention::Kind::month_day;
                    date.month = month->value;
                    date.day = day->value;
                    return Found{date, end};
                }
            }
        }
    }
    return std::nullopt;
}

// 月底, 月末, 上月底, 上个月末, 本月初, 下月初; a month number before them is read by
// numeric_date_at (7月底).
std::optional<Found> month_edge_at(const Cursor& c, std::size_t pos) {
    std::size_t p = pos;
    int offset = 0;
    bool shifted = false;
    for (const Word& word : kWeekShifts) {
        if (c.literal(p, word.text)) {
            offset = word.value;
            shifted = true;
            p += word.text.size();
            break;
        }
    }
    if (!shifted &&
        (is_digit(c.before(pos)) || is_han_numeral(c.before(pos)) || c.before(pos) == U'月')) {
        return std::nullopt;
    }
    if (c.at(p) != U'月') {
        return std::nullopt;
    }
    if (shifted && c.at(p + 1) == U'月') {
        ++p;  // 上个月月底
    }
    const char32_t edge = c.at(p + 1);
    if (edge != U'底' && edge != U'末' && edge != U'初') {
        return std::nullopt;
    }
    DateMention date;
    date.kind = DateMention::Kind::month_edge;
    date.offset = offset;
    date.month_end = edge != U'初';
    return Found{date, p + 2};
}

// Things numbered with 号 that are not days: 3号楼, 5号线, 2号车间, 第3号.
constexpr std::u32string_view kNumberedThings =
    U"楼线车间门院仓机位馆室文令窗厂地铺店桌台柜包箱桩井口";

// A day of the month alone: 3号, 15号 (in a time field also 3日).
std::optional<Found> bare_day_at(const Cursor& c, std::size_t pos, ScanMode mode) {
    const char32_t prev = c.before(pos);
    if (prev == U'第' || prev == U'月' || prev == U'.' || prev == U'/' || prev == U'-') {
        return std::nullopt;
    }
    auto day = c.number(pos, 2);
    if (!day || day->value < 1 || day->value > 31) {
        return std::nullopt;
    }
    const char32_t mark = c.at(day->end);
    if (mark != U'号' && !(mode == ScanMode::field && mark == U'日')) {
        return std::nullopt;
    }
    if (kNumberedThings.find(c.at(day->end + 1)) != std::u32string_view::npos) {
        return std::nullopt;
    }
    DateMention date;
    date.kind = DateMention::Kind::month_day_only;
    date.day = day->value;
    return Found{date, day->end + 1};
}

// Units after a number that make 1.5 a quantity, not 1月5日: 1.5亿, 2.3万元, 3.5%.
constexpr std::u32string_view kUnits = U"亿万千百元%倍个吨亩台件人家次年岁斤米度克天月周分秒.";

// 11.20 or 12/2 in running text: month and day, not part of a bigger number, a range of hours
// or a quantity.
std::optional<Found> running_month_day_at(const Cursor& c, std::size_t pos) {
    const char32_t prev = c.before(pos);
    if (prev == U'.' || prev == U'/' || prev == U'-' || prev == U':' ||
        text::is_ascii_letter(prev)) {
        return std::nullopt;
    }
    auto month = c.arabic(pos, 1, 2);
    if (!month) {
        return std::nullopt;
    }
    const char32_t sep = c.at(month->end);
    if (sep != U'.' && sep != U'/') {
        return std::nullopt;
    }
    auto day = c.arabic(month->end + 1, 1, 2);
    if (!day || !valid_month_day(month->value, day->value)) {
        return std::nullopt;
    }
    const char32_t next = c.at(day->end);
    if (next == sep || next == U':' || next == U'点' || next == U'时' ||
        text::is_ascii_letter(next) || kUnits.find(next) != std::u32string_view::npos) {
        return std::nullopt;
    }
    DateMention date;
    date.kind = DateMention::Kind::month_day;
    date.month = month->value;
    date.day = day->value;
    std::size_t end = day->end;
    if (next == U'日' || next == U'号') {
        ++end;
    }
    return Found{date, end};
}

std::optional<Found> date_at(const Cursor& c, std::size_t pos, ScanMode mode) {
    if (auto found = relative_day_at(c, pos)) {
        return found;
    }
    if (auto found = weekday_at(c, pos)) {
        return found;
    }
    if (auto found = month_edge_at(c, pos)) {
        return found;
    }
    if (auto found = numeric_date_at(c, pos, mode)) {
        return found;
    }
    if (mode == ScanMode::free_text) {
        if (auto found = running_month_day_at(c, pos)) {
            return found;
        }
    }
    return bare_day_at(c, pos, mode);
}

bool contains_range_mark(char32_t c) {
    return c == U'-' || c == U'~' || c == U'到' || c == U'至' || c == U'—';
}

struct FoundClock {
    std::optional<ClockMention> clock;
    int period = kNoPeriod;
    std::size_t end = 0;
};

// A clock, optionally after a period word, or a period word alone (今天下午).
std::optional<FoundClock> clock_at(const Cursor& c, std::size_t pos) {
    std::size_t p = pos;
    int period = kNoPeriod;
    bool single_char_period = false;
    for (const Word& word : kPeriods) {
        if (c.literal(p, word.text)) {
            period = word.value;
            single_char_period = word.text.size() == 1;
            p += word.text.size();
            break;
        }
    }
    const std::size_t after_period = p;
    p = c.skip_spaces(p);
    ClockMention clock;
    clock.period = period;
    std::optional<Number> hour;
    // Arabic hours may not continue a date or a range written with separators (7.1, 10-11).
    const char32_t prev = c.before(p);
    if (prev != U'.' && prev != U':' && prev != U'/' && prev != U'-') {
        hour = c.number(p, 2);
    }
    if (hour && hour->value <= 24) {
        std::size_t q = hour->end;
        std::optional<int> minute;
        if (!hour->han && c.at(q) == U':') {
            if (auto mm = c.arabic(q + 1, 2, 2)) {
                minute = mm->value;
                q = mm->end;
                // Seconds are written by some copy-pasted system times: 10:00:00.
                if (c.at(q) == U':') {
                    if (auto ss = c.arabic(q + 1, 2, 2)) {
                        q = ss->end;
                    }
                }
                clock.colon_form = true;
            }
        } else if (contains_range_mark(c.at(q)) && !hour->han) {
            // 10-11点 / 10到11点: a range of hours starts at the first.
            if (auto to = c.number(q + 1, 2);
                to && !to->han && (c.at(to->end) == U'点' || c.at(to->end) == U'时')) {
                minute = 0;
                q = to->end + 1;
            }
        } else if (c.at(q) == U'点' || c.at(q) == U'时') {
            ++q;
            if (c.at(q) == U'半') {
                minute = 30;
                ++q;
            } else if (c.literal(q, U"一刻")) {
                minute = 15;
                q += 2;
            } else if (c.literal(q, U"三刻")) {
                minute = 45;
                q += 2;
            } else if (auto mm = c.number(q, 2); mm && (c.at(mm->end) == U'分' || !mm->han)) {
                minute = mm->value;
                q = mm->end;
                if (c.at(q) == U'分') {
                    ++q;
                }
            } else {
                minute = 0;
                if (c.at(q) == U'整' || c.at(q) == U'钟') {
                    ++q;
                }
            }
        }
        if (minute && *minute <= 59 && (hour->value < 24 || *minute == 0)) {
            clock.hour = hour->value == 24 ? 0 : hour->value;
            clock.minute = *minute;
            clock.han_numeral = hour->han;
            return FoundClock{clock, period, q};
        }
    }
    if (period != kNoPeriod && !single_char_period) {
        return FoundClock{std::nullopt, period, after_period};
    }
    return std::nullopt;
}

// What may stand between a date and its clock in free text: 今天 下午3点, 7月1日，10:00.
bool is_glue(char32_t c) {
    return c == U' ' || c == U'\t' || c == U',' || c == U'，' || c == U'、' || c == U'的';
}

bool only_glue(std::u32string_view text, std::size_t begin, std::size_t end) {
    if (end < begin || end - begin > 3) {
        return false;
    }
    for (std::size_t i = begin; i < end; ++i) {
        if (!is_glue(text[i])) {
            return false;
        }
    }
    return true;
}

year_month_day today_of(std::int64_t now) {
    return local_date(now);
}

Resolved combine(const year_month_day& day, const ClockMention* clock, int implied_period) {
    if (clock) {
        if (auto hour = clock_hour(*clock, implied_period)) {
            return Resolved{from_local(day, *hour, clock->minute, 0), false};
        }
    }
    return Resolved{from_local(day, 0, 0, 0), true};
}

}  // namespace

std::optional<int> clock_hour(const ClockMention& clock, int implied) {
    const int period = clock.period != kNoPeriod ? clock.period : implied;
    int hour = clock.hour;
    switch (period) {
        case kAfternoon:
        case kEvening:
            if (hour >= 1 && hour < 12) {
                hour += 12;
            }
            break;
        case kNoon:
            // 中午1点 is 13:00; 中午12点 stays.
            if (hour >= 1 && hour <= 3) {
                hour += 12;
            }
            break;
        case kEarlyMorning:
            if (hour == 12) {
                hour = 0;
            }
            break;
        default:
            break;
    }
    if (hour < 0 || hour > 23) {
        return std::nullopt;
    }
    return hour;
}

std::vector<Mention> scan(std::u32string_view text, ScanMode mode) {
    const Cursor c(text);
    std::vector<Mention> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (auto found = date_at(c, pos, mode)) {
            Mention m;
            m.begin = pos;
            m.end = found->end;
            m.date = found->date;
            m.period = found->date.implied_period;
            out.push_back(m);
            pos = found->end;
            continue;
        }
        if (auto found = clock_at(c, pos)) {
            Mention m;
            m.begin = pos;
            m.end = found->end;
            m.clock = found->clock;
            m.period = found->period;
            out.push_back(m);
            pos = found->end;
            continue;
        }
        ++pos;
    }
    return out;
}

bool is_future_worded(const DateMention& date) {
    switch (date.kind) {
        case DateMention::Kind::day_offset:
        case DateMention::Kind::month_edge:
            return date.offset > 0;
        case DateMention::Kind::weekday:
            return date.week_given && date.offset > 0;
        default:
            return false;
    }
}

std::optional<year_month_day> resolve_date(const DateMention& date, const year_month_day& today) {
    // A month-day further ahead than this is last year's: 12月28日 seen from January.
    constexpr int kAheadDays = 183;
    using std::chrono::day;
    using std::chrono::month;
    using std::chrono::year;
    switch (date.kind) {
        case DateMention::Kind::absolute: {
            const year_month_day out{year{date.year}, month{static_cast<unsigned>(date.month)},
                                     day{static_cast<unsigned>(date.day)}};
            return out.ok() ? std::optional{out} : std::nullopt;
        }
        case DateMention::Kind::month_day: {
            year_month_day out{today.year(), month{static_cast<unsigned>(date.month)},
                               day{static_cast<unsigned>(date.day)}};
            if (out.ok() && sys_days{out} - sys_days{today} > days{kAheadDays}) {
                out = year_month_day{today.year() - std::chrono::years{1}, out.month(), out.day()};
            } else if (!out.ok()) {
                // 2月29日 in a common year can only mean the last leap year's, if that was last
                // year.
                out = year_month_day{today.year() - std::chrono::years{1}, out.month(), out.day()};
            }
            return out.ok() ? std::optional{out} : std::nullopt;
        }
        case DateMention::Kind::day_offset:
            return year_month_day{sys_days{today} + days{date.offset}};
        case DateMention::Kind::month_day_only: {
            const year_month_day out{today.year(), today.month(),
                                     day{static_cast<unsigned>(date.day)}};
            return out.ok() ? std::optional{out} : std::nullopt;
        }
        case DateMention::Kind::month_edge: {
            std::chrono::year_month month_of = today.year() / today.month();
            if (date.month != 0) {
                month_of = today.year() / month{static_cast<unsigned>(date.month)};
                const year_month_day first{month_of / day{1}};
                if (sys_days{first} - sys_days{today} > days{kAheadDays}) {
                    month_of -= std::chrono::years{1};
                }
            } else {
                month_of += std::chrono::months{date.offset};
            }
            if (date.month_end) {
                return year_month_day{std::chrono::year_month_day_last{
                    month_of.year(), std::chrono::month_day_last{month_of.month()}}};
            }
            return year_month_day{month_of / day{1}};
        }
        case DateMention::Kind::weekday: {
            const int today_weekday =
                static_cast<int>(std::chrono::weekday{sys_days{today}}.iso_encoding());
            if (date.week_given) {
                const sys_days monday = sys_days{today} - days{today_weekday - 1};
                return year_month_day{monday + days{7 * date.offset + date.weekday - 1}};
            }
            // A bare 周三 is the most recent Wednesday, today included.
            return year_month_day{sys_days{today} - days{(today_weekday - date.weekday + 7) % 7}};
        }
    }
    return std::nullopt;
}

Tense first_tense(std::u32string_view text) {
    for (const Mention& m : scan(text, ScanMode::free_text)) {
        if (m.date) {
            return is_future_worded(*m.date) ? Tense::future : Tense::past_or_present;
        }
        if (m.clock && (m.clock->colon_form || m.clock->period != kNoPeriod)) {
            return Tense::past_or_present;
        }
    }
    return Tense::none;
}

bool is_after(const Resolved& when, std::int64_t now) {
    if (when.date_only) {
        return sys_days{local_date(when.unix_seconds)} > sys_days{local_date(now)};
    }
    return when.unix_seconds > now + kFutureToleranceSeconds;
}

std::optional<Resolved> find_in_field(std::u32string_view text, std::int64_t now) {
    const std::vector<Mention> mentions = scan(text, ScanMode::field);
    const Mention* date = nullptr;
    for (const Mention& m : mentions) {
        if (m.date) {
            date = &m;
            break;
        }
    }
    // The first clock after the date; failing that, one written before it (下午3点 7月1日).
    const Mention* clock = nullptr;
    const Mention* period = nullptr;
    for (const Mention& m : mentions) {
        if (m.date) {
            continue;
        }
        const bool after_date = !date || m.begin >= date->end;
        if (m.clock && (!clock || (after_date && clock->begin < (date ? date->end : 0)))) {
            clock = &m;
        } else if (!m.clock && !period) {
            period = &m;
        }
    }
    const year_month_day today = today_of(now);
    year_month_day day = today;
    int implied = kNoPeriod;
    if (date) {
        auto resolved = resolve_date(*date->date, today);
        if (!resolved) {
            return std::nullopt;
        }
        day = *resolved;
        implied = date->date->implied_period;
    } else if (!clock) {
        return std::nullopt;
    }
    if (implied == kNoPeriod && period) {
        implied = period->period;
    }
    return combine(day, clock ? &*clock->clock : nullptr, implied);
}

namespace {

// The day and time mention `i` states with the clock written right after it (今天下午3点); a
// weekday in brackets after a date is an annotation (7月1日(周三)下午3点). Empty when the day
// does not exist.
std::optional<Resolved> resolve_mention(std::u32string_view text,
                                        const std::vector<Mention>& mentions, std::size_t i,
                                        const year_month_day& today) {
    const Mention& m = mentions[i];
    auto day = resolve_date(*m.date, today);
    if (!day) {
        return std::nullopt;
    }
    std::size_t next = i + 1;
    std::size_t end = m.end;
    if (next < mentions.size() && mentions[next].date &&
        mentions[next].date->kind == DateMention::Kind::weekday &&
        mentions[next].begin - end <= 1) {
        end = mentions[next].end;
        if (end < text.size() && (text[end] == U')' || text[end] == U'）')) {
            ++end;
        }
        ++next;
    }
    const ClockMention* clock = nullptr;
    int implied = m.date->implied_period;
    if (next < mentions.size() && !mentions[next].date &&
        only_glue(text, end, mentions[next].begin)) {
        const Mention& after = mentions[next];
        if (after.clock && (!after.clock->han_numeral || after.clock->period != kNoPeriod ||
                            implied != kNoPeriod)) {
            clock = &*after.clock;
        }
    }
    return combine(*day, clock, implied);
}

// Without a date: a clock with a period word or in HH:MM form, or a period word alone
// (上午去了…), means today; a bare "3点" does not (有3点意见).
std::optional<Resolved> today_by_clock(const std::vector<Mention>& mentions, std::int64_t now,
                                       bool skip_future) {
    const year_month_day today = today_of(now);
    for (const Mention& m : mentions) {
        if (m.date) {
            continue;
        }
        if (m.clock && (m.clock->colon_form || m.clock->period != kNoPeriod)) {
            const Resolved out = combine(today, &*m.clock, kNoPeriod);
            if (!skip_future || !is_after(out, now)) {
                return out;
            }
        } else if (!m.clock && m.period != kNoPeriod) {
            return combine(today, nullptr, kNoPeriod);
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<Resolved> first_date(std::u32string_view text, std::int64_t now) {
    const std::vector<Mention> mentions = scan(text, ScanMode::free_text);
    const year_month_day today = today_of(now);
    for (std::size_t i = 0; i < mentions.size(); ++i) {
        if (mentions[i].date) {
            if (auto out = resolve_mention(text, mentions, i, today)) {
                return out;
            }
        }
    }
    return today_by_clock(mentions, now, false);
}

std::optional<Resolved> find_in_free_text(std::u32string_view text, std::int64_t now) {
    const std::vector<Mention> mentions = scan(text, ScanMode::free_text);
    const year_month_day today = today_of(now);
    for (std::size_t i = 0; i < mentions.size(); ++i) {
        const Mention& m = mentions[i];
        if (!m.date) {
            continue;
        }
        // A month-day more than a quarter back is something else: a deadline, a founding date.
        if (auto day = resolve_date(*m.date, today);
            !day || (m.date->kind == DateMention::Kind::month_day &&
                     sys_days{today} - sys_days{*day} > days{92})) {
            continue;
        }
        if (auto out = resolve_mention(text, mentions, i, today); out && !is_after(*out, now)) {
            return out;
        }
    }
    return today_by_clock(mentions, now, true);
}

}  // namespace ledgerbot::bot::time::time_expression
