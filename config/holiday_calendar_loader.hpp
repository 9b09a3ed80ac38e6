#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bot/time/working_day_calendar.hpp"
#include "config/config_loader.hpp"

namespace ledgerbot::config {

/// One holiday file as text. `name` is what error messages call it (a path or
/// "holidays/2026.toml"); its file name must be `<year>.toml` and match the file's `year`.
struct HolidayFileText {
    std::string name;
    std::string text;
};

/// The holiday files built into the binary (config/holidays/<year>.toml), in year order.
std::vector<HolidayFileText> embedded_holiday_files();

/// The working-day calendar from the embedded holiday files, then every `<year>.toml` in
/// `extra_directory` when given. A file in the directory replaces the embedded file of the same
/// year, so a new year's notice, or a changed one, is applied without a rebuild. Any problem
/// throws ConfigError naming the file, the key and the line.
bot::time::WorkingDayCalendar load_holiday_calendar(
    const std::optional<std::filesystem::path>& extra_directory = std::nullopt);

/// The same from texts in memory. A later file for a year replaces an earlier one.
bot::time::WorkingDayCalendar holiday_calendar_from_files(
    const std::vector<HolidayFileText>& files);

}  // namespace ledgerbot::config
