#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// The periods scores are summed over, in Asia/Shanghai: ISO weeks (Monday 00:00 to Sunday
/// 23:59:59) for the Monday table, calendar years for the annual ranking.
namespace ledgerbot::bot::time {

struct ScorePeriod {
    std::string label;      ///< 2026-W47 or 2026
    std::int64_t from = 0;  ///< first second
    std::int64_t to = 0;    ///< last second

    bool operator==(const ScorePeriod&) const = default;
};

/// `2026-W47` → that ISO week; nullopt for anything else or a week the year does not have.
std::optional<ScorePeriod> parse_week(std::string_view label);
/// `2026` → that calendar year.
std::optional<ScorePeriod> parse_year(std::string_view label);
/// The ISO week `unix_seconds` falls in, and the one before it.
ScorePeriod week_of(std::int64_t unix_seconds);
ScorePeriod previous_week(std::int64_t unix_seconds);
ScorePeriod year_of(std::int64_t unix_seconds);

}  // namespace ledgerbot::bot::time
