#include "config/holiday_calendar_loader.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "bot/time/civil_time.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace std::chrono;
using ledgerbot::bot::time::format_date;
using ledgerbot::bot::time::WorkingDayCalendar;
using ledgerbot::config::ConfigError;
using ledgerbot::config::holiday_calendar_from_files;
using ledgerbot::config::HolidayFileText;
using ledgerbot::config::load_holiday_calendar;

year_month_day date(int y, unsigned m, unsigned d) {
    return year{y} / month{m} / day{d};
}

// Days off per holiday name in one year, read back through the calendar's public API.
std::map<std::string, int> days_off_by_holiday(const WorkingDayCalendar& calendar, int y) {
    std::map<std::string, int> out;
    for (sys_days d{year{y} / January / 1}; d <= sys_days{year{y} / December / 31}; d += days{1}) {
        if (auto name = calendar.holiday_name(year_month_day{d})) {
            ++out[*name];
        }
    }
    return out;
}

std::vector<std::string> makeup_workdays(const WorkingDayCalendar& calendar, int y) {
    std::vector<std::string> out;
    for (sys_days d{year{y} / January / 1}; d <= sys_days{year{y} / December / 31}; d += days{1}) {
        const weekday w{d};
        if ((w == Saturday || w == Sunday) && calendar.is_working_day(year_month_day{d})) {
            out.push_back(format_date(year_month_day{d}));
        }
    }
    return out;
}

std::string error_of(const std::vector<HolidayFileText>& files) {
    try {
        holiday_calendar_from_files(files);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

constexpr const char* kSpringFestival2026 = R"(year = 2026
[[holiday]]
name = "春节"
from = "2026-02-15"
to = "2026-02-23"
days = 9
workdays = ["2026-02-14", "2026-02-28"]
)";

}  // namespace

TEST_CASE("The shipped holiday files load and cover 2025 and 2026", "[holidays]") {
    const auto files = ledgerbot::config::embedded_holiday_files();
    REQUIRE(files.size() >= 2);
    CHECK(files[0].name == "holidays/2025.toml");
    CHECK(files[1].name == "holidays/2026.toml");

    const WorkingDayCalendar calendar = load_holiday_calendar();
    CHECK(calendar.covers(year{2025}));
    CHECK(calendar.covers(year{2026}));
    CHECK_FALSE(calendar.covers(year{2024}));
}

TEST_CASE("The shipped files hold the days off of each official holiday", "[holidays]") {
    const WorkingDayCalendar calendar = load_holiday_calendar();
    const auto [y, holiday, days_off] = GENERATE(table<int, std::string, int>({
        {2025, "元旦", 1},
        {2025, "春节", 8},
        {2025, "清明节", 3},
        {2025, "劳动节", 5},
        {2025, "端午节", 3},
        {2025, "国庆节、中秋节", 8},
        {2026, "元旦", 3},
        {2026, "春节", 9},
        {2026, "清明节", 3},
        {2026, "劳动节", 5},
        {2026, "端午节", 3},
        {2026, "中秋节", 3},
        {2026, "国庆节", 7},
    }));
    INFO(y << " " << holiday);
    CHECK(days_off_by_holiday(calendar, y)[holiday] == days_off);
}

TEST_CASE("The shipped files have no holiday beyond the official ones", "[holidays]") {
    const WorkingDayCalendar calendar = load_holiday_calendar();
    const auto [y, holidays, total] = GENERATE(table<int, std::size_t, int>({
        {2025, 6, 1 + 8 + 3 + 5 + 3 + 8},
        {2026, 7, 3 + 9 + 3 + 5 + 3 + 3 + 7},
    }));
    INFO(y);
    const auto by_holiday = days_off_by_holiday(calendar, y);
    CHECK(by_holiday.size() == holidays);
    int sum = 0;
    for (const auto& [name, count] : by_holiday) {
        sum += count;
    }
    CHECK(sum == total);
}

TEST_CASE("The shipped files hold exactly the official make-up workdays", "[holidays]") {
    const WorkingDayCalendar calendar = load_holiday_calendar();
    CHECK(makeup_workdays(calendar, 2025) == std::vector<std::string>{"2025-01-26", "2025-02-08",
                                                                      "2025-04-27", "2025-09-28",
                                                                      "2025-10-11"});
    CHECK(makeup_workdays(calendar, 2026) == std::vector<std::string>{"2026-01-04", "2026-02-14",
                                                                      "2026-02-28", "2026-05-09",
                                                                      "2026-09-20", "2026-10-10"});
}

TEST_CASE("The shipped calendar gives the Spring Festival 2026 deadline", "[holidays]") {
    const WorkingDayCalendar calendar = load_holiday_calendar();
    CHECK(format_date(calendar.add_working_days(date(2026, 2, 13), 3)) == "2026-02-25");
    CHECK(calendar.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 248);
}

TEST_CASE("A broken holiday file is refused with a message naming the file and the key",
          "[holidays]") {
    const auto [what, name, text, expected] =
        GENERATE(table<std::string, std::string, std::string, std::vector<std::string>>({
            {"an impossible date",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-30\"\ndays = 16\n",
             {"2026.toml", "'holiday[0].to'", "2026-02-30", "line 5"}},
            {"a date in another shape",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026/02/15\"\n"
             "to = \"2026-02-23\"\ndays = 9\n",
             {"2026.toml", "'holiday[0].from'", "2026/02/15"}},
            {"a date that is not text",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = 20260215\n"
             "to = \"2026-02-23\"\ndays = 9\n",
             {"2026.toml", "'holiday[0].from'", "must be a date"}},
            {"an unknown key in a holiday",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\ndays = 9\nworkday = [\"2026-02-14\"]\n",
             {"2026.toml", "'holiday[0].workday'", "not a known key", "line 7"}},
            {"an unknown top-level key",
             "2026.toml",
             std::string(kSpringFestival2026) + "[notes]\ntext = \"x\"\n",
             {"2026.toml", "'notes'", "not a known key"}},
            {"a make-up workday on a weekday",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\ndays = 9\nworkdays = [\"2026-02-14\", \"2026-02-27\"]\n",
             {"2026.toml", "'holiday[0].workdays[1]'", "2026-02-27", "Saturday or a Sunday"}},
            {"a make-up workday inside the holiday",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\ndays = 9\nworkdays = [\"2026-02-21\"]\n",
             {"2026.toml", "'holiday[0].workdays[0]'", "2026-02-21", "day off"}},
            {"a make-up workday listed twice",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\ndays = 9\nworkdays = [\"2026-02-14\", \"2026-02-14\"]\n",
             {"2026.toml", "'holiday[0].workdays[1]'", "listed twice"}},
            {"a holiday outside its year",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"国庆节\"\nfrom = \"2025-10-01\"\n"
             "to = \"2025-10-07\"\ndays = 7\n",
             {"2026.toml", "'holiday[0].from'", "2025-10-01", "not in 2026"}},
            {"a make-up workday outside its year",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"元旦\"\nfrom = \"2026-01-01\"\n"
             "to = \"2026-01-03\"\ndays = 3\nworkdays = [\"2027-01-04\"]\n",
             {"2026.toml", "'holiday[0].workdays[0]'", "not in 2026"}},
            {"a day count that disagrees with the dates",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\ndays = 8\n",
             {"2026.toml", "'holiday[0].days'", "is 9 days", "春节"}},
            {"a holiday ending before it starts",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-23\"\n"
             "to = \"2026-02-15\"\ndays = 9\n",
             {"2026.toml", "'holiday[0].to'", "before"}},
            {"a missing day count",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\n",
             {"2026.toml", "'holiday[0].days'", "missing"}},
            {"an empty holiday name",
             "2026.toml",
             "year = 2026\n[[holiday]]\nname = \"\"\nfrom = \"2026-02-15\"\n"
             "to = \"2026-02-23\"\ndays = 9\n",
             {"2026.toml", "'holiday[0].name'"}},
            {"overlapping holidays",
             "2026.toml",
             std::string(kSpringFestival2026) +
                 "[[holiday]]\nname = \"元宵\"\nfrom = \"2026-02-23\"\nto = \"2026-02-23\"\n"
                 "days = 1\n",
             {"2026.toml", "'holiday[1]'", "overlaps 春节", "2026-02-23"}},
            {"a file without holidays",
             "2026.toml",
             "year = 2026\nholiday = []\n",
             {"2026.toml", "'holiday'"}},
            {"a year that disagrees with the file name",
             "2027.toml",
             kSpringFestival2026,
             {"2027.toml", "'year'", "2026"}},
            {"a file not named after its year",
             "holidays.toml",
             kSpringFestival2026,
             {"holidays.toml", "named after its year"}},
            {"a TOML syntax error", "2026.toml", "year = 2026\n[[holiday]\n", {"2026.toml:2"}},
        }));
    INFO(what);
    const std::string message = error_of({{name, text}});
    INFO(message);
    for (const std::string& part : expected) {
        CHECK(message.find(part) != std::string::npos);
    }
}

TEST_CASE("A bare TOML date is read like a quoted one", "[holidays]") {
    const WorkingDayCalendar calendar = holiday_calendar_from_files(
        {{"2026.toml",
          "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = 2026-02-15\nto = 2026-02-23\n"
          "days = 9\nworkdays = [2026-02-14]\n"}});
    CHECK(calendar.is_working_day(date(2026, 2, 14)));
    CHECK_FALSE(calendar.is_working_day(date(2026, 2, 16)));
}

TEST_CASE("A New Year arrangement may start in December of the year before", "[holidays]") {
    // As in the 2019 notice: 2018-12-30 to 2019-01-01 off, Saturday 2018-12-29 worked.
    const WorkingDayCalendar calendar = holiday_calendar_from_files(
        {{"2019.toml",
          "year = 2019\n[[holiday]]\nname = \"元旦\"\nfrom = \"2018-12-30\"\n"
          "to = \"2019-01-01\"\ndays = 3\nworkdays = [\"2018-12-29\"]\n"}});
    CHECK(calendar.covers(year{2019}));
    CHECK_FALSE(calendar.covers(year{2018}));
    CHECK(calendar.is_working_day(date(2018, 12, 29)));
    CHECK_FALSE(calendar.is_working_day(date(2018, 12, 31)));
    CHECK(calendar.holiday_name(date(2018, 12, 31)) == std::optional<std::string>("元旦"));
}

TEST_CASE("A date claimed by two years' files is refused naming both files", "[holidays]") {
    const std::string message = error_of({
        {"2018.toml",
         "year = 2018\n[[holiday]]\nname = \"调整\"\nfrom = \"2018-12-31\"\n"
         "to = \"2018-12-31\"\ndays = 1\n"},
        {"2019.toml",
         "year = 2019\n[[holiday]]\nname = \"元旦\"\nfrom = \"2018-12-30\"\n"
         "to = \"2019-01-01\"\ndays = 3\n"},
    });
    CHECK(message.find("2018-12-31") != std::string::npos);
    CHECK(message.find("2018.toml") != std::string::npos);
    CHECK(message.find("2019.toml") != std::string::npos);
}

TEST_CASE("A later file for the same year replaces the earlier one", "[holidays]") {
    const WorkingDayCalendar calendar = holiday_calendar_from_files({
        {"2026.toml", kSpringFestival2026},
        {"2026.toml",
         "year = 2026\n[[holiday]]\nname = \"元旦\"\nfrom = \"2026-01-01\"\n"
         "to = \"2026-01-03\"\ndays = 3\n"},
    });
    CHECK(calendar.is_working_day(date(2026, 2, 16)));
    CHECK_FALSE(calendar.is_working_day(date(2026, 2, 14)));
    CHECK_FALSE(calendar.is_working_day(date(2026, 1, 2)));
}

TEST_CASE("Holiday files in a directory add years and replace the embedded ones", "[holidays]") {
    ledgerbot::testing::TempDir dir;
    write_file(dir / "2027.toml",
               "year = 2027\n[[holiday]]\nname = \"元旦\"\nfrom = \"2027-01-01\"\n"
               "to = \"2027-01-01\"\ndays = 1\n");
    // A corrected 2026: 春节 moved by a week (made up, to see the file win).
    write_file(dir / "2026.toml",
               "year = 2026\n[[holiday]]\nname = \"春节\"\nfrom = \"2026-02-22\"\n"
               "to = \"2026-02-26\"\ndays = 5\n");
    write_file(dir / "README.txt", "Holiday files go here, one per year.\n");

    const WorkingDayCalendar calendar = load_holiday_calendar(dir.path());
    CHECK(calendar.covers(year{2025}));
    CHECK(calendar.covers(year{2026}));
    CHECK(calendar.covers(year{2027}));
    CHECK_FALSE(calendar.is_working_day(date(2027, 1, 1)));
    CHECK(calendar.is_working_day(date(2026, 2, 16)));
    CHECK_FALSE(calendar.is_working_day(date(2026, 2, 26)));
    // The embedded 2026 is gone entirely, 国庆 and its make-up Saturday with it.
    CHECK(calendar.is_working_day(date(2026, 10, 7)));
    CHECK_FALSE(calendar.is_working_day(date(2026, 10, 10)));
    CHECK_FALSE(calendar.is_working_day(date(2025, 10, 8)));  // embedded 2025 still applies
}

TEST_CASE("A badly named file in the holiday directory is refused", "[holidays]") {
    ledgerbot::testing::TempDir dir;
    write_file(dir / "2027-holidays.toml", "year = 2027\n");
    try {
        load_holiday_calendar(dir.path());
        FAIL("no error");
    } catch (const ConfigError& error) {
        CHECK(std::string(error.what()).find("2027-holidays.toml") != std::string::npos);
    }
}

TEST_CASE("A missing holiday directory is refused", "[holidays]") {
    ledgerbot::testing::TempDir dir;
    CHECK_THROWS_AS(load_holiday_calendar(dir / "missing"), ConfigError);
}
