#include "bot/reports/visit_lookup.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <string>

#include "bot/decision_context.hpp"
#include "bot/reports/visit_answer.hpp"
#include "bot/staff_roles.hpp"
#include "bot/staff_scope.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/quarter.hpp"

namespace ledgerbot::bot::reports {
namespace {

/// `/走访 星河新材 [2026Q4]`: the company's visits in a quarter (this one by default) and whether
/// the quarter is covered (第六条).
Decision show_company_visits(const CommandCall& call, const std::vector<std::string>& words) {
    Decision decision;
    const settings::EngineSettings& settings = call.settings;
    DecisionContext ctx(settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string slash = "/" + call.command.word;
    std::optional<time::Quarter> quarter = time::parse_quarter(words.back(), message.time);
    std::string name;
    for (std::size_t i = 0; i + (quarter ? 1 : 0) < words.size(); ++i) {
        name += words[i];
    }
    if (!quarter) {
        quarter = time::quarter_at(message.time);
    }
    const model::Company* company = ctx.directory().find_company(name);
    if (company == nullptr && !name.empty()) {
        company = ctx.directory().find_company_in_text(name);
    }
    if (company == nullptr) {
        ctx.notify(reply_target(message), "visit_lookup_refused",
                   {{"usage", true}, {"command", slash}, {"asked", name}});
        return decision;
    }
    const auto scope = staff_scope(message.sender.id, call.state, settings);
    if (!scope || !scope->covers(*company)) {
        ctx.notify(ctx.person_target(message.source, message.sender.id), "visit_lookup_refused",
                   {{"company_not_allowed", true}, {"company", company->full_name}});
        return decision;
    }
    const std::vector<model::VisitRecord> visits = call.state.company_visits_between(
        std::vector<std::int64_t>{company->id}, quarter->from, quarter->to);
    nlohmann::json rows = nlohmann::json::array();
    bool covered = false;
    for (const model::VisitRecord& visit : visits) {
        const auto void_of = call.state.visit_void(visit.number);
        const bool voided = void_of.has_value();
        const bool withdrawn = voided && void_of->withdrawn;
        covered = covered || !withdrawn;
        rows.push_back(
            {{"visit_id", model::visit_code(visit.number)},
             {"date", time::format_local_minutes(visit.visit_time.value_or(visit.reported_at))},
             {"mode", visit.mode},
             {"reporter", ctx.person_name(visit.reporter_id)},
             {"complete", visit.complete()},
             {"missing_text", visit_answer::labels_text(visit.missing, settings.report)},
             {"voided", voided && !withdrawn},
             {"withdrawn", withdrawn}});
    }
    const model::NoticeTarget target =
        confidential_reply_target(message, company->id, call.state, settings.routing);
    ctx.notify(
        target, "visit_list",
        {{"company", company->full_name},
         {"quarter", quarter->label},
         {"any", !rows.empty()},
         {"count", rows.size()},
         {"rows", std::move(rows)},
         {"covered", covered},
         {"must_cover", settings::must_be_covered(*company, settings.ledger)},
         {"manager", company->account_manager.empty() ? std::string{}
                                                      : ctx.person_name(company->account_manager)},
         {"command", slash}});
    ctx.audit(scope->person, "visit.listed", company->full_name,
              {{"quarter", quarter->label}, {"visits", visits.size()}});
    return decision;
}

}  // namespace

bool may_read_visit(const model::StaffMember& staff, const model::VisitRecord& visit,
                    const DecisionContext& ctx, const settings::EngineSettings& settings) {
    if (staff.id == visit.reporter_id || std::find(visit.visitors.begin(), visit.visitors.end(),
                                                   staff.name) != visit.visitors.end()) {
        return true;
    }
    if (has_any_title(staff, settings.conventions.supervisor_titles) ||
        has_any_title(staff, settings.scores.reviewer_titles) ||
        is_compliance_staff(staff, settings.conventions) ||
        std::any_of(
            settings.scores.lines.begin(), settings.scores.lines.end(),
            [&](const settings::ScoreLineSettings& l) { return l.director_id == staff.id; })) {
        return true;
    }
    if (const model::Company* company = ctx.directory().find_company_by_id(visit.company_id);
        company != nullptr && company->account_manager == staff.id) {
        return true;
    }
    const model::StaffMember* reporter = ctx.directory().find_staff(visit.reporter_id);
    if (reporter != nullptr) {
        for (const model::StaffMember* head : ctx.department_heads(reporter->department)) {
            if (head->id == staff.id) {
                return true;
            }
        }
    }
    return false;
}

nlohmann::json visit_detail_fields(const model::VisitRecord& visit, const State& state,
                                   const settings::EngineSettings& settings, bool in_group) {
    Decision unused;
    DecisionContext ctx(settings, state, unused);
    const auto details = state.scoring_details_of(std::vector<std::int64_t>{visit.number});
    const model::VisitScoringDetails none;
    const auto found = details.find(visit.number);
    const model::VisitScoringDetails& d = found == details.end() ? none : found->second;
    nlohmann::json findings = nlohmann::json::array();
    for (const model::VisitFinding& f : d.findings) {
        findings.push_back({{"kind_" + f.kind, true},
                            {"reason", f.reason},
                            {"by", f.by_name},
                            {"at", time::format_local_minutes(f.at)}});
    }
    return nlohmann::json{
        {"visit_id", model::visit_code(visit.number)},
        {"company", visit.company_name},
        {"reporter", ctx.person_name(visit.reporter_id)},
        {"reported_at", time::format_local_minutes(visit.reported_at)},
        {"rows", visit_answer::value_rows(visit.values, settings.report, in_group)},
        {"complete", visit.complete()},
        {"missing_text", visit_answer::labels_text(visit.missing, settings.report)},
        {"evidence", d.evidence},
        {"supplements", static_cast<std::int64_t>(d.supplement_times.size())},
        {"has_findings", !findings.empty()},
        {"findings", findings},
        {"voided", d.voided.has_value() && !d.voided->withdrawn},
        {"withdrawn", d.voided.has_value() && d.voided->withdrawn},
        {"void_reason", d.voided ? d.voided->reason : std::string{}},
        {"has_demands", !d.demands.empty()},
        {"demands", visit_answer::demand_rows(d.demands, in_group)}};
}

Decision show_visit(const CommandCall& call) {
    Decision decision;
    const settings::EngineSettings& settings = call.settings;
    DecisionContext ctx(settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::vector<std::string> words = text::split_words(call.command.argument);
    const auto number = words.size() == 1 ? text::parse_numbered_id(words[0], 'V') : std::nullopt;
    const std::string slash = "/" + call.command.word;
    if (!number && !words.empty()) {
        return show_company_visits(call, words);
    }
    if (!number) {
        ctx.notify(reply_target(message), "visit_lookup_refused",
                   {{"usage", true}, {"command", slash}});
        return decision;
    }
    const auto visit = call.state.visit(*number);
    if (!visit) {
        ctx.notify(reply_target(message), "visit_lookup_refused",
                   {{"not_found", true}, {"visit_id", model::visit_code(*number)}});
        return decision;
    }
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    if (staff == nullptr || !may_read_visit(*staff, *visit, ctx, settings)) {
        ctx.notify(ctx.person_target(message.source, message.sender.id), "visit_lookup_refused",
                   {{"not_allowed", true},
                    {"visit_id", model::visit_code(*number)},
                    {"company", visit->company_name}});
        return decision;
    }
    const model::NoticeTarget target =
        confidential_reply_target(message, visit->company_id, call.state, settings.routing);
    const bool in_group = target.kind == model::NoticeTarget::Kind::chat;
    nlohmann::json fields = visit_detail_fields(*visit, call.state, settings, in_group);
    ctx.notify(target, "visit_detail", std::move(fields));
    ctx.audit(staff->id, "visit.viewed", model::visit_code(visit->number),
              {{"company", visit->company_name}});
    return decision;
}

}  // namespace ledgerbot::bot::reports
