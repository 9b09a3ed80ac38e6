#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/settings/report_settings.hpp"

/// The visit report (走访记录) parser: what staff type on a phone in, the fields of a record out.
///
/// Labelled reports: an optional header (【走访记录】, [走访记录], or the header word alone on the
/// first line, after any @mentions), then `label：value` with full- or half-width colons, labels
/// and aliases from config, several fields on one line (`企业：… 时间：…`), numbered labels
/// (`1.企业名称：`, `一、`, `①`), labels in brackets (`【企业名称】…`), a label alone on its line
/// with the value below, and with a header also `企业名称 宁夏…` (label, space, value). Values of
/// the narrative fields (content, feedback, business status, demand, matchable services) continue
/// over the following lines; after any other field an unlabelled line is free text.
///
/// Free text: whatever no label claims is read for the fields still missing: the company by the
/// qualified list's names, the mode by the configured keywords (the first written wins), the time
/// by date expressions, the phone by number shape, the contact as surname + title (王总, 李经理);
/// such fields are listed in `inferred`, and unlabelled text becomes the content.
///
/// Dates (Asia/Shanghai, relative to the message time): 2026-07-01 10:00, 2026/7/1, 2026.7.1,
/// 2026年7月1日, 26年7月1日, 7月1日/号 (a day later than the message date is last year's),
/// 今天/今日/今早/今晚, 昨天/昨日/昨晚, 前天, 大前天, 上周五, 本周一, 周三 (the most recent,
/// today included), 上上周二; clocks 10:00, 10点, 10点半, 10点15分, 下午3点, 晚上8点, 三点半.
/// Only inside a labelled time field: 7/1, 7-1, 7.1 (month.day, never a decimal) and 20260701.
namespace ledgerbot::bot::reports {

/// Something the parser saw but could not accept; rendered by templates from `code`.
struct ParseIssue {
    model::VisitField field = model::VisitField::company;
    /// company_not_listed | time_unrecognized | time_in_future | phone_invalid | mode_unrecognized
    std::string code;
    std::string value;  ///< what the person wrote

    bool operator==(const ParseIssue&) const = default;
};

/// A visit report as understood from one chat message. A malformed report is a normal value:
/// `missing` and `issues` say what to ask for.
struct ParsedReport {
    bool is_report = false;  ///< the message is (or looks like) a visit report
    bool labelled = false;   ///< at least one field was written with a label
    std::map<model::VisitField, std::string> values;  ///< accepted values, as normalized text
    std::optional<std::int64_t> company_id;  ///< set when the company is in the qualified list
    std::optional<std::int64_t> visit_time;  ///< unix seconds
    bool visit_time_date_only = false;       ///< only a date was given (time is 00:00 local)
    std::vector<std::string> visitors;
    std::vector<std::string> demands;
    std::vector<model::VisitField>
        missing;  ///< required fields without an accepted value, in order
    std::vector<model::VisitField> inferred;  ///< accepted from unlabelled text, not under a label
    std::vector<ParseIssue> issues;

    bool has(model::VisitField field) const { return values.count(field) != 0; }
    std::string value(model::VisitField field) const;
    bool was_inferred(model::VisitField field) const;
};

/// True when the text opens with a report header such as 【走访记录】 or [走访记录].
bool has_report_header(std::string_view text, const settings::ReportSettings& settings);

/// True when the message is a visit report: it has a report header; or labels for at least 3
/// fields, one of them naming the company or the company being in the list; or, as free text,
/// all of:
/// - it names a company of the qualified list (full or short name);
/// - it has a visit cue: a mode keyword (not one used for a number, 联系电话139…, or an
///   appointment, 电话预约) or a configured visit cue word (走访, 调研, …);
/// - it says the visit happened: its first date is today or past (今天, 昨天, 7月1日, 上周五) or
///   a clock with a period / HH:MM, or it carries a valid phone number, or the cue is followed
///   by 了/过 or preceded by 已;
/// - it is not a question (ends with ？ or 吗), not a plan (its first date is 明天, 后天,
///   下周…; 准备/打算/计划/预约/安排 right before the cue) and not a command (/…);
/// - it does not open with another kind of 【…】 header (风险提示, 简报, …).
/// It needs no clock: "future" is judged by the words, not by the message time.
bool looks_like_visit_report(std::string_view text, const model::Directory& directory,
                             const settings::ReportSettings& settings);

/// Parses a visit report written with the labelled template or as free text. `message_time`
/// (unix seconds) anchors relative dates such as 今天 and 昨天 in Asia/Shanghai time. Messages
/// longer than 16 KiB are read up to that size. Never throws on any input.
ParsedReport parse_visit_report(std::string_view text, std::int64_t message_time,
                                const model::Directory& directory,
                                const settings::ReportSettings& settings);

/// The fields a supplement writes (`/补充 V12 联系电话 139…`): read as a form, so a label
/// followed by a space counts as one without its colon.
ParsedReport parse_visit_supplement(std::string_view text, std::int64_t message_time,
                                    const model::Directory& directory,
                                    const settings::ReportSettings& settings);

/// Parses a date/time expression as written in a time field (`2026-07-01 10:00`, `2026/7/1`,
/// `7月1日 下午3点`, `今天`, `昨天`, `上周五 15:30`, `7.1`, …) against `now`. Returns unix
/// seconds and whether only a date was given. A time after `now` is returned as written; the
/// report parser flags it.
struct ParsedTime {
    std::int64_t unix_seconds = 0;
    bool date_only = false;
};
std::optional<ParsedTime> parse_time_expression(std::string_view text, std::int64_t now);

/// Mainland mobile (11 digits starting 1[3-9]) or landline with area code; separators (spaces,
/// dashes, brackets) and +86 allowed; full-width digits accepted. The whole text must be the
/// number. Returns the digits-only form when valid.
std::optional<std::string> normalize_phone(std::string_view text);

}  // namespace ledgerbot::bot::reports
