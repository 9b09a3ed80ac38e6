#include "bot/reports/visit_supplement.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/model/group_registry.hpp"
#include "bot/reports/visit_answer.hpp"
#include "bot/reports/visit_editors.hpp"
#include "bot/reports/visit_reference.hpp"
#include "bot/reports/visit_report_parser.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::reports {
namespace {

void refuse(Decision& decision, const model::InboundEvent& message, const std::string& reason,
            nlohmann::json fields) {
    fields[reason] = true;
    model::Notice notice;
    notice.template_id = "visit_supplement_refused";
    notice.target = reply_target(message);
    notice.fields = std::move(fields);
    decision.notices.push_back(std::move(notice));
}

std::vector<model::VisitField> missing_of(const model::VisitRecord& record,
                                          const settings::ReportSettings& settings) {
    std::vector<model::VisitField> missing;
    for (model::VisitField field : settings.required) {
        if (record.values.count(field) == 0) {
            missing.push_back(field);
        }
    }
    return missing;
}

// A director found this record incomplete (/核查 遗漏) and its deadline has not passed: this
// supplement keeps the visit's points (第十七条: 未及时补充遗漏内容则该次走访不计分).
bool answers_open_omission(const model::VisitRecord& record, std::int64_t now, const State& state) {
    const std::int64_t at = record.visit_time.value_or(record.reported_at);
    const auto details = state.scoring_details(at, at);
    const auto found = details.find(record.number);
    if (found == details.end()) {
        return false;
    }
    const auto& findings = found->second.findings;
    return std::any_of(findings.begin(), findings.end(), [&](const model::VisitFinding& f) {
        return f.kind == "omission" && f.at <= now && now <= f.deadline;
    });
}

// A director's omission finding whose deadline passed without a supplement: this one comes too
// late, and the visit scores nothing (未及时补充遗漏内容则该次走访不计分). The deadline, if so.
std::optional<std::int64_t> missed_omission_deadline(const model::VisitRecord& record,
                                                     std::int64_t now, const State& state) {
    const std::int64_t at = record.visit_time.value_or(record.reported_at);
    const auto details = state.scoring_details(at, at);
    const auto found = details.find(record.number);
    if (found == details.end()) {
        return std::nullopt;
    }
    const auto& supplements = found->second.supplement_times;
    for (const model::VisitFinding& f : found->second.findings) {
        if (f.kind != "omission" || f.deadline == 0 || now <= f.deadline) {
            continue;
        }
        const bool in_time =
            std::any_of(supplements.begin(), supplements.end(),
                        [&](std::int64_t t) { return t >= f.at && t <= f.deadline; });
        if (!in_time) {
            return f.deadline;
        }
    }
    return std::nullopt;
}

// The open risks a director's omission findings on the record raised (/核查 V12 遗漏).
std::vector<std::int64_t> open_omission_risks(const State& state, const std::string& visit_code) {
    std::vector<std::int64_t> out;
    for (const model::Risk& risk : state.open_risks()) {
        const auto finding = risk.detail.find("finding");
        if (risk.kind == "finding" && risk.subject == visit_code && finding != risk.detail.end() &&
            finding->second == "omission") {
            out.push_back(risk.number);
        }
    }
    return out;
}

}  // namespace

Decision supplement_visit(const CommandCall& call) {
    return VisitSupplement(call.settings)
        .supplement(call.message, call.command.argument, call.state);
}

Decision VisitSupplement::supplement(const model::InboundEvent& message,
                                     const std::string& argument, const State& state) const {
    const settings::ReportSettings& report = settings_.report;

    Decision decision;
    nlohmann::json fields{{"command", report.supplement_command()},
                          {"has_record_id", false},
                          {"record_id", ""},
                          {"example_field", report.label(model::VisitField::phone)}};
    const std::optional<VisitReference> reference = leading_visit_reference(argument);
    if (!reference) {
        refuse(decision, message, "usage", std::move(fields));
        return decision;
    }
    const std::string code = model::visit_code(reference->number);
    fields["has_record_id"] = true;
    fields["record_id"] = code;
    const std::optional<model::VisitRecord> existing = state.visit(reference->number);
    if (!existing) {
        refuse(decision, message, "unknown_record", std::move(fields));
        return decision;
    }
    if (!existing->missing.empty()) {
        fields["example_field"] = report.label(existing->missing.front());
    }
    const VisitEditors editors(*existing, state.directory(),
                               settings_.conventions.department_head_titles);
    if (!editors.may_edit(message.sender.id)) {
        fields.update(editors.names());
        refuse(decision, message, "not_allowed", std::move(fields));
        return decision;
    }
    // A withdrawn record is kept as it was withdrawn: it was posted by mistake.
    if (const auto voided = state.visit_void(existing->number); voided && voided->withdrawn) {
        fields["withdrawn_at"] = time::format_local_minutes(voided->at);
        refuse(decision, message, "withdrawn", std::move(fields));
        return decision;
    }

    const ParsedReport parsed =
        parse_visit_supplement(reference->rest, message.time, state.directory(), report);
    std::map<model::VisitField, std::string> supplied;
    for (const auto& [field, value] : parsed.values) {
        if (!parsed.was_inferred(field)) {
            supplied.emplace(field, value);
        }
    }
    if (supplied.empty() && parsed.issues.empty()) {
        if (!text::trim(reference->rest).empty()) {
            refuse(decision, message, "usage", std::move(fields));
            return decision;
        }
        // `/补充 V12` alone: the evidence screenshot comes next (an image message carries no
        // text to name its record in).
        model::Notice answer;
        answer.template_id = "evidence_awaited";
        answer.target = reply_target(message);
        answer.fields = {{"record_id", code},
                         {"window_minutes", report.evidence_window_seconds / 60},
                         {"command", report.supplement_command()},
                         {"example_field", fields["example_field"]}};
        decision.notices.push_back(std::move(answer));
        decision.changes.emplace_back(EvidenceAwaited{model::EvidenceWait{
            reference->number, message.sender.id, message.source, message.chat.id, message.time}});
        return decision;
    }

    model::VisitRecord record = *existing;
    std::map<model::VisitField, std::string> previous;
    for (const auto& [field, value] : supplied) {
        const auto old = record.values.find(field);
        previous[field] = old == record.values.end() ? std::string{} : old->second;
        record.values[field] = value;
    }
    if (supplied.count(model::VisitField::company) != 0) {
        record.company_id = parsed.company_id;
        record.company_name = supplied.at(model::VisitField::company);
    }
    if (supplied.count(model::VisitField::visit_time) != 0) {
        record.visit_time = parsed.visit_time;
    }
    if (supplied.count(model::VisitField::mode) != 0) {
        record.mode = supplied.at(model::VisitField::mode);
    }
    if (supplied.count(model::VisitField::visitors) != 0) {
        record.visitors = parsed.visitors;
    }
    record.missing = missing_of(record, report);

    const bool in_group = message.chat.kind == model::ChatKind::group;
    std::vector<model::Demand> demands;
    if (supplied.count(model::VisitField::demand) != 0 && !parsed.demands.empty()) {
        demands = visit_answer::demands_for(
            parsed.demands, record, state.next_demand_number(), message.time,
            settings_.calendar.deadline_after(message.time, settings_.ledger.plan_working_days));
    }
    const std::string by = visit_answer::person_name(message.sender, state.directory());
    const bool omission_answered =
        !supplied.empty() && answers_open_omission(*existing, message.time, state);
    // Such a risk is about a record left incomplete: a supplement within the deadline removes
    // the cause, so the bot closes it, as it closes a group's name risk once the group is
    // renamed. Whether the supplement says enough is the director's to judge; a new /核查
    // raises a new risk.
    const std::vector<std::int64_t> closed_risks =
        omission_answered ? open_omission_risks(state, code) : std::vector<std::int64_t>{};
    std::string closed_risks_text;
    for (const std::int64_t number : closed_risks) {
        closed_risks_text += (closed_risks_text.empty() ? "" : "、") + model::risk_code(number);
    }

    model::Notice answer;
    answer.template_id = "visit_supplemented";
    answer.target = confidential_reply_target(message, record.company_id, state, settings_.routing);
    answer.fields = {
        {"record_id", code},
        {"by", by},
        {"has_updated", !supplied.empty()},
        {"updated", visit_answer::value_rows(supplied, report, in_group)},
        {"complete", record.complete()},
        {"has_missing", !record.missing.empty()},
        {"missing_text", visit_answer::labels_text(record.missing, report)},
        {"has_issues", !parsed.issues.empty()},
        {"issues", visit_answer::issue_rows(parsed.issues, report, in_group)},
        {"has_demands", !demands.empty()},
        {"demands", visit_answer::demand_rows(demands, in_group)},
        {"supplement_command", report.supplement_command()},
        {"example_field",
         record.missing.empty() ? std::string{} : report.label(record.missing.front())},
        {"omission_answered", omission_answered},
        {"has_closed_risks", !closed_risks.empty()},
        {"closed_risks", closed_risks_text},
    };
    if (const auto missed = missed_omission_deadline(*existing, message.time, state);
        missed && !supplied.empty()) {
        answer.fields["omission_missed"] = true;
        answer.fields["omission_deadline"] = time::format_local_minutes(*missed);
    }
    decision.notices.push_back(std::move(answer));
    if (supplied.empty()) {
        return decision;  // nothing readable to store; the answer says what was not understood
    }

    nlohmann::json written = nlohmann::json::object();
    for (const auto& [field, value] : supplied) {
        written[std::string(to_key(field))] = value;
    }
    AuditEntry audit;
    audit.actor = message.sender.id;
    audit.action = "visit.supplemented";
    audit.subject = code;
    audit.detail = {{"fields", written},
                    {"complete", record.complete()},
                    {"missing", record.missing.size()},
                    {"chat", message.chat.id}};
    decision.audit.push_back(std::move(audit));

    VisitRecordSupplemented change;
    change.record = std::move(record);
    change.supplied = std::move(supplied);
    change.previous = std::move(previous);
    change.by_id = message.sender.id;
    change.by_name = message.sender.name;
    change.channel = message.source;
    change.event_id = message.id;
    change.at = message.time;
    decision.changes.emplace_back(std::move(change));
    visit_answer::collect_demands(decision, std::move(demands), message.sender.id);
    for (const std::int64_t number : closed_risks) {
        AuditEntry closed;
        closed.actor = std::string(kBotActor);
        closed.action = "risk.closed";
        closed.subject = model::risk_code(number);
        closed.detail = {{"reason", "omission supplemented in time"}, {"visit", code}};
        decision.audit.push_back(std::move(closed));
        decision.group_changes.emplace_back(
            RiskClosed{number, message.time, "omission supplemented in time"});
    }
    return decision;
}

}  // namespace ledgerbot::bot::reports
