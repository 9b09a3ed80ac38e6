#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Calendar arithmetic on unix seconds. The centre works in Asia/Shanghai, which has had a fixed
/// UTC+08:00 offset without daylight saving since 1991, so a fixed offset is exact for every
/// date we handle (GCC 12's libstdc++ has no time-zone database yet).
namespace ledgerbot::bot::time {

inline constexpr int kShanghaiOffsetSeconds = 8 * 3600;

struct LocalDateTime {
    std::chrono::year_month_day date;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

/// Local civil time at `unix_seconds` for a zone at a fixed offset from UTC.
LocalDateTime to_local(std::int64_t unix_seconds, int offset_seconds = kShanghaiOffsetSeconds);
/// Unix seconds of a local civil time; the date must be valid.
std::int64_t from_local(const std::chrono::year_month_day& date, int hour, int minute, int second,
                        int offset_seconds = kShanghaiOffsetSeconds);
std::chrono::year_month_day local_date(std::int64_t unix_seconds,
                                       int offset_seconds = kShanghaiOffsetSeconds);

/// Parses RFC 3339 (`2026-11-23T10:15:00Z`, `…+08:00`, optional fraction). Returns unix seconds.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);
/// Parses a calendar date written `2026-11-23` (also `2026/11/23`); nullopt when it is not one.
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);
/// Formats with the given offset, e.g. `2026-11-23T18:15:00+08:00`.
std::string format_rfc3339(std::int64_t unix_seconds, int offset_seconds = kShanghaiOffsetSeconds);
/// `2026-11-23 18:15` in local time: the form people read in chat answers.
std::string format_local_minutes(std::int64_t unix_seconds,
                                 int offset_seconds = kShanghaiOffsetSeconds);
std::string format_date(const std::chrono::year_month_day& date);

}  // namespace ledgerbot::bot::time
