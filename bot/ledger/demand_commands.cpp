#include "bot/ledger/demand_commands.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "bot/decision_context.hpp"
#include "bot/ledger/demand_fields.hpp"
#include "bot/staff_roles.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/labelled_fields.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/time_expression.hpp"

namespace ledgerbot::bot::ledger {
namespace {

// 60%, 60％, 0.6, 60 → 60.
std::optional<int> parse_percent(std::string_view text) {
    std::string value = text::to_half_width(text::trim(text));
    const bool percent = !value.empty() && value.back() == '%';
    if (percent) {
        value.pop_back();
    }
    try {
        std::size_t used = 0;
        double number = std::stod(value, &used);
        if (used != value.size() || number < 0) {
            return std::nullopt;
        }
        if (!percent && number <= 1.0 && value.find('.') != std::string::npos) {
            number *= 100;
        }
        if (number > 100) {
            return std::nullopt;
        }
        return static_cast<int>(std::lround(number));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// 12万, 12.5万元, 120000, 120000元 → yuan.
std::optional<std::int64_t> parse_yuan(std::string_view text) {
    std::string value = text::to_half_width(text::trim(text));
    double scale = 1;
    for (const auto& [suffix, factor] :
         {std::pair<std::string, double>{"元", 1}, {"万", 10000}, {"亿", 100000000}}) {
        if (value.size() >= suffix.size() &&
            value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0) {
            value.erase(value.size() - suffix.size());
            scale *= factor;
        }
    }
    value.erase(std::remove(value.begin(), value.end(), ','), value.end());
    try {
        std::size_t used = 0;
        const double number = std::stod(value, &used);
        if (used != value.size() || number < 0) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(std::llround(number * scale));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string action_of(const std::string& word, const settings::LedgerSettings& settings) {
    for (const auto& [action, words] : settings.commands) {
        if (std::find(words.begin(), words.end(), word) != words.end()) {
            return action;
        }
    }
    return {};
}

// The company's account manager and department, the demand's owner and referrer, and line
// directors may update a demand; a referral lands by the department it went to.
bool may_update(const model::StaffMember& staff, const model::Demand& demand,
                const model::Company* company, const std::string& action,
                const DecisionContext& ctx) {
    if (action == "referral_landed") {
        return staff.department == demand.referral_department;
    }
    if (staff.id == demand.owner_id || staff.id == demand.referred_by ||
        has_any_title(staff, ctx.rules().supervisor_titles)) {
        return true;
    }
    return company != nullptr &&
           (staff.id == company->account_manager ||
            (!company->department.empty() && staff.department == company->department));
}

// 第十一条: a company's data is answered in its own project group or to the person directly.
model::NoticeTarget answer_target(const model::InboundEvent& message, const model::Demand& demand,
                                  const DecisionContext& ctx) {
    if (message.chat.kind == model::ChatKind::group) {
        const auto group = ctx.state().group(message.source, message.chat.id);
        if (!group || !group->group.enforced() || group->group.company_id != demand.company_id) {
            return ctx.person_target(message.source, message.sender.id);
        }
    }
    return reply_target(message);
}

/// A date written in a command's argument, and the argument without it.
struct DatedArgument {
    std::int64_t at = 0;  ///< 12:00 local on that day: the middle of the day it happened
    std::string written;  ///< as typed, for the answer
    std::string rest;
};

std::optional<DatedArgument> dated_argument(const std::string& argument, std::int64_t now) {
    namespace expression = time::time_expression;
    const std::u32string folded = text::fold_width(text::decode_utf8(argument));
    // Free-text forms only: 60% and 12.5万 are not dates.
    for (const expression::Mention& mention :
         expression::scan(folded, expression::ScanMode::free_text)) {
        if (!mention.date) {
            continue;
        }
        const auto day = expression::resolve_date(*mention.date, time::local_date(now));
        if (!day) {
            return std::nullopt;
        }
        std::u32string rest = folded;
        rest.erase(mention.begin, mention.end - mention.begin);
        return DatedArgument{time::from_local(*day, 12, 0, 0),
                             text::encode_utf8(std::u32string_view(folded).substr(
                                 mention.begin, mention.end - mention.begin)),
                             text::trim(text::encode_utf8(rest))};
    }
    return std::nullopt;
}

/// /签约 <企业> for a company no visit report recorded a demand of: the agreement becomes a
/// demand of its own, contracted, credited to the company's account manager (else a staff
/// member the command names, else the sender).
model::Demand unvisited_agreement(const model::Company& company, const model::InboundEvent& message,
                                  const std::string& argument, std::int64_t when,
                                  const State& state, const DecisionContext& ctx,
                                  const std::string& default_summary) {
    model::Demand d;
    d.number = state.next_demand_number();
    d.company_id = company.id;
    d.company_name = company.full_name;
    d.summary = argument.empty() ? default_summary : argument;
    d.status = "contracted";
    d.collected_at = message.time;
    d.planned_at = message.time;
    d.contracted_at = when;
    d.channel = message.source;
    const model::StaffMember* credited = ctx.directory().find_staff(company.account_manager);
    for (const std::string& word : text::split_words(argument)) {
        if (credited != nullptr) {
            break;
        }
        credited = ctx.directory().find_staff_by_name(word);
    }
    if (credited == nullptr) {
        credited = ctx.directory().find_staff(message.sender.id);
    }
    d.owner_id = credited != nullptr ? credited->id : message.sender.id;
    d.owner_name = credited != nullptr ? credited->name : message.sender.name;
    return d;
}

void refuse(DecisionContext& ctx, const model::NoticeTarget& target, const std::string& problem,
            nlohmann::json fields) {
    fields[problem] = true;
    ctx.notify(target, "demand_command_refused", std::move(fields));
}

}  // namespace

Decision update_demand(const CommandCall& call) {
    return DemandCommands(call.settings).update(call.message, call.command, call.state);
}

Decision check_plan_deadlines(const JobCall& call) {
    return DemandCommands(call.settings).check_plan_deadlines(call.tick, call.state);
}

Decision DemandCommands::update(const model::InboundEvent& message,
                                const text::ChatCommand& command, const State& state) const {
    const std::string action = action_of(command.word, settings_.ledger);
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const std::string slash = "/" + command.word;
    const std::vector<std::string> words = text::split_words(command.argument);
    if (words.empty()) {
        refuse(ctx, reply_target(message), "usage", {{"command", slash}});
        return decision;
    }
    std::string argument =
        text::trim(std::string_view(command.argument)
                       .substr(command.argument.find(words.front()) + words.front().size()));
    // When it happened, if the command says so (/签约 D7 2026-11-20): at most backdate_days back.
    const std::optional<DatedArgument> dated = dated_argument(argument, message.time);
    std::int64_t when = message.time;
    if (dated) {
        argument = dated->rest;
        if (dated->at > message.time) {
            refuse(ctx, reply_target(message), "date_future",
                   {{"command", slash}, {"date", dated->written}});
            return decision;
        }
        if (dated->at < message.time - std::int64_t{settings_.ledger.backdate_days} * 86400) {
            refuse(ctx, reply_target(message), "date_too_old",
                   {{"command", slash},
                    {"date", dated->written},
                    {"days", settings_.ledger.backdate_days}});
            return decision;
        }
        when = dated->at;
    }

    std::optional<model::Demand> found;
    bool created = false;
    if (const auto number = text::parse_numbered_id(words.front(), 'D')) {
        found = state.demand(*number);
        if (!found) {
            refuse(ctx, reply_target(message), "not_found",
                   {{"command", slash}, {"demand_id", model::demand_code(*number)}});
            return decision;
        }
    } else {
        // Quality events are facts about a company: /签约 星河新材 works without a demand id.
        const model::Company* named = ctx.directory().find_company(words.front());
        const bool by_company =
            action == "contract" || action == "progress" || action == "referral_landed";
        if (named == nullptr || !by_company) {
            refuse(ctx, reply_target(message), "usage",
                   {{"command", slash},
                    {"company_unknown", by_company},
                    {"company_text", words.front()}});
            return decision;
        }
        std::vector<model::Demand> fit;
        std::vector<model::Demand> waiting;  // /签约: open, but without a plan yet
        for (model::Demand& d : state.open_demands(named->id)) {
            const bool fits = (action == "contract" && d.status == "planned") ||
                              (action == "progress" && d.status == "contracted") ||
                              (action == "referral_landed" && !d.referral_department.empty() &&
                               d.referral_landed_at == 0);
            if (fits) {
                fit.push_back(std::move(d));
            } else if (action == "contract" && d.status == "collected") {
                waiting.push_back(std::move(d));
            }
        }
        const auto codes = [](const std::vector<model::Demand>& list) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& d : list) {
                out.push_back(
                    {{"demand_id", model::demand_code(d.number)}, {"summary", d.summary}});
            }
            return out;
        };
        if (fit.size() > 1) {
            refuse(ctx, reply_target(message), "several_demands",
                   {{"command", slash}, {"company", named->full_name}, {"demands", codes(fit)}});
            return decision;
        }
        if (fit.size() == 1) {
            found = std::move(fit.front());
        } else if (action == "contract" && waiting.empty()) {
            found = unvisited_agreement(*named, message, argument, when, state, ctx,
                                        settings_.ledger.unvisited_agreement_summary);
            created = true;
        } else {
            refuse(ctx, reply_target(message), "no_open_demand",
                   {{"command", slash},
                    {"company", named->full_name},
                    {"needs_plan", !waiting.empty()},
                    {"demands", codes(waiting)}});
            return decision;
        }
    }
    model::Demand demand = *found;
    const std::int64_t number = demand.number;
    const model::NoticeTarget target = answer_target(message, demand, ctx);
    const model::Company* company = ctx.directory().find_company_by_id(demand.company_id);
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    if (staff == nullptr || !may_update(*staff, demand, company, action, ctx)) {
        refuse(ctx, target, "not_allowed",
               {{"demand_id", model::demand_code(number)}, {"company", demand.company_name}});
        return decision;
    }
    const text::LabelledFields fields = text::labelled_fields(argument, settings_.ledger.labels);
    const auto field = [&](const std::string& name) {
        const auto it = fields.values.find(name);
        return it == fields.values.end() ? std::string{} : it->second;
    };
    const auto wrong_status = [&] {
        nlohmann::json f = demand_fields(demand);
        f["command"] = slash;
        refuse(ctx, target, "wrong_status", f);
        return decision;
    };
    if (!demand.open()) {
        return wrong_status();
    }

    const std::string code = model::demand_code(demand.number);
    if (action == "plan") {
        const std::string owner_text = field("owner");
        const std::string plan = field("plan").empty() ? fields.rest : field("plan");
        const model::StaffMember* owner = ctx.directory().find_staff_by_name(owner_text);
        if (owner == nullptr) {
            owner = ctx.directory().find_staff(owner_text);
        }
        if (owner == nullptr || plan.empty()) {
            refuse(ctx, target, "missing_plan",
                   {{"command", slash},
                    {"demand_id", code},
                    {"owner_unknown", !owner_text.empty() && owner == nullptr},
                    {"owner_text", owner_text}});
            return decision;
        }
        demand.plan = plan;
        demand.owner_id = owner->id;
        demand.owner_name = owner->name;
        demand.planned_at = message.time;
        if (demand.status == "collected") {
            demand.status = "planned";
        }
    } else if (action == "contract") {
        if (created) {
            // Recorded below as a new demand, already contracted.
        } else if (demand.status != "planned") {
            return wrong_status();
        } else {
            demand.status = "contracted";
            demand.contracted_at = when;
        }
    } else if (action == "progress") {
        if (demand.status != "contracted") {
            return wrong_status();
        }
        const std::string ratio_text = field("ratio");
        const std::string revenue_text = field("revenue");
        const auto ratio = ratio_text.empty() ? std::optional<int>{} : parse_percent(ratio_text);
        const auto revenue =
            revenue_text.empty() ? std::optional<std::int64_t>{} : parse_yuan(revenue_text);
        if ((ratio_text.empty() && revenue_text.empty()) || (!ratio_text.empty() && !ratio) ||
            (!revenue_text.empty() && !revenue)) {
            refuse(ctx, target, "bad_progress",
                   {{"command", slash},
                    {"demand_id", code},
                    {"ratio", ratio_text},
                    {"revenue", revenue_text}});
            return decision;
        }
        if (ratio) {
            if (*ratio != demand.completion_percent) {
                demand.progress_at = when;  // 创收 counts the change at this date
            }
            demand.completion_percent = *ratio;
        }
        if (revenue) {
            demand.revenue_yuan = *revenue;
        }
    } else if (action == "refer") {
        const std::string department =
            field("department").empty() ? fields.rest : field("department");
        if (department.empty() || (company != nullptr && department == company->department)) {
            refuse(ctx, target, "bad_referral",
                   {{"command", slash}, {"demand_id", code}, {"department", department}});
            return decision;
        }
        demand.referral_department = department;
        demand.referred_by = message.sender.id;
        demand.referral_landed_at = 0;
    } else if (action == "referral_landed") {
        if (demand.referral_department.empty() || demand.referral_landed_at != 0) {
            return wrong_status();
        }
        demand.referral_landed_at = when;
    } else if (action == "complete") {
        if (demand.status != "contracted") {
            return wrong_status();
        }
        demand.status = "completed";
        demand.closed_at = message.time;
    } else if (action == "infeasible") {
        const std::string reason = field("reason").empty() ? fields.rest : field("reason");
        if (reason.empty()) {
            refuse(ctx, target, "missing_reason", {{"command", slash}, {"demand_id", code}});
            return decision;
        }
        demand.status = "infeasible";
        demand.infeasible_reason = reason;
        demand.closed_at = message.time;
    } else {
        return Decision{};  // a configured action this build does not know
    }

    model::DemandHistoryEntry history{demand.number, message.time, message.sender.id, action,
                                      dated ? dated->written + " " + argument : argument};
    if (created) {
        decision.changes.emplace_back(DemandCreated{demand});
        decision.changes.emplace_back(DemandUpdated{demand, history});
    } else {
        decision.changes.emplace_back(DemandUpdated{demand, history});
    }
    ctx.audit(message.sender.id, "demand." + action, code,
              {{"status", demand.status}, {"said", argument}, {"company", demand.company_name}});
    nlohmann::json answer = demand_fields(demand);
    answer["action_" + action] = true;
    answer["by_name"] = staff->name;
    answer["created"] = created;
    if (dated) {
        answer["happened_on"] = time::format_date(time::local_date(when));
    }
    ctx.notify(target, "demand_updated", answer);
    if (action == "plan" && demand.owner_id != message.sender.id) {
        answer["to_owner"] = true;
        ctx.notify(ctx.person_target(message.source, demand.owner_id), "demand_updated", answer);
    }
    return decision;
}

Decision DemandCommands::check_plan_deadlines(const model::InboundEvent& tick,
                                              const State& state) const {
    Decision decision;
    const auto today = time::local_date(tick.time);
    if (!settings_.calendar.is_working_day(today)) {
        return decision;
    }
    DecisionContext ctx(settings_, state, decision);
    for (model::Demand demand : state.demands_awaiting_plan()) {
        if (demand.plan_deadline == 0) {
            continue;
        }
        const model::Company* company = ctx.directory().find_company_by_id(demand.company_id);
        const std::string code = model::demand_code(demand.number);
        nlohmann::json fields = demand_fields(demand);
        if (tick.time <= demand.plan_deadline) {
            if (time::local_date(demand.plan_deadline) != today || demand.sla_reminded_at != 0 ||
                company == nullptr || company->account_manager.empty()) {
                continue;
            }
            demand.sla_reminded_at = tick.time;
            ctx.notify(ctx.person_target(demand.channel, company->account_manager),
                       "demand_plan_reminder", fields);
            ctx.audit(std::string(kBotActor), "demand.plan_reminded", code,
                      {{"to", company->account_manager}});
        } else {
            if (demand.sla_escalated_at != 0) {
                continue;
            }
            demand.sla_escalated_at = tick.time;
            const std::vector<const model::StaffMember*> heads =
                ctx.department_heads(company != nullptr ? company->department : std::string{});
            model::Risk risk;
            risk.kind = "sla";
            risk.source = demand.channel;
            risk.company_id = demand.company_id;
            risk.company_name = demand.company_name;
            risk.subject = code;
            risk.detail = {{"demand", code},
                           {"days", std::to_string(settings_.ledger.plan_working_days)}};
            for (const model::StaffMember* head : heads) {
                risk.told.push_back(head->id);
            }
            risk.told.emplace_back("compliance");
            risk.raised_at = tick.time;
            risk.lead_id = company != nullptr ? company->account_manager : std::string{};
            const std::int64_t number = ctx.raise_risk(std::move(risk));
            ctx.add_risk_fields(fields, number);
            for (const model::StaffMember* head : heads) {
                ctx.notify(ctx.person_target(demand.channel, head->id), "demand_plan_overdue",
                           fields);
            }
            ctx.notify_compliance(demand.channel, "demand_plan_overdue", fields);
            ctx.audit(std::string(kBotActor), "demand.plan_overdue", code,
                      {{"risk", model::risk_code(number)}});
        }
        decision.changes.emplace_back(DemandUpdated{demand, std::nullopt});
    }
    return decision;
}

}  // namespace ledgerbot::bot::ledger
