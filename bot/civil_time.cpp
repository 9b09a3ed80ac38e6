#include "bot/civil_time.hpp"

#include <cstdio>

namespace ledgerbot::bot {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
    if (pos + count > text.size()) {
        return false;
    }
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    return true;
}

}  // namespace

LocalDateTime to_local(std::int64_t unix_seconds, int offset_seconds) {
    const std::int64_t local = unix_seconds + offset_seconds;
    const std::int64_t day_number = floor_div(local, 86400);
    const std::int64_t seconds_of_day = local - day_number * 86400;
    LocalDateTime out;
    out.date = std::chrono::year_month_day{sys_days{days{day_number}}};
    out.hour = static_cast<int>(seconds_of_day / 3600);
    out.minute = static_cast<int>(seconds_of_day / 60 % 60);
    out.second = static_cast<int>(seconds_of_day % 60);
    return out;
}

std::int64_t from_local(const std::chrono::year_month_day& date, int hour, int minute, int second,
                        int offset_seconds) {
    const std::int64_t day_number = sys_days{date}.time_since_epoch().count();
    return day_number * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::chrono::year_month_day local_date(std::int64_t unix_seconds, int offset_seconds) {
    return to_local(unix_seconds, offset_seconds).date;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
        !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
        !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) ||
        text[16] != ':' || !read_digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
    }
    int offset = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int oh = 0, om = 0;
        if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !read_digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year},
                                           std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    // Second 60 (leap second) is accepted by RFC 3339 and folded into the next minute.
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    return from_local(date, hour, minute, second, offset);
}

std::string format_rfc3339(std::int64_t unix_seconds, int offset_seconds) {
    const LocalDateTime t = to_local(unix_seconds, offset_seconds);
    char buffer[40];
    const int abs_offset = offset_seconds < 0 ? -offset_seconds : offset_seconds;
    if (offset_seconds == 0) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                      static_cast<int>(t.date.year()), static_cast<unsigned>(t.date.month()),
                      static_cast<unsigned>(t.date.day()), t.hour, t.minute, t.second);
    } else {
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
                      static_cast<int>(t.date.year()), static_cast<unsigned>(t.date.month()),
                      static_cast<unsigned>(t.date.day()), t.hour, t.minute, t.second,
                      offset_seconds < 0 ? '-' : '+', abs_offset / 3600, abs_offset / 60 % 60);
    }
    return buffer;
}

std::string format_local_minutes(std::int64_t unix_seconds, int offset_seconds) {
    const LocalDateTime t = to_local(unix_seconds, offset_seconds);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s %02d:%02d", format_date(t.date).c_str(), t.hour,
                  t.minute);
    return buffer;
}

std::string format_date(const std::chrono::year_month_day& date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

}  // namespace ledgerbot::bot
