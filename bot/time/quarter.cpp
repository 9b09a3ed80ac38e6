#include "bot/time/quarter.hpp"

#include <chrono>
#include <regex>

#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/working_day_calendar.hpp"

namespace ledgerbot::bot::time {

Quarter make_quarter(int year, int number) {
    Quarter q;
    q.year = year;
    q.number = number;
    q.from = from_local(quarter_start(std::chrono::year{year}, number), 0, 0, 0);
    q.to = from_local(quarter_end(std::chrono::year{year}, number), 23, 59, 59);
    q.label = std::to_string(year) + "-Q" + std::to_string(number);
    return q;
}

Quarter quarter_at(std::int64_t unix_seconds) {
    const auto date = local_date(unix_seconds);
    return make_quarter(static_cast<int>(date.year()), quarter_of(date));
}

std::optional<Quarter> parse_quarter(std::string_view text, std::int64_t now) {
    const std::string folded = text::encode_utf8(text::fold_width(text::decode_utf8(text)));
    static const std::regex kForm(R"(^(?:(\d{4})-?)?[Qq]([1-4])$)");
    std::smatch match;
    if (!std::regex_match(folded, match, kForm)) {
        return std::nullopt;
    }
    const int year =
        match[1].matched ? std::stoi(match[1].str()) : static_cast<int>(local_date(now).year());
    return make_quarter(year, match[2].str()[0] - '0');
}

}  // namespace ledgerbot::bot::time
