#include "bot/time/civil_time.hpp"

#include <algorithm>

#include <date/date.h>

#include <regex>
#include <sstream>

namespace ledgerbot::bot::time {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

// RFC 3339's date-time production: exact digit counts, 'T' (or a space, as the RFC allows),
// an optional fraction, and 'Z' or a ±hh:mm offset. date::parse then checks the calendar.
const std::regex& rfc3339_shape() {
    static const std::regex kShape(
        R"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))",
        std::regex::optimize);
    return kShape;
}

}  // namespace

LocalDateTime to_local(std::int64_t unix_seconds, int offset_seconds) {
    const sys_seconds local{seconds{unix_seconds + offset_seconds}};
    const sys_days day = std::chrono::floor<days>(local);
    const std::chrono::hh_mm_ss time_of_day{local - day};
    LocalDateTime out;
    out.date = std::chrono::year_month_day{day};
    out.hour = static_cast<int>(time_of_day.hours().count());
    out.minute = static_cast<int>(time_of_day.minutes().count());
    out.second = static_cast<int>(time_of_day.seconds().count());
    return out;
}

std::int64_t from_local(const std::chrono::year_month_day& date, int hour, int minute, int second,
                        int offset_seconds) {
    const sys_seconds local =
        sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} + seconds{second};
    return local.time_since_epoch().count() - offset_seconds;
}

std::chrono::year_month_day local_date(std::int64_t unix_seconds, int offset_seconds) {
    return to_local(unix_seconds, offset_seconds).date;
}

// GCC 12 warns that date::parse may read an uninitialised seconds value once it is inlined here;
// it is only read after it was parsed.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    std::match_results<std::string_view::const_iterator> shape;
    if (!std::regex_match(text.begin(), text.end(), shape, rfc3339_shape())) {
        return std::nullopt;
    }
    std::string normalized(text);
    normalized[10] = 'T';
    const std::string zone = shape[3].str();
    if (zone != "Z" && zone != "z" &&
        (std::stoi(zone.substr(1, 2)) > 23 || std::stoi(zone.substr(4, 2)) > 59)) {
        return std::nullopt;
    }
    // Replaced from the end so the earlier positions stay valid: the zone in the ±hh:mm form
    // date::parse reads, no fraction (the instant is floored to the second), and a leap second
    // (:60, allowed by RFC 3339) as :59 plus one second.
    normalized.replace(static_cast<std::size_t>(shape.position(3)), zone.size(),
                       zone == "Z" || zone == "z" ? "+00:00" : zone);
    if (shape[2].matched) {
        normalized.erase(static_cast<std::size_t>(shape.position(2)),
                         static_cast<std::size_t>(shape.length(2)));
    }
    const bool leap_second = shape[1].str() == "60";
    if (leap_second) {
        normalized.replace(static_cast<std::size_t>(shape.position(1)), 2, "59");
    }
    std::istringstream in(normalized);
    sys_seconds instant;
    in >> date::parse("%FT%T%Ez", instant);
    if (in.fail()) {
        return std::nullopt;
    }
    return instant.time_since_epoch().count() + (leap_second ? 1 : 0);
}
#pragma GCC diagnostic pop

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
    std::string normalized(text);
    std::replace(normalized.begin(), normalized.end(), '/', '-');
    std::istringstream in(normalized);
    date::year_month_day parsed{};
    in >> date::parse("%F", parsed);
    if (in.fail() || in.peek() != std::char_traits<char>::eof() || !parsed.ok()) {
        return std::nullopt;
    }
    return std::chrono::year_month_day{std::chrono::year{int(parsed.year())},
                                       std::chrono::month{unsigned(parsed.month())},
                                       std::chrono::day{unsigned(parsed.day())}};
}

std::string format_rfc3339(std::int64_t unix_seconds, int offset_seconds) {
    const sys_seconds local{seconds{unix_seconds + offset_seconds}};
    std::string out = date::format("%FT%T", local);
    if (offset_seconds == 0) {
        return out + "Z";
    }
    const int minutes = (offset_seconds < 0 ? -offset_seconds : offset_seconds) / 60;
    out += offset_seconds < 0 ? '-' : '+';
    out += date::format("%H:%M", sys_seconds{std::chrono::minutes{minutes}});
    return out;
}

std::string format_local_minutes(std::int64_t unix_seconds, int offset_seconds) {
    return date::format("%F %R", sys_seconds{seconds{unix_seconds + offset_seconds}});
}

std::string format_date(const std::chrono::year_month_day& date) {
    return date::format("%F", sys_days{date});
}

}  // namespace ledgerbot::bot::time
