#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/reports/message_kind.hpp"
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
/// by date expressions, the phone by number shape (a mobile before a landline, which is kept as
/// the company's phone), the contact as surname + title (王总, 李经理), the visitors from first-
/// person text, 客户反馈 from the clauses the company side speaks, and demands by the need
/// vocabulary; such fields are listed in `inferred`, and the rest of the unlabelled text becomes
/// the content. The reading is split by what it reads under reports/parsing/: layout (header
/// and labels), modes, kind (report, plan or neither), sentences, people, phones and needs;
/// dates are bot/time/time_expression.
///
/// Dates (Asia/Shanghai, relative to the message time): 2026-07-01 10:00, 2026/7/1, 2026.7.1,
/// 2026年7月1日, 26年7月1日, 7月1日/号 (more than half a year ahead is last year's), 11.20 and
/// 12/2 (not before a unit: 1.5亿), 3号, 月底/上月底/本月初/7月底, 今天/今日/今早/今晚,
/// 昨天/昨日/昨晚, 前天, 大前天, 上周五, 本周一, 周三 (the most recent, today included),
/// 上上周二; clocks 10:00, 10点, 10点半, 10点15分, 下午3点, 晚上8点, 三点半; 上午/下午/晚上
/// alone give the day. Only inside a labelled time field: 7-1 and 20260701.
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
    /// A visit ahead, not a report: free text about a day ahead (明天去示例科技拜访), or a report
    /// whose 走访时间 lies ahead. Never recorded; `planned_time` says when, if written.
    bool is_plan = false;
    std::optional<std::int64_t> planned_time;
    bool labelled = false;  ///< at least one field was written with a label
    std::map<model::VisitField, std::string> values;  ///< accepted values, as normalized text
    std::optional<std::int64_t> company_id;  ///< set when the company is in the qualified list
    std::optional<std::int64_t> visit_time;  ///< unix seconds
    bool visit_time_date_only = false;       ///< only a date was given (time is 00:00 local)
    std::vector<std::string> visitors;
    /// The demands (服务需求) to collect: the items of a labelled 服务需求 line as written, or the
    /// need types ([[report.needs]]) the running text states.
    std::vector<std::string> demands;
    bool demands_inferred = false;  ///< read from running text by the need vocabulary
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

/// What a message is, judged as parse_visit_report would, only cheaper. A report: it has a
/// report header; or labels for at least 3 fields, one of them naming the company or the
/// company being in the list; or, as free text, all of:
/// - it names a company of the qualified list (full or short name);
/// - it has a visit cue: a mode keyword (not one used for a number, 联系电话139…, or an
///   appointment, 电话预约) or a configured visit cue word (走访, 调研, 去了, …);
/// - it says the visit happened: its first date is today or past (今天, 昨天, 7月1日, 上周五) or
///   a clock with a period / HH:MM, or it carries a valid phone number, or the cue is followed
///   by 了/过 or preceded by 已;
/// - it is not a question (ends with ？ or 吗) and not a command (/…);
/// - it does not open with another kind of 【…】 header (风险提示, 简报, …).
/// A plan is free text like a report that speaks of a day ahead (明天, 下周三, 12月8日 seen from
/// Dec 5, 月底) or puts 准备/打算/计划 before the cue. `message_time` anchors the days.
/// Where the judgement needs the full parse, it is made with `sender_name` and kept in
/// `parsed_out` (when given), so that recording the report does not parse it again.
MessageKind classify_message(std::string_view text, std::int64_t message_time,
                             const model::Directory& directory,
                             const settings::ReportSettings& settings,
                             const std::string& sender_name = {},
                             std::optional<ParsedReport>* parsed_out = nullptr);

/// Parses a visit report written with the labelled template or as free text. `message_time`
/// (unix seconds) anchors relative dates such as 今天 and 昨天 in Asia/Shanghai time;
/// `sender_name` is who 我 is in first-person text. Messages longer than 16 KiB are read up to
/// that size. Never throws on any input.
ParsedReport parse_visit_report(std::string_view text, std::int64_t message_time,
                                const model::Directory& directory,
                                const settings::ReportSettings& settings,
                                const std::string& sender_name = {});

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
