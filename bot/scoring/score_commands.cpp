#include "bot/scoring/score_commands.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <set>

#include "bot/decision_context.hpp"
#include "bot/scoring/score_fields.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/scoring/score_table.hpp"
#include "bot/staff_roles.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/score_period.hpp"

namespace ledgerbot::bot::scoring {
namespace {

/// Scores and companies are answered where only the sender reads them.
model::NoticeTarget private_target(const model::InboundEvent& message, const DecisionContext& ctx) {
    if (message.chat.kind == model::ChatKind::direct) {
        return reply_target(message);
    }
    return ctx.person_target(message.source, message.sender.id);
}

void refuse(DecisionContext& ctx, const model::NoticeTarget& target, const std::string& problem,
            nlohmann::json fields) {
    fields[problem] = true;
    ctx.notify(target, "score_command_refused", std::move(fields));
}

/// The text after the first `skip` words of the argument, as typed.
std::string rest_after(const std::string& argument, const std::vector<std::string>& words,
                       std::size_t skip) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < skip && i < words.size(); ++i) {
        at = argument.find(words[i], at);
        if (at == std::string::npos) {
            return {};
        }
        at += words[i].size();
    }
    return text::trim(std::string_view(argument).substr(std::min(at, argument.size())));
}

const settings::ScoreLineSettings* line_of_record(const model::VisitRecord& visit,
                                                  const settings::ScoreSettings& scores,
                                                  const model::Directory& directory) {
    const model::StaffMember* reporter = directory.find_staff(visit.reporter_id);
    return reporter ? line_of_department(scores, reporter->department) : nullptr;
}

/// Who may read one visit's points: its people, the heads of their departments, the line
/// directors and reviewers, and compliance.
bool may_see(const model::StaffMember* staff, const std::vector<ScoreRow>& rows,
             const DecisionContext& ctx, const settings::ScoreSettings& scores) {
    if (staff == nullptr) {
        return false;
    }
    if (has_any_title(*staff, scores.reviewer_titles) ||
        has_any_title(*staff, ctx.rules().supervisor_titles) ||
        has_any_title(*staff, ctx.rules().compliance_titles) ||
        std::any_of(
            scores.lines.begin(), scores.lines.end(),
            [&](const settings::ScoreLineSettings& l) { return l.director_id == staff->id; })) {
        return true;
    }
    return std::any_of(rows.begin(), rows.end(), [&](const ScoreRow& row) {
        if (row.staff_id == staff->id) {
            return true;
        }
        const auto heads = ctx.department_heads(row.department);
        return std::any_of(heads.begin(), heads.end(),
                           [&](const model::StaffMember* head) { return head->id == staff->id; });
    });
}

/// The record's author hears what a director decided about it, unless the director wrote it.
void tell_author(DecisionContext& ctx, const model::InboundEvent& message,
                 const model::VisitRecord& visit, const model::StaffMember& director,
                 const std::string& template_id, const nlohmann::json& fields) {
    if (visit.reporter_id != director.id) {
        ctx.notify(ctx.person_target(message.source, visit.reporter_id), template_id, fields);
    }
}

nlohmann::json rows_fields(const std::vector<ScoreRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out.push_back(score_row_fields(rows[i], i + 1));
    }
    return out;
}

}  // namespace

bool may_review_record(const model::StaffMember* staff, const model::VisitRecord& visit,
                       const settings::ScoreSettings& scores, const model::Directory& directory) {
    if (staff == nullptr) {
        return false;
    }
    if (has_any_title(*staff, scores.reviewer_titles)) {
        return true;
    }
    const settings::ScoreLineSettings* line = line_of_record(visit, scores, directory);
    return line != nullptr && line->director_id == staff->id;
}

Decision check_visit(const CommandCall& call) {
    return ScoreCommands(call.settings)
        .check(call.message, call.state, call.command.argument,
               text::split_words(call.command.argument));
}

Decision review_scores(const CommandCall& call) {
    return ScoreCommands(call.settings)
        .review(call.message, call.state, call.command.argument,
                text::split_words(call.command.argument));
}

Decision show_scores(const CommandCall& call) {
    return ScoreCommands(call.settings)
        .show(call.message, call.state, text::split_words(call.command.argument));
}

Decision ScoreCommands::check(const model::InboundEvent& message, const State& state,
                              const std::string& argument,
                              const std::vector<std::string>& words) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const settings::ScoreSettings& scores = settings_.scores;
    const model::NoticeTarget target = private_target(message, ctx);
    const auto number = words.empty() ? std::nullopt : text::parse_numbered_id(words[0], 'V');
    const bool inaccurate =
        words.size() >= 2 && text::is_command_word(words[1], scores.inaccurate_words);
    const bool omission =
        words.size() >= 2 && text::is_command_word(words[1], scores.omission_words);
    const std::string reason = rest_after(argument, words, 2);
    if (!number || (!inaccurate && !omission) || reason.empty()) {
        refuse(ctx, target, "usage_check", {});
        return decision;
    }
    const std::int64_t visit_number = number.value_or(0);
    const auto visit = state.visit(visit_number);
    if (!visit) {
        refuse(ctx, target, "not_found", {{"visit_id", model::visit_code(visit_number)}});
        return decision;
    }
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    if (!may_review_record(staff, *visit, scores, ctx.directory())) {
        refuse(ctx, target, "not_allowed",
               {{"visit_id", model::visit_code(visit_number)}, {"company", visit->company_name}});
        return decision;
    }
    // A record withdrawn by its author (posted by mistake) or voided scores nothing: a finding
    // on it would only send a deduction notice and open a risk about a record that does not count.
    if (const auto voided = state.visit_void(visit_number)) {
        refuse(ctx, target, voided->withdrawn ? "withdrawn" : "already_voided",
               {{"visit_id", model::visit_code(visit_number)},
                {"by", voided->by_name},
                {"at", time::format_local_minutes(voided->at)}});
        return decision;
    }
    model::VisitFinding finding;
    finding.visit_number = visit->number;
    finding.kind = omission ? "omission" : "inaccurate";
    finding.reason = reason;
    finding.by_id = staff->id;
    finding.by_name = staff->name;
    finding.at = message.time;
    if (omission) {
        finding.deadline =
            scores.rules.omission_deadline_hours > 0
                ? message.time + std::int64_t{scores.rules.omission_deadline_hours} * 3600
                : settings_.calendar.deadline_after(message.time,
                                                    scores.rules.omission_supplement_working_days);
    }
    decision.score_changes.emplace_back(FindingRecorded{finding});
    ctx.audit(staff->id, "score.finding", model::visit_code(visit->number),
              {{"kind", finding.kind}, {"reason", reason}, {"deadline", finding.deadline}});

    model::Risk risk;
    risk.kind = "finding";
    risk.source = message.source;
    risk.company_id = visit->company_id;
    risk.company_name = visit->company_name;
    risk.subject = model::visit_code(visit->number);
    risk.detail = {{"visit", risk.subject}, {"finding", finding.kind}, {"reason", reason}};
    risk.told = {visit->reporter_id};
    risk.raised_at = message.time;
    risk.raised_by = staff->id;
    risk.lead_id = visit->reporter_id;
    const std::int64_t risk_number = ctx.raise_risk(std::move(risk));

    nlohmann::json fields{
        {"visit_id", model::visit_code(visit->number)},
        {"company", visit->company_name},
        {"reporter", ctx.person_name(visit->reporter_id)},
        {"by", staff->name},
        {"reason", reason},
        {"inaccurate", inaccurate && !omission},
        {"omission", omission},
        {"deduction", scores.rules.finding_deduction},
        {"deadline", omission ? time::format_local_minutes(finding.deadline) : std::string{}}};
    ctx.add_risk_fields(fields, risk_number);
    ctx.notify(target, "score_finding_recorded", fields);
    tell_author(ctx, message, *visit, *staff, "score_finding_notice", fields);
    return decision;
}

Decision ScoreCommands::review(const model::InboundEvent& message, const State& state,
                               const std::string& argument,
                               const std::vector<std::string>& words) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const settings::ScoreSettings& scores = settings_.scores;
    const model::NoticeTarget target = private_target(message, ctx);
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    const bool approve = !words.empty() && text::is_command_word(words[0], scores.approve_words);
    const bool void_record = !words.empty() && text::is_command_word(words[0], scores.void_words);

    if (approve) {
        const time::ScorePeriod week = words.size() >= 2 && time::parse_week(words[1])
                                           ? *time::parse_week(words[1])
                                           : time::previous_week(message.time);
        if (words.size() >= 2 && !time::parse_week(words[1])) {
            refuse(ctx, target, "bad_week", {{"week", words[1]}});
            return decision;
        }
        std::vector<std::string> lines;
        for (const auto& line : scores.lines) {
            if (staff != nullptr && line.director_id == staff->id) {
                lines.push_back(line.name);
            }
        }
        if (lines.empty()) {
            refuse(ctx, target, "not_director", {});
            return decision;
        }
        if (week.to >= message.time) {
            // The week is not over: its table can still change.
            refuse(ctx, target, "week_not_ended", {{"week", week.label}});
            return decision;
        }
        if (week.from < time::week_of(message.time).from -
                            std::int64_t{scores.review_window_weeks} * 7 * 86400) {
            refuse(ctx, target, "week_too_old",
                   {{"week", week.label}, {"weeks", scores.review_window_weeks}});
            return decision;
        }
        const std::vector<WeekTable> tables = week_tables(state, scores, week);
        // `/复核 通过 2026-W47 1a854925`: the version the director saw (the console sends it).
        // Only a line whose table is still that version is approved; a table that changed since
        // is not approved unseen.
        if (words.size() >= 3) {
            const std::string& seen = words[2];
            std::vector<std::string> matching;
            std::string current;
            for (const auto& line : lines) {
                const auto table =
                    std::find_if(tables.begin(), tables.end(),
                                 [&](const WeekTable& t) { return t.line.name == line; });
                const std::string version = table == tables.end() ? std::string{} : table->version;
                if (version == seen) {
                    matching.push_back(line);
                }
                current += (current.empty() ? "" : "、") + version;
            }
            if (matching.empty()) {
                refuse(ctx, target, "version_changed",
                       {{"week", week.label}, {"seen", seen}, {"current", current}});
                return decision;
            }
            lines = std::move(matching);
        }
        nlohmann::json approved = nlohmann::json::array();
        for (const auto& line : lines) {
            const auto table = std::find_if(tables.begin(), tables.end(), [&](const WeekTable& t) {
                return t.line.name == line;
            });
            const std::string version = table == tables.end() ? std::string{} : table->version;
            const auto published = state.published_table(week.label, line);
            const auto review = state.score_review(week.label, line);
            const bool already = review.has_value() && review->version == version;
            if (!already && !published) {
                decision.score_changes.emplace_back(ScoreReviewed{
                    model::ScoreReview{week.label, line, staff->id, message.time, version}});
                ctx.audit(staff->id, "score.reviewed", week.label + " " + line,
                          {{"version", version}});
            }
            approved.push_back({{"line", line},
                                {"already", already},
                                {"version", version},
                                {"published", published.has_value()},
                                {"replaces", review && !already ? review->version : ""}});
        }
        ctx.notify(target, "score_review_recorded",
                   {{"week", week.label},
                    {"from", time::format_date(time::local_date(week.from))},
                    {"to", time::format_date(time::local_date(week.to))},
                    {"lines", approved}});
        return decision;
    }

    if (void_record) {
        const auto number =
            words.size() >= 2 ? text::parse_numbered_id(words[1], 'V') : std::nullopt;
        const std::string reason = rest_after(argument, words, 2);
        if (!number || reason.empty()) {
            refuse(ctx, target, "usage_void", {});
            return decision;
        }
        const std::int64_t visit_number = number.value_or(0);
        const auto visit = state.visit(visit_number);
        if (!visit) {
            refuse(ctx, target, "not_found", {{"visit_id", model::visit_code(visit_number)}});
            return decision;
        }
        if (!may_review_record(staff, *visit, scores, ctx.directory())) {
            refuse(
                ctx, target, "not_allowed",
                {{"visit_id", model::visit_code(visit_number)}, {"company", visit->company_name}});
            return decision;
        }
        if (const auto voided = state.visit_void(visit_number)) {
            refuse(ctx, target, "already_voided",
                   {{"visit_id", model::visit_code(visit_number)},
                    {"by", voided->by_name},
                    {"at", time::format_local_minutes(voided->at)}});
            return decision;
        }
        decision.score_changes.emplace_back(VisitVoided{
            model::VisitVoid{visit->number, reason, staff->id, staff->name, message.time}});
        ctx.audit(staff->id, "score.voided", model::visit_code(visit->number),
                  {{"reason", reason}});
        const nlohmann::json fields{{"visit_id", model::visit_code(visit->number)},
                                    {"company", visit->company_name},
                                    {"reporter", ctx.person_name(visit->reporter_id)},
                                    {"by", staff->name},
                                    {"reason", reason},
                                    {"at", time::format_local_minutes(message.time)}};
        ctx.notify(target, "score_voided", fields);
        // 对存疑或存在明显瑕疵或虚构得不予积分，并报合规风控部计入当月绩效考核扣分项.
        ctx.notify_compliance(message.source, "score_void_compliance", fields);
        tell_author(ctx, message, *visit, *staff, "score_void_compliance", fields);
        return decision;
    }
    refuse(ctx, target, "usage_review", {});
    return decision;
}

Decision ScoreCommands::show(const model::InboundEvent& message, const State& state,
                             const std::vector<std::string>& words) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const settings::ScoreSettings& scores = settings_.scores;
    const model::NoticeTarget target = private_target(message, ctx);
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);

    if (!words.empty()) {
        const auto number = text::parse_numbered_id(words[0], 'V');
        if (!number) {
            refuse(ctx, target, "usage_show", {});
            return decision;
        }
        const auto visit = state.visit(*number);
        if (!visit) {
            refuse(ctx, target, "not_found", {{"visit_id", model::visit_code(*number)}});
            return decision;
        }
        std::vector<ScoreRow> rows = visit_rows(state.point_entries_of_visits({*number}));
        // The journal holds points; why an item scores nothing (voided, past the annual cap, a
        // new company not landed) comes from the rules as they apply now.
        for (const ScoreRow& now : score_visits(state, scores, {*number}, message.time)) {
            if (now.visit_number != *number) {
                continue;
            }
            for (ScoreRow& row : rows) {
                if (row.staff_id != now.staff_id) {
                    continue;
                }
                for (const ScoreLine& line : now.score.lines) {
                    if (line.points == 0) {
                        row.score.lines.push_back(line);
                    }
                }
            }
        }
        if (!may_see(staff, rows, ctx, scores)) {
            refuse(ctx, target, "not_allowed",
                   {{"visit_id", model::visit_code(*number)}, {"company", visit->company_name}});
            return decision;
        }
        ctx.notify(target, "score_visit_answer",
                   {{"visit_id", model::visit_code(*number)},
                    {"company", visit->company_name},
                    {"at", time::format_local_minutes(message.time)},
                    {"rows", rows_fields(rows)},
                    {"no_rows", rows.empty()}});
        return decision;
    }

    if (staff == nullptr) {
        refuse(ctx, target, "not_staff", {});
        return decision;
    }
    const time::ScorePeriod this_week = time::week_of(message.time);
    const time::ScorePeriod last_week = time::previous_week(message.time);
    const time::ScorePeriod year = time::year_of(message.time);
    std::vector<model::PointEntry> entries =
        state.point_entries_between(std::min(year.from, last_week.from), message.time);
    std::erase_if(entries, [&](const model::PointEntry& e) { return e.person_id != staff->id; });
    const auto within = [&](const time::ScorePeriod& period) {
        std::vector<model::PointEntry> out;
        std::copy_if(
            entries.begin(), entries.end(), std::back_inserter(out),
            [&](const model::PointEntry& e) { return e.at >= period.from && e.at <= period.to; });
        return visit_rows(out);
    };
    const std::vector<ScoreRow> year_rows = within(year);
    const std::vector<ScoreRow> last_rows = within(last_week);
    const std::vector<ScoreRow> this_rows = within(this_week);
    ctx.notify(target, "score_answer",
               {{"name", staff->name},
                {"at", time::format_local_minutes(message.time)},
                {"year", year.label},
                {"year_totals", score_totals(year_rows)},
                {"year_visits", year_rows.size()},
                {"last_week", last_week.label},
                {"last_week_totals", score_totals(last_rows)},
                {"last_week_rows", rows_fields(last_rows)},
                {"this_week", this_week.label},
                {"this_week_totals", score_totals(this_rows)},
                {"this_week_rows", rows_fields(this_rows)}});
    return decision;
}

}  // namespace ledgerbot::bot::scoring

namespace ledgerbot::bot::scoring {

namespace {

/// /积分表 in chat, or as a file (/导出 积分表): `argument` is what names the week and line.
Decision week_table_answer(const CommandCall& call, const std::string& argument, bool as_file) {
    Decision decision;
    const settings::EngineSettings& settings = call.settings;
    const settings::ScoreSettings& scores = settings.scores;
    DecisionContext ctx(settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const model::NoticeTarget target = private_target(message, ctx);
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    // Any order: a week label and a line name.
    std::optional<time::ScorePeriod> week;
    std::string line_asked;
    for (const std::string& word : text::split_words(argument)) {
        if (const auto parsed = time::parse_week(word)) {
            week = parsed;
        } else if (std::any_of(
                       scores.lines.begin(), scores.lines.end(),
                       [&](const settings::ScoreLineSettings& l) { return l.name == word; })) {
            line_asked = word;
        } else {
            refuse(ctx, target, "usage_table", {{"word", word}});
            return decision;
        }
    }
    const time::ScorePeriod period = week.value_or(time::previous_week(message.time));
    const bool everything = staff != nullptr && (has_any_title(*staff, scores.reviewer_titles) ||
                                                 is_compliance_staff(*staff, settings.conventions));
    std::size_t shown = 0;
    for (const WeekTable& current : week_tables(call.state, scores, period)) {
        const settings::ScoreLineSettings& line = current.line;
        const bool mine =
            staff != nullptr && !line.director_id.empty() && line.director_id == staff->id;
        if ((!line_asked.empty() && line.name != line_asked) || !(mine || everything)) {
            continue;
        }
        const auto stored = call.state.published_table(period.label, line.name);
        const auto review = call.state.score_review(period.label, line.name);
        nlohmann::json base = score_period_fields(period);
        base["line"] = line.name;
        base["director"] =
            line.director_id.empty() ? std::string{} : ctx.person_name(line.director_id);
        nlohmann::json table;
        if (stored) {
            table = stored->table;
            base["unreviewed"] = stored->approved_by.empty();
        } else {
            table = week_table_fields(current.rows, current.adjustments, current.version);
            base["draft"] = mine;  // the director is asked to review; others just see it
            base["unreviewed"] = !mine && !(review && review->version == current.version);
        }
        if (as_file) {
            nlohmann::json attachment =
                stored ? published_table_attachment(*stored)
                       : score_table_attachment(current.rows, period.label, line.name);
            if (!stored) {
                attachment["version"] = current.version;
            }
            const std::string version = attachment.value("version", "");
            base["version"] = version;
            base["published"] = stored.has_value();
            base["rows"] = attachment["rows"].size();
            base["attachment"] = std::move(attachment);
            ctx.notify(target, "score_table_export", std::move(base));
            ctx.audit(staff->id, "score.table_exported", period.label + ":" + line.name,
                      {{"version", version}});
        } else {
            for (auto& part : week_table_parts(table, base, scores.message_max_bytes)) {
                ctx.notify(target, "score_table", std::move(part));
            }
        }
        ++shown;
    }
    if (shown == 0) {
        refuse(ctx, target, staff == nullptr ? "not_staff" : "not_director", {});
    }
    return decision;
}

}  // namespace

Decision show_table(const CommandCall& call) {
    return week_table_answer(call, call.command.argument, false);
}

Decision export_table(const CommandCall& call, const std::string& argument) {
    return week_table_answer(call, argument, true);
}

}  // namespace ledgerbot::bot::scoring
