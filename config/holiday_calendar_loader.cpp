#include "config/holiday_calendar_loader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::config {

// Generated from config/*.toml and config/holidays/*.toml by cmake/embed_files.cmake, keyed by
// file name without its directory.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_config_files();

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kFirstYear = 1990;
constexpr std::int64_t kLastYear = 2200;

struct HolidayRange {
    std::string name;
    year_month_day from;
    year_month_day to;
};

struct HolidayFile {
    std::string origin;
    int year = 0;
    std::vector<HolidayRange> holidays;
    std::vector<year_month_day> workdays;
};

// Holiday files are named after their year so that the embedded table (flat file names) can
// tell them from the other config files, and so that a copied file whose `year` was not updated
// is caught.
std::optional<int> year_of_file_name(std::string_view name) {
    const std::string file = std::filesystem::path(std::string(name)).filename().string();
    if (file.size() != 9 || file.substr(4) != ".toml") {
        return std::nullopt;
    }
    int year = 0;
    for (char c : file.substr(0, 4)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        year = year * 10 + (c - '0');
    }
    return year;
}

// A date as read, with its node so that later checks can point at its line.
struct DateAt {
    year_month_day date;
    const toml::node* node = nullptr;
};

bool is_weekend(const year_month_day& date) {
    const std::chrono::weekday weekday{sys_days{date}};
    return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

/// Strict reading of one table of a holiday file: every key must be read by name, and `finish`
/// rejects the rest, so a misspelt `workday` is an error rather than a silently missing 调休.
/// Messages name the file, the key and the line.
class HolidayTableReader {
public:
    HolidayTableReader(const toml::table& table, std::string origin, std::string path)
        : table_(table), origin_(std::move(origin)), path_(std::move(path)) {}

    std::string key_path(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    [[noreturn]] void fail(std::string_view key, std::string_view problem,
                           const toml::node* node) const {
        std::ostringstream out;
        out << "config: " << origin_ << ": '" << key_path(key) << "' " << problem;
        if (node && node->source().begin) {
            out << " (line " << node->source().begin.line << ")";
        }
        throw ConfigError(out.str());
    }

    const toml::node* node_of(std::string_view key) const { return table_.get(key); }

    const toml::node* find(std::string_view key) {
        used_.emplace(key);
        return table_.get(key);
    }

    const toml::node& require(std::string_view key) {
        const toml::node* node = find(key);
        if (!node) {
            fail(key, "is missing", nullptr);
        }
        return *node;
    }

    std::string string(std::string_view key) {
        const toml::node& node = require(key);
        auto value = node.value_exact<std::string>();
        if (!value || value->empty()) {
            fail(key, "must be a non-empty string", &node);
        }
        return *value;
    }

    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) {
        const toml::node& node = require(key);
        auto value = node.value_exact<std::int64_t>();
        if (!value || *value < min || *value > max) {
            fail(key,
                 "must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
                 &node);
        }
        return *value;
    }

    DateAt date(std::string_view key) {
        const toml::node& node = require(key);
        return {to_date(key, node), &node};
    }

    /// An absent key reads as an empty list: most holidays have no make-up workday.
    std::vector<DateAt> optional_dates(std::string_view key) {
        std::vector<DateAt> out;
        const toml::node* node = find(key);
        if (!node) {
            return out;
        }
        const toml::array* array = node->as_array();
        if (!array) {
            fail(key, R"(must be a list of dates like ["2026-02-14"])", node);
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::node& element = (*array)[i];
            out.push_back(
                {to_date(std::string(key) + "[" + std::to_string(i) + "]", element), &element});
        }
        return out;
    }

    std::vector<HolidayTableReader> tables(std::string_view key) {
        const toml::node& node = require(key);
        const toml::array* array = node.as_array();
        if (!array || array->empty()) {
            fail(key, "must list at least one [[" + std::string(key) + "]] table", &node);
        }
        std::vector<HolidayTableReader> out;
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::table* sub = (*array)[i].as_table();
            if (!sub) {
                fail(key, "must be a list of tables", &(*array)[i]);
            }
            out.emplace_back(*sub, origin_, key_path(key) + "[" + std::to_string(i) + "]");
        }
        return out;
    }

    void finish() const {
        for (auto&& [key, node] : table_) {
            if (!used_.count(std::string(key.str()))) {
                fail(key.str(), "is not a known key", &node);
            }
        }
    }

private:
    // Quoted "YYYY-MM-DD" is what the shipped files use; a bare TOML date (2026-02-14) means the
    // same and is accepted so that a clerk who drops the quotes is not stopped for it.
    year_month_day to_date(std::string_view key, const toml::node& node) const {
        const std::string expected = R"(must be a date like "2026-02-14")";
        if (auto native = node.value_exact<toml::date>()) {
            const year_month_day date{std::chrono::year{native->year},
                                      std::chrono::month{native->month},
                                      std::chrono::day{native->day}};
            if (!date.ok()) {
                fail(key, expected, &node);
            }
            return date;
        }
        auto text = node.value_exact<std::string>();
        if (!text) {
            fail(key, expected, &node);
        }
        const std::string& s = *text;
        bool shaped = s.size() == 10;
        for (std::size_t i = 0; shaped && i < s.size(); ++i) {
            shaped = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
        }
        if (!shaped) {
            fail(key, expected + ", not \"" + s + "\"", &node);
        }
        const auto number = [&s](std::size_t pos, std::size_t count) {
            return static_cast<unsigned>(std::stoi(s.substr(pos, count)));
        };
        const year_month_day date{std::chrono::year{static_cast<int>(number(0, 4))},
                                  std::chrono::month{number(5, 2)}, std::chrono::day{number(8, 2)}};
        if (!date.ok()) {
            fail(key, "is not a calendar date: \"" + s + "\"", &node);
        }
        return date;
    }

    const toml::table& table_;
    std::string origin_;
    std::string path_;
    std::set<std::string, std::less<>> used_;
};

toml::table parse(const HolidayFileText& file) {
    try {
        return toml::parse(file.text, file.name);
    } catch (const toml::parse_error& error) {
        std::ostringstream out;
        out << "config: " << file.name << ":" << error.source().begin.line << ": "
            << error.description();
        throw ConfigError(out.str());
    }
}

HolidayFile read_holiday_file(const HolidayFileText& file) {
    const auto named_year = year_of_file_name(file.name);
    if (!named_year) {
        throw ConfigError("config: " + file.name +
                          ": a holiday file must be named after its year, like 2026.toml");
    }
    const toml::table root = parse(file);
    HolidayTableReader top(root, file.name, "");

    HolidayFile out;
    out.origin = file.name;
    out.year = static_cast<int>(top.integer("year", kFirstYear, kLastYear));
    if (out.year != *named_year) {
        top.fail("year",
                 "is " + std::to_string(out.year) + " but the file is named " +
                     std::to_string(*named_year) + ".toml",
                 top.node_of("year"));
    }
    // The notice for a year sometimes starts its 元旦 arrangement in the last days of the year
    // before (the 2019 notice: 2018-12-30 to 2019-01-01 off, Saturday 2018-12-29 worked), so
    // December of the previous year is allowed; anything else outside the year is a typo.
    const year_month_day first_allowed{std::chrono::year{out.year - 1} / std::chrono::December / 1};
    const year_month_day last_allowed{std::chrono::year{out.year} / std::chrono::December / 31};
    const auto check_in_year = [&](const HolidayTableReader& reader, std::string_view key,
                                   const DateAt& at) {
        if (sys_days{at.date} < sys_days{first_allowed} ||
            sys_days{at.date} > sys_days{last_allowed}) {
            reader.fail(key,
                        bot::time::format_date(at.date) + " is not in " + std::to_string(out.year) +
                            " (nor in December " + std::to_string(out.year - 1) + ")",
                        at.node);
        }
    };

    std::vector<HolidayTableReader> holidays = top.tables("holiday");
    std::vector<std::pair<year_month_day, std::string>> workday_keys;
    for (HolidayTableReader& holiday : holidays) {
        HolidayRange range;
        range.name = holiday.string("name");
        const DateAt from = holiday.date("from");
        const DateAt to = holiday.date("to");
        const std::int64_t days_stated = holiday.integer("days", 1, 366);
        check_in_year(holiday, "from", from);
        check_in_year(holiday, "to", to);
        range.from = from.date;
        range.to = to.date;
        const std::int64_t days_spanned = (sys_days{range.to} - sys_days{range.from}).count() + 1;
        if (days_spanned < 1) {
            holiday.fail("to",
                         bot::time::format_date(range.to) + " is before 'from' " +
                             bot::time::format_date(range.from) + " (" + range.name + ")",
                         to.node);
        }
        if (days_spanned != days_stated) {
            holiday.fail("days",
                         "is " + std::to_string(days_stated) + " but " +
                             bot::time::format_date(range.from) + " to " +
                             bot::time::format_date(range.to) + " is " +
                             std::to_string(days_spanned) + " days (" + range.name + ")",
                         holiday.node_of("days"));
        }
        const std::vector<DateAt> workdays = holiday.optional_dates("workdays");
        for (std::size_t i = 0; i < workdays.size(); ++i) {
            const std::string key = "workdays[" + std::to_string(i) + "]";
            check_in_year(holiday, key, workdays[i]);
            if (!is_weekend(workdays[i].date)) {
                holiday.fail(key,
                             bot::time::format_date(workdays[i].date) +
                                 " is a weekday; a make-up workday (调休上班) must be a "
                                 "Saturday or a Sunday (" +
                                 range.name + ")",
                             workdays[i].node);
            }
            out.workdays.push_back(workdays[i].date);
            workday_keys.emplace_back(workdays[i].date, holiday.key_path(key));
        }
        holiday.finish();
        out.holidays.push_back(std::move(range));
    }
    top.finish();

    // Overlaps within one notice are typos (a combined holiday such as 2025's 国庆节、中秋节 is
    // one entry), and a day cannot be both off and worked.
    std::map<sys_days, std::string> taken;
    for (std::size_t i = 0; i < out.holidays.size(); ++i) {
        const HolidayRange& range = out.holidays[i];
        for (sys_days day{range.from}; day <= sys_days{range.to}; day += days{1}) {
            auto [it, inserted] = taken.emplace(day, range.name);
            if (!inserted) {
                throw ConfigError("config: " + file.name + ": 'holiday[" + std::to_string(i) +
                                  "]' (" + range.name + ") overlaps " + it->second + " on " +
                                  bot::time::format_date(year_month_day{day}));
            }
        }
    }
    std::set<sys_days> workdays_seen;
    for (const auto& [date, key] : workday_keys) {
        if (auto it = taken.find(sys_days{date}); it != taken.end()) {
            throw ConfigError("config: " + file.name + ": '" + key + "' " +
                              bot::time::format_date(date) + " is also a day off of " + it->second);
        }
        if (!workdays_seen.insert(sys_days{date}).second) {
            throw ConfigError("config: " + file.name + ": '" + key + "' " +
                              bot::time::format_date(date) + " is listed twice");
        }
    }
    return out;
}

bot::time::WorkingDayCalendar build_calendar(const std::vector<HolidayFile>& files) {
    bot::time::CalendarData data;
    // Which file claimed each date, so a clash between two years' files names both.
    std::map<sys_days, std::string> claimed;
    const auto claim = [&](const HolidayFile& file, const year_month_day& date) {
        auto [it, inserted] = claimed.emplace(sys_days{date}, file.origin);
        if (!inserted) {
            throw ConfigError("config: " + file.origin + ": " + bot::time::format_date(date) +
                              " is also listed in " + it->second);
        }
    };
    for (const HolidayFile& file : files) {
        data.covered_years.push_back(std::chrono::year{file.year});
        for (const HolidayRange& range : file.holidays) {
            for (sys_days day{range.from}; day <= sys_days{range.to}; day += days{1}) {
                claim(file, year_month_day{day});
                data.holidays.push_back({year_month_day{day}, range.name});
            }
        }
        for (const year_month_day& date : file.workdays) {
            claim(file, date);
            data.makeup_workdays.push_back(date);
        }
    }
    return bot::time::WorkingDayCalendar(std::move(data));
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError("config: cannot read " + path.string());
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

}  // namespace

std::vector<HolidayFileText> embedded_holiday_files() {
    std::vector<HolidayFileText> out;
    for (const auto& [name, contents] : embedded_config_files()) {
        if (year_of_file_name(name)) {
            out.push_back({"holidays/" + std::string(name), std::string(contents)});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const HolidayFileText& a, const HolidayFileText& b) { return a.name < b.name; });
    return out;
}

bot::time::WorkingDayCalendar holiday_calendar_from_files(
    const std::vector<HolidayFileText>& files) {
    std::map<int, HolidayFile> by_year;
    for (const HolidayFileText& text : files) {
        HolidayFile file = read_holiday_file(text);
        const int year = file.year;
        by_year.insert_or_assign(year, std::move(file));
    }
    std::vector<HolidayFile> ordered;
    for (auto& [year, file] : by_year) {
        ordered.push_back(std::move(file));
    }
    return build_calendar(ordered);
}

bot::time::WorkingDayCalendar load_holiday_calendar(
    const std::optional<std::filesystem::path>& extra_directory) {
    std::vector<HolidayFileText> files = embedded_holiday_files();
    if (extra_directory) {
        std::error_code error;
        std::filesystem::directory_iterator entries(*extra_directory, error);
        if (error) {
            throw ConfigError("config: cannot read holiday directory " + extra_directory->string() +
                              ": " + error.message());
        }
        std::vector<std::filesystem::path> paths;
        for (const auto& entry : entries) {
            // Other files (a README, an editor's backup) are the clerk's business; only .toml
            // files are calendars.
            if (entry.is_regular_file() && entry.path().extension() == ".toml") {
                paths.push_back(entry.path());
            }
        }
        std::sort(paths.begin(), paths.end());
        for (const auto& path : paths) {
            files.push_back({path.string(), read_text_file(path)});
        }
    }
    return holiday_calendar_from_files(files);
}

}  // namespace ledgerbot::config
