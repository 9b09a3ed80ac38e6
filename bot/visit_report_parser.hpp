#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/directory.hpp"
#include "bot/report_settings.hpp"

namespace ledgerbot::bot {

/// Something the parser saw but could not accept; rendered by templates from `code`.
struct ParseIssue {
    VisitField field = VisitField::company;
    std::string code;   ///< company_not_listed | time_unrecognized | phone_invalid | mode_unrecognized
    std::string value;  ///< what the person wrote

    bool operator==(const ParseIssue&) const = default;
};

/// A visit report as understood from one chat message. A malformed report is a normal value:
/// `missing` and `issues` say what to ask for.
struct ParsedReport {
    bool is_report = false;  ///< the message is (or looks like) a visit report
    bool labelled = false;   ///< written with the labelled template rather than free text
    std::map<VisitField, std::string> values;  ///< accepted values, as normalized text
    std::optional<std::int64_t> company_id;    ///< set when the company is in the qualified list
    std::optional<std::int64_t> visit_time;    ///< unix seconds
    bool visit_time_date_only = false;         ///< only a date was given (time is 00:00 local)
    std::vector<std::string> visitors;
    std::vector<std::string> demands;
    std::vector<VisitField> missing;  ///< required fields without an accepted value, in order
    std::vector<ParseIssue> issues;

    bool has(VisitField field) const { return values.count(field) != 0; }
    std::string value(VisitField field) const;
};

/// True when the text opens with a report header such as 【走访记录】 or [走访记录].
bool has_report_header(std::string_view text, const ReportSettings& settings);

/// Parses a visit report written with the labelled template or as free text. `message_time`
/// (unix seconds) anchors relative dates such as 今天 and 昨天 in Asia/Shanghai time.
ParsedReport parse_visit_report(std::string_view text, std::int64_t message_time,
                                const Directory& directory, const ReportSettings& settings);

/// Parses a date/time expression (`2026-07-01 10:00`, `2026/7/1`, `7月1日 下午3点`, `今天`,
/// `昨天`, …) against `now`. Returns unix seconds and whether only a date was given.
struct ParsedTime {
    std::int64_t unix_seconds = 0;
    bool date_only = false;
};
std::optional<ParsedTime> parse_time_expression(std::string_view text, std::int64_t now);

/// Mainland mobile (11 digits starting 1[3-9]) or landline with area code; separators allowed.
/// Returns the digits-only form when valid.
std::optional<std::string> normalize_phone(std::string_view text);

}  // namespace ledgerbot::bot
