#include "bot/engine.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "bot/civil_time.hpp"
#include "bot/briefing_engine.hpp"
#include "bot/convention_engine.hpp"
#include "bot/demand_commands.hpp"
#include "bot/periodic_reviews.hpp"
#include "bot/risk_notice_engine.hpp"
#include "bot/score_commands.hpp"
#include "bot/score_publisher.hpp"
#include "bot/visit_answer.hpp"
#include "bot/visit_evidence.hpp"
#include "bot/visit_report_parser.hpp"
#include "bot/visit_supplement.hpp"

namespace ledgerbot::bot {

NoticeTarget reply_target(const InboundEvent& event) {
    NoticeTarget target;
    target.channel = event.source;
    if (event.chat.kind == ChatKind::direct) {
        target.kind = NoticeTarget::Kind::user;
        target.id = event.sender.id;
    } else {
        target.kind = NoticeTarget::Kind::chat;
        target.id = event.chat.id;
    }
    target.reply_handle = event.reply_handle;
    return target;
}

Decision Engine::handle(const InboundEvent& event, const State& state) const {
    switch (event.type) {
        case EventType::message:
            return handle_message(event, state);
        case EventType::tick:
            return handle_tick(event, state);
        default:
            return ConventionEngine(settings_).on_group_event(event, state);
    }
}

NoticeTarget confidential_reply_target(const InboundEvent& event,
                                       const std::optional<std::int64_t>& company_id,
                                       const State& state, const NoticeRouting& routing) {
    if (event.chat.kind == ChatKind::group) {
        const auto group = state.group(event.source, event.chat.id);
        if (group && group->group.enforced() && group->group.company_id != company_id) {
            return NoticeTarget{routing.direct_channel_for(event.source), NoticeTarget::Kind::user,
                                event.sender.id, ""};
        }
    }
    return reply_target(event);
}

std::string NoticeRouting::direct_channel_for(const std::string& source) const {
    const auto it = direct_channel.find(source);
    return it == direct_channel.end() ? source : it->second;
}

Decision Engine::check_groups(const InboundEvent& tick, const State& state) const {
    return ConventionEngine(settings_).check_groups(tick, state);
}

Decision Engine::remind_nicknames(const InboundEvent& tick, const State& state) const {
    return ConventionEngine(settings_).remind_nicknames(tick, state);
}

Decision Engine::escalate_nicknames(const InboundEvent& tick, const State& state) const {
    return ConventionEngine(settings_).escalate_nicknames(tick, state);
}

Decision Engine::check_plan_deadlines(const InboundEvent& tick, const State& state) const {
    return DemandCommands(settings_).check_plan_deadlines(tick, state);
}

Decision Engine::remind_coverage(const InboundEvent& tick, const State& state) const {
    return PeriodicReviews(settings_).remind_coverage(tick, state);
}

Decision Engine::report_coverage_gaps(const InboundEvent& tick, const State& state) const {
    return PeriodicReviews(settings_).report_coverage_gaps(tick, state);
}

Decision Engine::send_monthly_digest(const InboundEvent& tick, const State& state) const {
    return PeriodicReviews(settings_).monthly_digest(tick, state);
}

Decision Engine::draft_scores(const InboundEvent& tick, const State& state) const {
    return ScorePublisher(settings_).draft_weekly(tick, state);
}

Decision Engine::publish_scores(const InboundEvent& tick, const State& state) const {
    return ScorePublisher(settings_).publish_weekly(tick, state);
}

Decision Engine::announce_annual_ranking(const InboundEvent& tick, const State& state) const {
    return ScorePublisher(settings_).announce_annual(tick, state);
}

Decision Engine::escalate_risk_notices(const InboundEvent& tick, const State& state) const {
    return RiskNoticeEngine(settings_).escalate(tick, state);
}

Decision Engine::handle_tick(const InboundEvent& tick, const State& state) const {
    // Job name → handler. A plain table, not self-registration: each feature adds its row here.
    static constexpr std::array<std::pair<std::string_view, JobHandler>, 11> kJobHandlers{{
        {"conventions-check", &Engine::check_groups},
        {"coverage-reminder", &Engine::remind_coverage},
        {"coverage-gaps", &Engine::report_coverage_gaps},
        {"monthly-digest", &Engine::send_monthly_digest},
        {"sla-check", &Engine::check_plan_deadlines},
        {"risk-escalation", &Engine::escalate_risk_notices},
        {"nickname-evening", &Engine::remind_nicknames},
        {"nickname-morning", &Engine::escalate_nicknames},
        {"score-draft", &Engine::draft_scores},
        {"weekly-scores", &Engine::publish_scores},
        {"annual-ranking", &Engine::announce_annual_ranking},
    }};
    for (const auto& [name, handler] : kJobHandlers) {
        if (name == tick.job) {
            return (this->*handler)(tick, state);
        }
    }
    return {};
}

Decision Engine::handle_message(const InboundEvent& event, const State& state) const {
    if (auto notice = RiskNoticeEngine(settings_).on_message(event, state)) {
        return std::move(*notice);
    }
    if (auto briefing = BriefingEngine(settings_).on_message(event, state)) {
        return std::move(*briefing);
    }
    if (auto command = DemandCommands(settings_).on_command(event, state)) {
        return std::move(*command);
    }
    if (auto command = ScoreCommands(settings_).on_command(event, state)) {
        return std::move(*command);
    }
    if (auto command = ConventionEngine(settings_).on_command(event, state)) {
        return std::move(*command);
    }
    if (auto supplement = VisitSupplement(settings_).on_command(event, state)) {
        return std::move(*supplement);
    }
    // A header makes it a report; so does free text that reads like one (a listed company, a
    // visit cue and a sign it happened). Never silently drop a message that looks like a report.
    const bool is_report =
        !event.text.empty() &&
        (has_report_header(event.text, settings_.report) ||
         looks_like_visit_report(event.text, state.directory(), settings_.report));
    if (is_report) {
        return record_visit(event, state);
    }
    // Any other image is evidence for a record, or nothing the bot needs to answer.
    return event.image ? attach_evidence(event, state, settings_) : Decision{};
}

Decision Engine::record_visit(const InboundEvent& event, const State& state) const {
    Decision decision;
    const ParsedReport parsed =
        parse_visit_report(event.text, event.time, state.directory(), settings_.report);

    VisitRecord record;
    record.number = state.next_visit_number();
    record.company_id = parsed.company_id;
    record.company_name = parsed.value(VisitField::company);
    record.visit_time = parsed.visit_time;
    record.mode = parsed.value(VisitField::mode);
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

    const bool in_group = event.chat.kind == ChatKind::group;
    const nlohmann::json understood =
        visit_answer::value_rows(parsed.values, settings_.report, in_group);
    nlohmann::json missing = nlohmann::json::array();
    for (VisitField field : parsed.missing) {
        missing.push_back({{"label", settings_.report.label(field)}});
    }
    const std::string code = visit_code(record.number);
    const std::string first_missing =
        parsed.missing.empty() ? std::string{} : settings_.report.label(parsed.missing.front());
    // The state is asked for a demand number only when there are demands to number.
    std::vector<Demand> demands =
        parsed.demands.empty()
            ? std::vector<Demand>{}
            : visit_answer::demands_for(
                  parsed.demands, record, state.next_demand_number(), event.time,
                  settings_.calendar.deadline_after(event.time, settings_.ledger.plan_working_days));

    Notice answer;
    answer.template_id = "visit_recorded";
    answer.target = confidential_reply_target(event, record.company_id, state, settings_.routing);
    answer.fields = {
        {"record_id", code},
        {"reporter", event.sender.name.empty() ? event.sender.id : event.sender.name},
        {"complete", parsed.missing.empty() && parsed.issues.empty()},
        {"has_understood", !understood.empty()},
        {"understood", understood},
        {"missing_text", visit_answer::labels_text(parsed.missing, settings_.report)},
        {"has_missing", !parsed.missing.empty()},
        {"missing", missing},
        {"has_issues", !parsed.issues.empty()},
        {"issues", visit_answer::issue_rows(parsed.issues, settings_.report, in_group)},
        {"example_field", first_missing},
        {"supplement_command", settings_.report.supplement_command()},
        {"has_demands", !demands.empty()},
        {"demands", visit_answer::demand_rows(demands, in_group)},
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

}  // namespace ledgerbot::bot
