#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Calendar quarters as 第六条 counts visits (每季度不少于1次): 2026-Q4 from its first to its last
/// second in Asia/Shanghai.
namespace ledgerbot::bot::time {

struct Quarter {
    int year = 0;
    int number = 0;
    std::int64_t from = 0;  ///< first second, local
    std::int64_t to = 0;    ///< last second, local
    std::string label;      ///< 2026-Q4
};

/// Throws std::invalid_argument unless 1 <= number <= 4.
Quarter make_quarter(int year, int number);
/// The quarter `unix_seconds` lies in (local time).
Quarter quarter_at(std::int64_t unix_seconds);
/// A quarter as people type it: 2026-Q4, 2026Q4, 2026q4, ２０２６Ｑ４, or Q4 (of the year of
/// `now`); nullopt for anything else.
std::optional<Quarter> parse_quarter(std::string_view text, std::int64_t now);

}  // namespace ledgerbot::bot::time
