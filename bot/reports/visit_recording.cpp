#include "bot/reports/visit_recording.hpp"

#include <utility>

#include <boost/algorithm/string/join.hpp>

#include "bot/decision_context.hpp"
#include "bot/reply_routing.hpp"
#include "bot/reports/visit_answer.hpp"
#include "bot/reports/visit_report_parser.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::reports {

ParsedReport parse_report_of(const model::InboundEvent& message, const model::StaffMember& sender,
                             const model::Directory& directory,
                             const settings::EngineSettings& settings) {
    // 我 in first-person text is the sender.
    return parse_visit_report(message.text, message.time, directory, settings.report, sender.name);
}

ReportCheck check_visit_report(const model::InboundEvent& message, const State& state,
                               const settings::EngineSettings& settings) {
    return check_visit_report(message, state.directory(), settings);
}

ReportCheck check_visit_report(const model::InboundEvent& message,
                               const model::Directory& directory,
                               const settings::EngineSettings& settings) {
    // A header makes it a report; so does free text that reads like one (a listed company, a
    // visit cue and a sign it happened). Never silently drop a message that looks like a report.
    // A plan in free text is answered only in a direct chat: in a group it is talk among
    // colleagues (明天一起去示例科技拜访王总), not something said to the bot.
    ReportCheck check;
    if (message.text.empty()) {
        return check;
    }
    if (has_report_header(message.text, settings.report)) {
        check.is_report = true;
        return check;
    }
    // Parsed, where the judgement needs it, as record_visit would: with the sender's name.
    const model::StaffMember* sender = directory.find_staff(message.sender.id);
    const std::string sender_name = sender != nullptr ? sender->name : std::string{};
    std::optional<ParsedReport> parsed;
    const MessageKind kind = classify_message(message.text, message.time, directory,
                                              settings.report, sender_name, &parsed);
    if (kind == MessageKind::plan) {
        // A plan written as a form (企业名称：… 走访时间：下周三) was meant as a report: answered.
        if (message.chat.kind == model::ChatKind::direct) {
            check.is_report = true;
        } else {
            if (!parsed) {
                parsed = parse_visit_report(message.text, message.time, directory, settings.report,
                                            sender_name);
            }
            check.is_report = parsed->labelled;
        }
    } else {
        check.is_report = kind == MessageKind::report;
    }
    if (check.is_report && sender != nullptr) {
        check.parsed = std::move(parsed);
    }
    return check;
}

bool is_visit_report(const model::InboundEvent& message, const State& state,
                     const settings::EngineSettings& settings) {
    return check_visit_report(message, state, settings).is_report;
}

bool is_unlisted_visit(const model::InboundEvent& message, const State& state,
                       const settings::EngineSettings& settings) {
    return !message.text.empty() &&
           classify_message(message.text, message.time, state.directory(), settings.report) ==
               MessageKind::unlisted_report;
}

Decision answer_unlisted_visit(const model::InboundEvent& event,
                               const settings::EngineSettings& settings) {
    Decision decision;
    model::Notice answer;
    answer.template_id = "visit_company_unlisted";
    answer.target = reply_target(event);
    answer.fields = {{"header", settings.report.headers.front()}};
    decision.notices.push_back(std::move(answer));
    return decision;
}

namespace {

std::string plan_command(const settings::LedgerSettings& ledger) {
    const auto words = ledger.commands.find("plan");
    return words == ledger.commands.end() || words->second.empty() ? std::string{}
                                                                   : "/" + words->second.front();
}

// A visit ahead is not a visit record (it would count for coverage and points before it
// happened): the author is told so and asked to report after the visit.
Decision answer_plan(const model::InboundEvent& event, const ParsedReport& parsed,
                     const State& state, const settings::EngineSettings& settings) {
    Decision decision;
    model::Notice answer;
    answer.template_id = "visit_plan_noted";
    answer.target = confidential_reply_target(event, parsed.company_id, state, settings.routing);
    std::string planned;
    if (parsed.planned_time) {
        planned = time::format_local_minutes(*parsed.planned_time);
        // 明天上午 gives a day only: shown as the day.
        if (planned.ends_with(" 00:00")) {
            planned.resize(planned.size() - 6);
        }
    }
    answer.fields = {{"company", parsed.value(model::VisitField::company)},
                     {"planned", planned},
                     {"header", settings.report.headers.front()}};
    decision.notices.push_back(std::move(answer));
    return decision;
}

}  // namespace

Decision record_visit_report(const HeaderCall& call) {
    return record_visit(
        call.message, call.state, call.settings,
        call.report_read != nullptr ? std::optional(*call.report_read) : std::nullopt);
}

Decision record_visit(const model::InboundEvent& event, const State& state,
                      const settings::EngineSettings& settings,
                      std::optional<ParsedReport> already_parsed) {
    Decision decision;
    if (state.directory().find_staff(event.sender.id) == nullptr) {
        // Only staff report: a customer's or a stranger's message is never a visit record. Who
        // clearly meant to report (a header, or a direct chat) is told how to be added.
        // Told at most once in [chat] stranger_answer_hours, so a chatty group is not spammed.
        // Messages of external members are never reports and never answered here.
        const auto told = state.last_audited("report.not_staff_told", event.sender.id);
        if (!event.sender.external &&
            (has_report_header(event.text, settings.report) ||
             event.chat.kind == model::ChatKind::direct) &&
            (!told || event.time >= *told + settings.chat.stranger_answer_seconds)) {
            DecisionContext ctx(settings, state, decision);
            ctx.notify(ctx.person_target(event.source, event.sender.id), "report_not_staff",
                       {{"name", event.sender.name}});
            ctx.audit(event.sender.id, "report.not_staff_told", event.sender.id,
                      {{"at", event.time}, {"chat", event.chat.id}});
        }
        return decision;
    }
    const model::StaffMember* sender = state.directory().find_staff(event.sender.id);
    const ParsedReport parsed = already_parsed
                                    ? std::move(*already_parsed)
                                    : parse_report_of(event, *sender, state.directory(), settings);

    if (parsed.is_plan) {
        return answer_plan(event, parsed, state, settings);
    }

    model::VisitRecord record;
    record.number = state.next_visit_number();
    record.company_id = parsed.company_id;
    record.company_name = parsed.value(model::VisitField::company);
    record.visit_time = parsed.visit_time;
    record.mode = parsed.value(model::VisitField::mode);
    record.visitors = parsed.visitors;
    record.values = parsed.values;
    record.missing = parsed.missing;
    record.reporter_id = event.sender.id;
    record.reporter_name = event.sender.name;
    record.channel = event.source;
    record.chat_id = event.chat.id;
    record.source_event_id = event.id;
    record.reported_at = event.time;
    record.raw_text = event.text;

    const bool in_group = event.chat.kind == model::ChatKind::group;
    const nlohmann::json understood =
        visit_answer::value_rows(parsed.values, settings.report, in_group);
    nlohmann::json missing = nlohmann::json::array();
    for (model::VisitField field : parsed.missing) {
        missing.push_back({{"label", settings.report.label(field)}});
    }
    const std::string code = model::visit_code(record.number);
    const std::string first_missing =
        parsed.missing.empty() ? std::string{} : settings.report.label(parsed.missing.front());
    // The state is asked for a demand number only when there are demands to number.
    std::vector<model::Demand> demands =
        parsed.demands.empty()
            ? std::vector<model::Demand>{}
            : visit_answer::demands_for(
                  parsed.demands, record, state.next_demand_number(), event.time,
                  settings.calendar.deadline_after(event.time, settings.ledger.plan_working_days));

    model::Notice answer;
    answer.template_id = "visit_recorded";
    answer.target = confidential_reply_target(event, record.company_id, state, settings.routing);
    answer.fields = {
        {"record_id", code},
        {"reporter", event.sender.name.empty() ? event.sender.id : event.sender.name},
        {"complete", parsed.missing.empty() && parsed.issues.empty()},
        {"has_understood", !understood.empty()},
        {"understood", understood},
        {"missing_text", visit_answer::labels_text(parsed.missing, settings.report)},
        {"has_missing", !parsed.missing.empty()},
        {"missing", missing},
        {"has_issues", !parsed.issues.empty()},
        {"issues", visit_answer::issue_rows(parsed.issues, settings.report, in_group)},
        {"example_field", first_missing},
        {"supplement_command", settings.report.supplement_command()},
        {"has_demands", !demands.empty()},
        // Read from running text: the author may take a wrong one back.
        {"demands_inferred", parsed.demands_inferred && !demands.empty()},
        {"demand_command", "/" + settings.chat.demand_commands.front()},
        {"delete_word", settings.chat.demand_delete_words.front()},
        {"withdraw_hours", settings.report.withdraw_window_seconds / 3600},
        {"demands", visit_answer::demand_rows(demands, in_group)},
        // The short answer's first line and next step; the rest is /走访 V12's.
        {"company", record.company_name},
        // As understood: a day alone when only the day was written (昨天上午 → 2026-12-05).
        {"visit_date", parsed.value(model::VisitField::visit_time)},
        {"mode", record.mode},
        {"visitors", boost::algorithm::join(record.visitors, "、")},
        {"show_command", "/" + settings.report.show_commands.front()},
        {"plan_command", plan_command(settings.ledger)},
        {"first_demand",
         demands.empty() ? std::string{} : model::demand_code(demands.front().number)},
        {"has_points", false},
    };

    AuditEntry audit;
    audit.actor = event.sender.id;
    audit.action = "visit.recorded";
    audit.subject = code;
    audit.detail = {{"company", record.company_name},
                    {"complete", record.complete()},
                    {"missing", missing.size()},
                    {"chat", event.chat.id}};
    decision.audit.push_back(std::move(audit));

    decision.changes.emplace_back(VisitRecordCreated{std::move(record)});
    visit_answer::collect_demands(decision, std::move(demands), event.sender.id);
    decision.notices.push_back(std::move(answer));
    return decision;
}

}  // namespace ledgerbot::bot::reports
