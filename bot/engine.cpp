#include "bot/engine.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>

#include "bot/chat/help.hpp"
#include "bot/conventions/convention_engine.hpp"
#include "bot/conventions/removal_refused.hpp"
#include "bot/operations/delivery_alert.hpp"
#include "bot/platform_identity.hpp"
#include "bot/reports/visit_evidence.hpp"
#include "bot/reports/visit_recording.hpp"
#include "bot/scoring/points_journal.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/message_header.hpp"

namespace ledgerbot::bot {

Engine::Engine(settings::EngineSettings settings)
    : settings_(std::move(settings)),
      commands_(command_rows(settings_)),
      headers_(header_rows(settings_)) {}

Decision Engine::record_points(const model::InboundEvent& event, const Decision& decided,
                               const State& after) const {
    Decision decision;
    std::vector<model::PointEntry> entries = scoring::reconcile_points(
        after, settings_.scores, scoring::journal_scope(event, decided, after), event.time);
    if (!entries.empty()) {
        decision.score_changes.emplace_back(PointsEntered{std::move(entries)});
    }
    return decision;
}

std::vector<model::Notice> Engine::tell_points(std::vector<model::Notice> notices,
                                               const Decision& points) {
    for (model::Notice& notice : notices) {
        if (notice.template_id != "visit_recorded" || !notice.fields.contains("record_id")) {
            continue;
        }
        const auto number =
            text::parse_numbered_id(notice.fields["record_id"].get<std::string>(), 'V');
        // Per person, in the order the journal lists them.
        std::vector<std::pair<std::string, double>> earned;
        for (const auto& change : points.score_changes) {
            const auto* entered = std::get_if<PointsEntered>(&change);
            if (entered == nullptr || !number) {
                continue;
            }
            for (const model::PointEntry& entry : entered->entries) {
                if (entry.visit_number != *number) {
                    continue;
                }
                auto it = std::find_if(earned.begin(), earned.end(),
                                       [&](const auto& p) { return p.first == entry.person_name; });
                if (it == earned.end()) {
                    earned.emplace_back(entry.person_name, 0.0);
                    it = std::prev(earned.end());
                }
                it->second += entry.points;  // already the visitor's share
            }
        }
        std::string text;
        for (const auto& [name, total] : earned) {
            text += (text.empty() ? "" : "、") + name + " " + scoring::format_points(total) + " 分";
        }
        notice.fields["has_points"] = !text.empty();
        notice.fields["points_text"] = text;
    }
    return notices;
}

Decision Engine::rebuild_points(const State& state, std::int64_t now) const {
    scoring::JournalScope scope;
    for (const model::VisitRecord& visit :
         state.visits_between(std::numeric_limits<std::int64_t>::min(), now)) {
        scope.visits.push_back(visit.number);
    }
    for (const model::Demand& demand : state.demands_without_visit()) {
        scope.demands.push_back(demand.number);
    }
    Decision decision;
    std::vector<model::PointEntry> entries =
        scoring::reconcile_points(state, settings_.scores, scope, now);
    if (!entries.empty()) {
        decision.score_changes.emplace_back(PointsEntered{std::move(entries)});
    }
    return decision;
}

Decision Engine::handle(const model::InboundEvent& event, const State& state,
                        std::optional<reports::ReportCheck> read) const {
    Decision decision = dispatch(with_staff_ids(event, state.directory()), state, std::move(read));
    address_on_platform(decision.notices, state.directory());
    return decision;
}

std::optional<reports::ReportCheck> Engine::read_ahead(const model::InboundEvent& received,
                                                       const model::Directory& directory) const {
    if (received.type != model::EventType::message || received.text.empty()) {
        return std::nullopt;
    }
    // The same routing as handle_message, up to where it reads a report.
    const model::InboundEvent event = with_staff_ids(received, directory);
    if (const auto header = header_of(event)) {
        const model::StaffMember* sender = directory.find_staff(event.sender.id);
        if (!header->first->reads_report || sender == nullptr) {
            return std::nullopt;
        }
        return reports::ReportCheck{true,
                                    reports::parse_report_of(event, *sender, directory, settings_)};
    }
    if (text::parse_chat_command(event.text) || chat::is_bare_help(event.text, settings_)) {
        return std::nullopt;
    }
    reports::ReportCheck check = reports::check_visit_report(event, directory, settings_);
    if (check.is_report && !check.parsed) {
        // The judgement did not need the whole parse; recording does.
        if (const model::StaffMember* sender = directory.find_staff(event.sender.id)) {
            check.parsed = reports::parse_report_of(event, *sender, directory, settings_);
        }
    }
    return check;
}

std::optional<std::pair<const HeaderRow*, std::string>> Engine::header_of(
    const model::InboundEvent& event) const {
    for (const HeaderRow& row : headers_) {
        if (auto body = text::text_after_header(event.text, row.headers)) {
            return std::pair{&row, std::move(*body)};
        }
    }
    return std::nullopt;
}

Decision Engine::dispatch(const model::InboundEvent& event, const State& state,
                          std::optional<reports::ReportCheck> read) const {
    switch (event.type) {
        case model::EventType::message:
            return handle_message(event, state, std::move(read));
        case model::EventType::tick:
            return handle_tick(event, state);
        case model::EventType::evidence_fetched:
            return reports::record_evidence_fetch(event, settings_);
        case model::EventType::delivery_failing:
            return operations::alert_failing_delivery(event, state, settings_);
        case model::EventType::notice_refused:
            return conventions::on_notice_refused(event, state, settings_);
        default:
            return conventions::on_group_event(event, state, settings_);
    }
}

Decision Engine::handle_tick(const model::InboundEvent& tick, const State& state) const {
    // Startup refuses a configured job without a handler (job_handler); a tick stored by an
    // older configuration still decides nothing rather than failing.
    const JobHandler handler = job_handler(tick.job);
    return handler != nullptr ? handler(JobCall{tick, state, settings_}) : Decision{};
}

Decision Engine::handle_message(const model::InboundEvent& event, const State& state,
                                std::optional<reports::ReportCheck> read) const {
    if (const auto header = header_of(event)) {
        const auto& [row, body] = *header;
        const reports::ParsedReport* report =
            row->reads_report && read && read->parsed ? &*read->parsed : nullptr;
        return row->handler(HeaderCall{event, body, state, settings_, report});
    }
    if (const auto typed = text::parse_chat_command(event.text)) {
        if (const auto route = commands_.route(*typed)) {
            return route->handler(CommandCall{event, route->command, state, settings_});
        }
        // Nothing that looks like a command goes unanswered.
        return chat::answer_unknown_command(event, *typed, state, settings_);
    }
    if (chat::is_bare_help(event.text, settings_)) {
        return chat::answer_bare_help(event, state, settings_);
    }
    if (auto check = read ? std::move(*read) : reports::check_visit_report(event, state, settings_);
        check.is_report) {
        return reports::record_visit(event, state, settings_, std::move(check.parsed));
    }
    if (event.chat.kind == model::ChatKind::direct &&
        state.directory().find_staff(event.sender.id) != nullptr &&
        reports::is_unlisted_visit(event, state, settings_)) {
        return reports::answer_unlisted_visit(event, settings_);
    }
    // Any other image is evidence for a record, or nothing the bot needs to answer.
    return event.image ? reports::attach_evidence(event, state, settings_) : Decision{};
}

}  // namespace ledgerbot::bot
