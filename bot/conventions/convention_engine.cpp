#include "bot/conventions/convention_engine.hpp"

#include <algorithm>
#include <set>

#include "bot/conventions/first_members_rule.hpp"
#include "bot/conventions/group_name_rule.hpp"
#include "bot/conventions/group_work.hpp"
#include "bot/conventions/nickname_rule.hpp"
#include "bot/decision_context.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::conventions {
namespace {

using conventions::GroupWork;

// WeCom customer groups (the app's change_external_chat events) have no send API; every other
// group the bot hears about is one it can post in.
bool can_post_in(const std::string& source) {
    return source != "wecom-app";
}

GroupWork open_group(const model::InboundEvent& event, const State& state) {
    if (auto existing = state.group(event.source, event.chat.id)) {
        return GroupWork(std::move(*existing), false);
    }
    model::GroupView view;
    view.group.source = event.source;
    view.group.chat_id = event.chat.id;
    view.group.can_post = can_post_in(event.source);
    view.group.created_at = event.chat.created_at != 0 ? event.chat.created_at : event.time;
    return GroupWork(std::move(view), true);
}

nlohmann::json group_detail(const model::GroupRecord& group) {
    return {{"group", group.chat_id}, {"name", group.name}, {"company", group.company_name}};
}

void set_problem_flag(nlohmann::json& fields, GroupNameProblem problem) {
    if (problem != GroupNameProblem::none) {
        fields[std::string(to_code(problem))] = true;
    }
}

// Classifies the group's (new) name and tells the owner about a misnamed project group once per
// distinct wrong name. A project group stays one when renamed to something unrelated: a rename
// must not switch the rules off.
void apply_name(GroupWork& work, const std::string& name, std::int64_t time, DecisionContext& ctx) {
    const model::GroupKind old_kind = work.group().kind;
    const bool was_enforced = work.group().enforced();
    GroupNameVerdict verdict = check_group_name(name, ctx.directory(), ctx.rules());
    model::GroupRecord& group = work.edit();
    group.name = name;
    if (verdict.kind == model::GroupKind::unrelated && was_enforced) {
        verdict.kind = model::GroupKind::near_miss;
        verdict.what_is_wrong = GroupNameProblem::company_missing;
        verdict.expected_name = group.expected_name;
    } else {
        group.company_id = verdict.company ? std::optional(verdict.company->id) : std::nullopt;
        group.company_name = verdict.company ? verdict.company->full_name : std::string{};
        group.expected_name = verdict.expected_name;
    }
    group.kind = verdict.kind;

    if (verdict.kind == model::GroupKind::project) {
        if (old_kind != model::GroupKind::project) {
            ctx.audit(
                std::string(kBotActor),
                old_kind == model::GroupKind::near_miss ? "group.name_fixed" : "group.registered",
                DecisionContext::group_subject(group), group_detail(group));
        }
        ctx.close_risk(group.name_risk, time, "renamed to " + name);
        group.name_risk = 0;
        group.name_reminded_for.clear();
        return;
    }
    if (verdict.kind == model::GroupKind::unrelated) {
        return;
    }
    if (group.name_reminded_for == name) {
        return;  // already told about exactly this name
    }
    group.name_reminded_for = name;
    group.name_reminded_at = time;
    nlohmann::json fields{
        {"owner_name", ctx.owner_name(work.view())},
        {"group_name", name},
        {"suffix", ctx.rules().group_name_suffix},
        {"company_text", verdict.company_text},
        {"expected_name", verdict.expected_name},
        {"deadline", ctx.rules().group_name_grace_seconds > 0
                         ? DecisionContext::local_time(time + ctx.rules().group_name_grace_seconds)
                         : std::string{}},
    };
    set_problem_flag(fields, verdict.what_is_wrong);
    ctx.notify(ctx.owner_target(group), "group_name_reminder", fields);
    nlohmann::json detail = group_detail(group);
    detail["problem"] = to_code(verdict.what_is_wrong);
    detail["expected_name"] = verdict.expected_name;
    ctx.audit(std::string(kBotActor), "convention.group_name_reminded",
              DecisionContext::group_subject(group), detail);
}

void update_nickname(GroupWork& work, model::GroupMemberRecord& member, const std::string& nickname,
                     std::int64_t time, DecisionContext& ctx);

// `nickname_is_complete`: the event shows the nickname as it is, so an empty one means none is
// set (a snapshot); otherwise an empty nickname only means the event did not say.
void add_member(GroupWork& work, const model::Person& person, std::int64_t time,
                DecisionContext& ctx, bool nickname_is_complete = false) {
    if (person.id.empty()) {
        return;
    }
    model::GroupMemberRecord& member = work.member(person.id);
    if (!person.name.empty()) {
        member.name = person.name;
    }
    member.external = person.external;
    const bool joining = !member.active() || member.joined_at == 0;
    if (!joining) {
        if (nickname_is_complete || !person.nickname.empty()) {
            update_nickname(work, member, person.nickname, time, ctx);
        }
        return;
    }
    member.nickname = person.nickname;
    member.joined_at = person.joined_at != 0 ? person.joined_at : time;
    member.left_at = 0;
    member.left_how = model::LeftHow::none;
    member.stage_done_at = 0;
    member.nickname_reminded_at = 0;
    if (work.group().enforced()) {
        ctx.audit(person.id, "member.joined", DecisionContext::group_subject(work.group()),
                  {{"member", person.id}, {"name", ctx.member_name(member)}});
    }
}

// A nickname that now conforms closes what was raised about it.
void update_nickname(GroupWork& work, model::GroupMemberRecord& member, const std::string& nickname,
                     std::int64_t time, DecisionContext& ctx) {
    if (member.nickname == nickname) {
        return;
    }
    member.nickname = nickname;
    const model::GroupMember as_member{member.id, member.name, member.nickname, member.external};
    if (check_nickname(nickname, as_member, ctx.directory(), ctx.rules()).ok) {
        if (member.nickname_reminded_at != 0 || member.nickname_risk != 0) {
            ctx.audit(member.id, "convention.nickname_fixed",
                      DecisionContext::group_subject(work.group()),
                      {{"member", member.id}, {"nickname", nickname}});
        }
        ctx.close_risk(member.nickname_risk, time, "nickname fixed");
        member.nickname_risk = 0;
        member.nickname_reminded_at = 0;
    }
}

void member_left(GroupWork& work, const std::string& id, model::LeftHow how, std::int64_t time,
                 DecisionContext& ctx) {
    model::GroupMemberRecord* member = work.find_member(id);
    if (member == nullptr) {
        member = &work.member(id);  // never seen join (joined before the bot watched)
    } else if (!member->active()) {
        return;
    }
    member->left_at = time;
    member->left_how = how;
    const model::GroupRecord& group = work.group();
    if (!group.enforced()) {
        return;
    }
    const std::string subject = DecisionContext::group_subject(group);
    const std::string name = ctx.member_name(*member);
    nlohmann::json detail{{"member", id}, {"name", name}, {"how", to_code(how)}};
    if (how == model::LeftHow::removed) {
        detail["stage_done"] = member->stage_done_at != 0;
        ctx.audit(id, "member.removed", subject, detail);
        return;
    }
    const bool exempt = ctx.is_supervisor(*member) || member->stage_done_at != 0;
    if (how == model::LeftHow::unknown) {
        ctx.audit(std::string(kBotActor), "member.gone", subject, detail);
        // Gone without a word of how (WeChat never reports a self-leave): a suspected
        // self-leave, which the owner settles with /确认退群 or /已移出. Nothing is recorded
        // against the member until then.
        if (!exempt) {
            const model::Company* company = ctx.company_of(group);
            ctx.notify(ctx.owner_target(group), "self_leave_confirm",
                       {{"group_name", group.name},
                        {"company", group.company_name},
                        {"company_short", company != nullptr && !company->short_names.empty()
                                              ? company->short_names.front()
                                              : group.company_name},
                        {"member_name", name},
                        {"left_at", DecisionContext::local_time(time)},
                        {"owner_name", ctx.owner_name(work.view())},
                        {"confirm_command", "/" + ctx.rules().confirm_self_leave_commands.front()},
                        {"removed_command", "/" + ctx.rules().confirm_removed_commands.front()}});
        }
        return;
    }
    // Left on their own. Not a violation for supervisors doing their job, nor for a member
    // whose stage the owner had already closed.
    if (exempt) {
        detail["exempt"] = member->stage_done_at != 0 ? "stage_done" : "supervisor";
        ctx.audit(id, "member.left", subject, detail);
        return;
    }
    record_self_leave(work, *member, time, ctx);
}

}  // namespace

std::int64_t record_self_leave(GroupWork& work, const model::GroupMemberRecord& member,
                               std::int64_t time, DecisionContext& ctx) {
    const model::GroupRecord& group = work.group();
    const std::string name = ctx.member_name(member);
    nlohmann::json fields{
        {"group_name", group.name},
        {"company", group.company_name},
        {"member_name", name},
        {"left_at", DecisionContext::local_time(member.left_at != 0 ? member.left_at : time)},
        {"owner_name", ctx.owner_name(work.view())}};
    ctx.audit(member.id, "convention.self_leave", DecisionContext::group_subject(group),
              {{"member", member.id}, {"name", name}, {"how", "self"}});
    const std::int64_t risk = ctx.raise_risk(group, "self_leave", member.id, {{"member", name}},
                                             {ctx.acting_owner_id(group), "compliance"}, time);
    ctx.add_risk_fields(fields, risk);
    ctx.notify(ctx.owner_target(group), "self_leave_violation", fields);
    ctx.notify_compliance(group, "self_leave_violation", fields);
    return risk;
}

namespace {

// First members (第九条（二）) and compliance presence (第九条（四）) for the group as it is now:
// reminds the owner once the group is old enough, raises risks after the grace period, and
// closes them when fixed. Runs on every group event and on the hourly check.
void evaluate_membership(GroupWork& work, std::int64_t now, DecisionContext& ctx) {
    if (!work.group().enforced()) {
        return;
    }
    const model::Company* company = ctx.company_of(work.group());
    if (company == nullptr) {
        return;  // the company left the list: nothing to check the members against
    }
    const std::vector<model::GroupMember> members = work.rule_members();
    const model::GroupRecord& group = work.group();
    const FirstMembersVerdict verdict =
        check_first_members(members, *company, group.owner_id, ctx.directory(), ctx.rules());
    const bool compliance_present = verdict.check(RequiredRole::compliance).present;
    const std::int64_t age = now - group.created_at;
    const std::int64_t grace = ctx.rules().first_members_grace_seconds;
    const std::string subject = DecisionContext::group_subject(group);

    // Compliance alone missing is the compliance rule's own notice (第九条（四）), below.
    const std::vector<RequiredRole> missing = verdict.missing();
    const bool only_compliance_missing =
        missing.size() == 1 && missing.front() == RequiredRole::compliance;
    if (verdict.complete() ||
        (only_compliance_missing && group.first_members_risk == 0 && age >= grace)) {
        if (group.first_members_risk != 0) {
            ctx.close_risk(group.first_members_risk, now, "first members complete");
            work.edit().first_members_risk = 0;
        }
    } else if (age >= grace && group.first_members_risk == 0) {
        nlohmann::json fields{{"group_name", group.name},
                              {"company", group.company_name},
                              {"owner_name", ctx.owner_name(work.view())},
                              {"created_at", DecisionContext::local_time(group.created_at)},
                              {"grace_hours", grace / 3600},
                              {"missing", conventions::missing_roles_json(verdict)}};
        work.edit().first_members_risk =
            ctx.raise_risk(group, "first_members", "", {}, {"compliance"}, now);
        ctx.add_risk_fields(fields, group.first_members_risk);
        ctx.notify_compliance(group, "first_members_risk", fields);
        if (!compliance_present && group.compliance_risk == 0) {
            // The notice above already names the missing compliance head; the register still
            // gets its own open entry, which stays until someone in the role joins.
            work.edit().compliance_risk =
                ctx.raise_risk(group, "compliance_missing", "", {}, {"compliance"}, now);
        }
    } else if (age < grace && age >= ctx.rules().first_members_reminder_seconds &&
               group.first_members_reminded_at == 0) {
        work.edit().first_members_reminded_at = now;
        ctx.notify(ctx.owner_target(group), "first_members_reminder",
                   {{"owner_name", ctx.owner_name(work.view())},
                    {"group_name", group.name},
                    {"deadline", DecisionContext::local_time(group.created_at + grace)},
                    {"missing", conventions::missing_roles_json(verdict)}});
        nlohmann::json missing = nlohmann::json::array();
        for (RequiredRole role : verdict.missing()) {
            missing.push_back(to_code(role));
        }
        ctx.audit(std::string(kBotActor), "convention.first_members_reminded", subject,
                  {{"missing", missing}});
    }

    if (compliance_present) {
        if (group.compliance_risk != 0) {
            ctx.close_risk(group.compliance_risk, now, "a compliance member is in the group");
            work.edit().compliance_risk = 0;
        }
    } else if (age >= grace && group.compliance_risk == 0) {
        work.edit().compliance_risk =
            ctx.raise_risk(group, "compliance_missing", "", {}, {"compliance"}, now);
        nlohmann::json fields{
            {"group_name", group.name},
            {"company", group.company_name},
            {"owner_name", ctx.owner_name(work.view())},
            {"since", DecisionContext::local_time(now)},
            {"compliance_role", ctx.rules().compliance_roles.empty()
                                    ? std::string{}
                                    : ctx.rules().compliance_roles.front()},
            {"candidates", conventions::candidate_names(verdict.check(RequiredRole::compliance))}};
        ctx.add_risk_fields(fields, group.compliance_risk);
        ctx.notify_compliance(group, "compliance_missing_risk", fields);
    }
}

// The misnamed group's grace period ran out: compliance is told once.
void evaluate_name_grace(GroupWork& work, std::int64_t now, DecisionContext& ctx) {
    const model::GroupRecord& group = work.group();
    if (group.kind != model::GroupKind::near_miss || group.name_reminded_at == 0 ||
        group.name_risk != 0 ||
        now < group.name_reminded_at + ctx.rules().group_name_grace_seconds) {
        return;
    }
    work.edit().name_risk = ctx.raise_risk(
        group, "group_name", "", {{"expected_name", group.expected_name}}, {"compliance"}, now);
    nlohmann::json fields{{"group_name", group.name},
                          {"company", group.company_name},
                          {"expected_name", group.expected_name},
                          {"owner_name", ctx.owner_name(work.view())},
                          {"reminded_at", DecisionContext::local_time(group.name_reminded_at)}};
    ctx.add_risk_fields(fields, group.name_risk);
    ctx.notify_compliance(group, "group_name_risk", fields);
}

void dismiss(GroupWork& work, std::int64_t time, DecisionContext& ctx) {
    model::GroupRecord& group = work.edit();
    if (group.dismissed_at != 0) {
        return;
    }
    const bool was_enforced = group.enforced();
    group.dismissed_at = time;
    for (std::int64_t* risk :
         {&group.name_risk, &group.first_members_risk, &group.compliance_risk}) {
        ctx.close_risk(*risk, time, "group dismissed");
        *risk = 0;
    }
    if (was_enforced) {
        ctx.audit(std::string(kBotActor), "group.dismissed", DecisionContext::group_subject(group),
                  group_detail(group));
    }
}

void apply_snapshot(GroupWork& work, const model::InboundEvent& event, DecisionContext& ctx) {
    std::set<std::string> present;
    for (const model::Person& person : event.members) {
        present.insert(person.id);
        add_member(work, person, event.time, ctx, true);
    }
    std::vector<std::string> gone;
    for (const model::GroupMemberRecord* member : work.view().active_members()) {
        if (present.count(member->id) == 0) {
            gone.push_back(member->id);
        }
    }
    for (const std::string& id : gone) {
        member_left(work, id, event.by_self ? model::LeftHow::self : model::LeftHow::unknown,
                    event.time, ctx);
    }
}

}  // namespace

Decision on_group_event(const model::InboundEvent& event, const State& state,
                        const settings::EngineSettings& settings) {
    return ConventionEngine(settings).on_group_event(event, state);
}

Decision check_groups(const JobCall& call) {
    return ConventionEngine(call.settings).check_groups(call.tick, call.state);
}

Decision remind_nicknames(const JobCall& call) {
    return ConventionEngine(call.settings).remind_nicknames(call.tick, call.state);
}

Decision escalate_nicknames(const JobCall& call) {
    return ConventionEngine(call.settings).escalate_nicknames(call.tick, call.state);
}

Decision ConventionEngine::on_group_event(const model::InboundEvent& event,
                                          const State& state) const {
    Decision decision;
    if (event.chat.kind != model::ChatKind::group || event.chat.id.empty()) {
        return decision;
    }
    DecisionContext ctx(settings_, state, decision);
    GroupWork work = open_group(event, state);
    if (event.type == model::EventType::group_dismissed) {
        if (!work.is_new()) {
            dismiss(work, event.time, ctx);
            work.save_into(decision);
        }
        return decision;
    }
    if (work.group().dismissed_at != 0) {
        return decision;  // late events of a dismissed group change nothing
    }

    // Owner first: the name reminder goes to them.
    std::string owner = event.chat.owner_id;
    if (owner.empty() && work.group().owner_id.empty() &&
        event.type == model::EventType::group_created) {
        owner = event.sender.id;  // the creator owns a new group
    }
    if (!owner.empty() && owner != work.group().owner_id) {
        const std::string previous = work.group().owner_id;
        work.edit().owner_id = owner;
        if (!work.is_new() && !previous.empty() && work.group().enforced()) {
            ctx.audit(std::string(kBotActor), "group.owner_changed",
                      DecisionContext::group_subject(work.group()),
                      {{"from", previous}, {"to", owner}});
        }
    }
    if (event.chat.created_at != 0 && work.is_new()) {
        work.edit().created_at = event.chat.created_at;
    }
    if (event.chat.bot_can_remove && *event.chat.bot_can_remove != work.group().bot_can_remove) {
        work.edit().bot_can_remove = *event.chat.bot_can_remove;
    }

    // Members before the name: a group that becomes a project group by a rename is judged with
    // the members it has.
    switch (event.type) {
        case model::EventType::group_created:
            for (const model::Person& person : event.members) {
                add_member(work, person, event.time, ctx);
            }
            if (!work.group().owner_id.empty() &&
                work.view().member(work.group().owner_id) == nullptr) {
                model::Person owner_person;
                owner_person.id = work.group().owner_id;
                if (event.sender.id == owner_person.id) {
                    owner_person = event.sender;
                }
                add_member(work, owner_person, event.time, ctx);
            }
            break;
        case model::EventType::member_joined:
            for (const model::Person& person : event.members) {
                add_member(work, person, event.time, ctx);
            }
            break;
        case model::EventType::member_left:
            for (const model::Person& person : event.members) {
                member_left(work, person.id,
                            event.leave_kind == "unknown" ? model::LeftHow::unknown
                            : event.by_self               ? model::LeftHow::self
                                                          : model::LeftHow::removed,
                            event.time, ctx);
            }
            break;
        case model::EventType::nickname_changed:
            for (const model::Person& person : event.members) {
                add_member(work, person, event.time, ctx, true);
            }
            break;
        case model::EventType::group_snapshot:
            apply_snapshot(work, event, ctx);
            break;
        default:
            break;
    }

    if (!event.chat.name.empty() && (event.chat.name != work.group().name || work.is_new())) {
        apply_name(work, event.chat.name, event.time, ctx);
    }
    evaluate_membership(work, event.time, ctx);
    work.save_into(decision);
    return decision;
}

Decision ConventionEngine::check_groups(const model::InboundEvent& tick, const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    for (model::GroupView& view : state.enforced_groups()) {
        GroupWork work(std::move(view), false);
        evaluate_name_grace(work, tick.time, ctx);
        evaluate_membership(work, tick.time, ctx);
        work.save_into(decision);  // only what changed is written back
    }
    return decision;
}

namespace {

// The members whose nicknames the rule covers, with their verdicts.
template <typename Visit>
void for_each_wrong_nickname(GroupWork& work, DecisionContext& ctx, Visit&& visit) {
    if (!work.group().tracks_nicknames) {
        return;
    }
    std::vector<std::string> ids;
    for (const model::GroupMemberRecord* member : work.view().active_members()) {
        ids.push_back(member->id);
    }
    for (const std::string& id : ids) {
        const model::GroupMemberRecord& member = *work.view().member(id);
        const model::GroupMember as_member{member.id, member.name, member.nickname,
                                           member.external};
        const NicknameVerdict verdict =
            check_nickname(member.nickname, as_member, ctx.directory(), ctx.rules());
        if (!verdict.ok) {
            visit(id, verdict);
        }
    }
}

nlohmann::json nickname_fields(const model::GroupMemberRecord& member,
                               const NicknameVerdict& verdict, const model::GroupRecord& group,
                               DecisionContext& ctx) {
    nlohmann::json fields{{"member_name", ctx.member_name(member)},
                          {"group_name", group.name},
                          {"company", group.company_name},
                          {"nickname", member.nickname},
                          {"expected_example", verdict.expected_example},
                          {"expected_name", verdict.expected_name},
                          {"role", verdict.role}};
    fields[std::string(to_code(verdict.problem))] = true;
    return fields;
}

// The next morning's check after `time`, for "fix it by …".
std::int64_t next_risk_check(std::int64_t time, const settings::TimeOfDay& at) {
    const auto day = time::local_date(time);
    std::int64_t slot = time::from_local(day, at.hour, at.minute, 0);
    if (slot <= time) {
        slot = time::from_local(std::chrono::sys_days(day) + std::chrono::days(1), at.hour,
                                at.minute, 0);
    }
    return slot;
}

}  // namespace

Decision ConventionEngine::remind_nicknames(const model::InboundEvent& tick,
                                            const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    for (model::GroupView& view : state.enforced_groups()) {
        GroupWork work(std::move(view), false);
        for_each_wrong_nickname(work, ctx, [&](const std::string& id, const NicknameVerdict& v) {
            const model::GroupMemberRecord& seen = *work.view().member(id);
            if (seen.nickname_reminded_at != 0 || seen.joined_at > tick.time) {
                return;
            }
            model::GroupMemberRecord& member = *work.find_member(id);
            member.nickname_reminded_at = tick.time;
            nlohmann::json fields = nickname_fields(member, v, work.group(), ctx);
            fields["roles"] = ctx.roles_text();
            fields["deadline"] = DecisionContext::local_time(
                next_risk_check(tick.time, ctx.rules().nickname_risk_time));
            ctx.notify(ctx.member_target(work.group(), member), "nickname_reminder", fields);
            ctx.audit(
                std::string(kBotActor), "convention.nickname_reminded",
                DecisionContext::group_subject(work.group()),
                {{"member", id}, {"nickname", member.nickname}, {"problem", to_code(v.problem)}});
        });
        work.save_into(decision);
    }
    return decision;
}

Decision ConventionEngine::escalate_nicknames(const model::InboundEvent& tick,
                                              const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    for (model::GroupView& view : state.enforced_groups()) {
        GroupWork work(std::move(view), false);
        for_each_wrong_nickname(work, ctx, [&](const std::string& id, const NicknameVerdict& v) {
            const model::GroupMemberRecord& seen = *work.view().member(id);
            // Only after an evening reminder: someone who joined after last night's check is
            // reminded tonight first.
            if (seen.nickname_reminded_at == 0 || seen.nickname_reminded_at >= tick.time ||
                seen.nickname_risk != 0 || ctx.is_supervisor(seen)) {
                return;
            }
            model::GroupMemberRecord& member = *work.find_member(id);
            nlohmann::json fields = nickname_fields(member, v, work.group(), ctx);
            fields["joined_at"] = DecisionContext::local_time(member.joined_at);
            fields["reminded_at"] = DecisionContext::local_time(member.nickname_reminded_at);
            member.nickname_risk =
                ctx.raise_risk(work.group(), "nickname", id,
                               {{"member", ctx.member_name(member)}, {"nickname", member.nickname}},
                               {id, "compliance"}, tick.time);
            ctx.add_risk_fields(fields, member.nickname_risk);
            ctx.notify_compliance(work.group(), "nickname_risk", fields);
        });
        work.save_into(decision);
    }
    return decision;
}

}  // namespace ledgerbot::bot::conventions
