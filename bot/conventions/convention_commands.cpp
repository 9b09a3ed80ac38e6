#include <algorithm>
#include <cstdio>

#include "bot/conventions/convention_engine.hpp"
#include "bot/conventions/first_members_rule.hpp"
#include "bot/conventions/group_work.hpp"
#include "bot/conventions/nickname_rule.hpp"
#include "bot/decision_context.hpp"
#include "bot/reply_routing.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::conventions {
namespace {

// How long a /移出 waits for the platform to report the removal before it may be asked again.
constexpr std::int64_t kRemovalPendingSeconds = 10 * 60;

using conventions::GroupWork;

const model::StaffMember* sender_staff(const model::InboundEvent& message,
                                       const model::Directory& directory) {
    if (const model::StaffMember* staff = directory.find_staff(message.sender.id)) {
        return staff;
    }
    // On the generic adapter (WeChat) anyone can take a colleague's name: only ids identify.
    if (message.sender.external || message.source == model::kGenericSource) {
        return nullptr;
    }
    return directory.find_staff_by_name(message.sender.name);
}

// The owner, the company's account manager and the heads of its department lead a project.
bool may_close_stages(const std::string& person, const model::GroupRecord& group,
                      const model::Company* company, const DecisionContext& ctx) {
    if (person.empty()) {
        return false;
    }
    if (person == group.owner_id) {
        return true;
    }
    if (company == nullptr) {
        return false;
    }
    return person == company->account_manager || ctx.is_department_head_of(person, company);
}

// The active member `who` names: an @-mention, an id, a real or platform name, a nickname or the
// name part of a nickname.
const model::GroupMemberRecord* find_named_member(const model::GroupView& view,
                                                  std::string_view who, const DecisionContext& ctx,
                                                  bool departed = false) {
    std::string name = text::trim(who);
    if (text::starts_with(name, "@")) {
        name.erase(0, 1);
    } else if (text::starts_with(name, "＠")) {
        name.erase(0, std::string_view("＠").size());
    }
    name = text::trim(name);
    if (name.empty()) {
        return nullptr;
    }
    std::vector<const model::GroupMemberRecord*> candidates;
    for (const model::GroupMemberRecord& member : view.members) {
        if (member.active() != departed) {
            candidates.push_back(&member);
        }
    }
    for (const model::GroupMemberRecord* member : candidates) {
        const model::GroupMember as_member{member->id, member->name, member->nickname,
                                           member->external};
        if (member->id == name || ctx.member_name(*member) == name || member->name == name ||
            member->nickname == name ||
            check_nickname(member->nickname, as_member, ctx.directory(), ctx.rules()).name_part ==
                name) {
            return member;
        }
    }
    return nullptr;
}

void refuse(DecisionContext& ctx, const model::InboundEvent& message, const std::string& problem,
            nlohmann::json fields) {
    fields[problem] = true;
    ctx.notify(reply_target(message), "convention_command_refused", std::move(fields));
}

// A chat id for appchat/create that is the same on every retry of the same request, so a
// lost answer can never make two groups: "lb" + FNV-1a 64 of the request's event, in hex.
std::string app_chat_id(const model::InboundEvent& message) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : message.source + ":" + message.id) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return std::string("lb") + hex;
}

/// The group and the member a convention command names, as (group, member id): in a group the
/// group is the one the command is typed in; in a direct chat (WeCom customer groups cannot be
/// written to by the bot, so commands come to the app) the first word names the company:
/// `/阶段完成 示例科技 张三`. `departed`: a member who has left. Refuses, answering the sender,
/// when the group or member is not found or the sender may not settle the group's members.
std::optional<std::pair<model::GroupView, std::string>> named_member(
    const model::InboundEvent& message, std::string_view argument, const State& state,
    DecisionContext& ctx, const std::string& command, bool departed) {
    std::optional<model::GroupView> view;
    std::string who(argument);
    if (message.chat.kind == model::ChatKind::group) {
        view = state.group(message.source, message.chat.id);
        if (!view || !view->group.enforced()) {
            refuse(ctx, message, "not_project_group", {{"command", command}});
            return std::nullopt;
        }
    } else {
        const std::vector<std::string> words = text::split_words(argument);
        const model::Company* company =
            words.size() >= 2 ? ctx.directory().find_company(words[0]) : nullptr;
        if (words.size() < 2 || company == nullptr) {
            refuse(ctx, message, words.size() < 2 ? "usage_direct" : "company_not_found",
                   {{"command", command}, {"company_text", words.empty() ? "" : words[0]}});
            return std::nullopt;
        }
        who = words[1];
        for (model::GroupView& candidate : state.enforced_groups()) {
            if (candidate.group.company_id == company->id &&
                find_named_member(candidate, who, ctx, departed) != nullptr) {
                view = std::move(candidate);
                break;
            }
        }
        if (!view) {
            refuse(ctx, message, "member_not_found",
                   {{"command", command}, {"who", who}, {"group_name", company->full_name}});
            return std::nullopt;
        }
    }
    const model::Company* company = ctx.company_of(view->group);
    if (!may_close_stages(message.sender.id, view->group, company, ctx)) {
        refuse(ctx, message, "not_allowed",
               {{"command", command},
                {"group_name", view->group.name},
                {"owner_name", ctx.owner_name(*view)}});
        return std::nullopt;
    }
    const model::GroupMemberRecord* named = find_named_member(*view, who, ctx, departed);
    if (!who.empty() && named == nullptr && !departed) {
        if (const model::GroupMemberRecord* gone = find_named_member(*view, who, ctx, true)) {
            refuse(ctx, message, "member_gone",
                   {{"command", command},
                    {"who", ctx.member_name(*gone)},
                    {"group_name", view->group.name},
                    {"left_at", DecisionContext::local_time(gone->left_at)}});
            return std::nullopt;
        }
    }
    if (who.empty() || named == nullptr) {
        refuse(ctx, message, who.empty() ? "usage_group" : "member_not_found",
               {{"command", command}, {"who", who}, {"group_name", view->group.name}});
        return std::nullopt;
    }
    return std::make_pair(std::move(*view), named->id);
}

}  // namespace

Decision mark_stage_done(const CommandCall& call) {
    return ConventionEngine(call.settings)
        .stage_done(call.message, call.command.argument, call.state);
}

Decision create_project_group(const CommandCall& call) {
    return ConventionEngine(call.settings)
        .create_group(call.message, call.command.argument, call.state);
}

Decision ConventionEngine::stage_done(const model::InboundEvent& message, std::string_view argument,
                                      const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const std::string command = "/" + settings_.conventions.stage_done_commands.front();

    const auto named = named_member(message, argument, state, ctx, command, false);
    if (!named) {
        return decision;
    }
    const std::string member_id = named->second;
    GroupWork work(named->first, false);
    model::GroupMemberRecord& member = *work.find_member(member_id);
    member.stage_done_at = message.time;
    nlohmann::json fields{{"member_name", ctx.member_name(member)},
                          {"group_name", work.group().name},
                          {"owner_name", ctx.owner_name(work.view())},
                          {"by_name", ctx.person_name(message.sender.id, &work.view())}};
    if (work.group().bot_can_remove) {
        fields["remove_command"] = "/" + settings_.conventions.remove_member_commands.front();
    }
    ctx.notify(reply_target(message), "stage_done_recorded", fields);
    if (const std::string owner = ctx.acting_owner_id(work.group());
        !owner.empty() && owner != message.sender.id) {
        ctx.notify(ctx.owner_target(work.group()), "stage_done_recorded", fields);
    }
    ctx.audit(message.sender.id, "member.stage_done", DecisionContext::group_subject(work.group()),
              {{"member", member_id}, {"name", ctx.member_name(member)}});
    work.save_into(decision);
    return decision;
}

Decision ConventionEngine::settle_departure(const model::InboundEvent& message,
                                            std::string_view argument, const State& state,
                                            bool left_on_own) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const auto& rules = settings_.conventions;
    const std::string command = "/" + (left_on_own ? rules.confirm_self_leave_commands.front()
                                                   : rules.confirm_removed_commands.front());
    const auto named = named_member(message, argument, state, ctx, command, true);
    if (!named) {
        return decision;
    }
    GroupWork work(named->first, false);
    model::GroupMemberRecord& member = *work.find_member(named->second);
    const std::string name = ctx.member_name(member);
    // Only a departure nobody could explain is settled here: a self-leave the platform reported
    // stays one, and a removal stays a removal.
    if (member.left_how != model::LeftHow::unknown) {
        refuse(ctx, message, "departure_known",
               {{"command", command},
                {"who", name},
                {"group_name", work.group().name},
                {"left_self", member.left_how == model::LeftHow::self},
                {"left_removed", member.left_how == model::LeftHow::removed}});
        return decision;
    }
    nlohmann::json fields{{"member_name", name},
                          {"group_name", work.group().name},
                          {"left_at", DecisionContext::local_time(member.left_at)},
                          {"by_name", ctx.person_name(message.sender.id, &work.view())},
                          {left_on_own ? "left_self" : "left_removed", true}};
    const std::string subject = DecisionContext::group_subject(work.group());
    if (left_on_own) {
        member.left_how = model::LeftHow::self;
        ctx.audit(message.sender.id, "member.self_leave_confirmed", subject,
                  {{"member", member.id}, {"name", name}});
        if (ctx.is_supervisor(member) || member.stage_done_at != 0) {
            fields["exempt"] = true;
        } else {
            ctx.add_risk_fields(fields, record_self_leave(work, member, message.time, ctx));
        }
    } else {
        member.left_how = model::LeftHow::removed;
        ctx.audit(message.sender.id, "member.removed", subject,
                  {{"member", member.id}, {"name", name}, {"confirmed", true}});
    }
    ctx.notify(reply_target(message), "departure_settled", fields);
    work.save_into(decision);
    return decision;
}

Decision confirm_self_leave(const CommandCall& call) {
    return ConventionEngine(call.settings)
        .settle_departure(call.message, call.command.argument, call.state, true);
}

Decision confirm_removed(const CommandCall& call) {
    return ConventionEngine(call.settings)
        .settle_departure(call.message, call.command.argument, call.state, false);
}

Decision remove_member(const CommandCall& call) {
    return ConventionEngine(call.settings)
        .remove_member(call.message, call.command.argument, call.state);
}

Decision ConventionEngine::remove_member(const model::InboundEvent& message,
                                         std::string_view argument, const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const auto& rules = settings_.conventions;
    const std::string command = "/" + rules.remove_member_commands.front();
    const auto named = named_member(message, argument, state, ctx, command, false);
    if (!named) {
        return decision;
    }
    const model::GroupView& view = named->first;
    const model::GroupMemberRecord& member = *view.member(named->second);
    const std::string name = ctx.member_name(member);
    if (member.id == view.group.owner_id) {
        refuse(ctx, message, "owner_not_removable",
               {{"command", command}, {"who", name}, {"group_name", view.group.name}});
        return decision;
    }
    // Only where the platform will do it and report it: elsewhere the owner removes by hand, and
    // the platform's report (or /已移出) records it.
    if (!view.group.bot_can_remove || !view.group.can_post) {
        refuse(ctx, message, "bot_cannot_remove",
               {{"command", command},
                {"who", name},
                {"group_name", view.group.name},
                {"removed_command", "/" + rules.confirm_removed_commands.front()}});
        return decision;
    }
    // Asked again before the platform reported the first removal (two people at once, or a
    // second tap): carried out once. After a while the request may be repeated, in case the
    // first one failed.
    if (member.removal_requested_at != 0 && message.time >= member.removal_requested_at &&
        message.time - member.removal_requested_at < kRemovalPendingSeconds) {
        refuse(ctx, message, "removal_pending",
               {{"command", command},
                {"who", name},
                {"group_name", view.group.name},
                {"requested_at", DecisionContext::local_time(member.removal_requested_at)},
                {"retry_minutes", kRemovalPendingSeconds / 60}});
        return decision;
    }
    nlohmann::json fields{{"member_name", name},
                          {"group_name", view.group.name},
                          {"by_name", ctx.person_name(message.sender.id, &view)}};
    GroupWork work(view, false);
    work.member(member.id).removal_requested_at = message.time;
    work.save_into(decision);
    model::Notice removal;
    removal.template_id = "member_removal";
    removal.target = model::NoticeTarget{view.group.source, model::NoticeTarget::Kind::chat,
                                         view.group.chat_id, ""};
    removal.fields = fields;
    removal.fields["in_group"] = true;
    // The bridge removes the member, then says the text; the platform's removal event records
    // the departure as a removal.
    removal.fields["remove_member"] = {{"id", member.id}, {"name", name}};
    const bool typed_in_group = message.chat.kind == model::ChatKind::group &&
                                message.source == view.group.source &&
                                message.chat.id == view.group.chat_id;
    // Where to say so should the bridge refuse it (removal_refused.hpp).
    const model::NoticeTarget answer_to = typed_in_group ? removal.target : reply_target(message);
    removal.fields["answer_to"] = {{"channel", answer_to.channel},
                                   {"kind", std::string(model::to_string(answer_to.kind))},
                                   {"id", answer_to.id}};
    decision.notices.push_back(std::move(removal));
    if (!typed_in_group) {
        fields["requested"] = true;
        ctx.notify(reply_target(message), "member_removal", fields);
    }
    ctx.audit(message.sender.id, "member.removal_requested",
              DecisionContext::group_subject(view.group), {{"member", member.id}, {"name", name}});
    return decision;
}

Decision ConventionEngine::create_group(const model::InboundEvent& message,
                                        std::string_view argument, const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const std::string command = "/" + settings_.conventions.create_group_commands.front();
    const model::StaffMember* owner = sender_staff(message, ctx.directory());
    if (owner == nullptr) {
        refuse(ctx, message, "not_staff", {{"command", command}});
        return decision;
    }
    const std::string company_text = text::trim(argument);
    const model::Company* company = ctx.directory().find_company(company_text);
    if (company == nullptr && !company_text.empty()) {
        company = ctx.directory().find_company_in_text(company_text);
    }
    if (company == nullptr) {
        refuse(ctx, message, company_text.empty() ? "usage_create" : "company_not_found",
               {{"command", command}, {"company_text", company_text}});
        return decision;
    }
    for (const model::GroupView& existing : state.enforced_groups()) {
        if (existing.group.company_id == company->id &&
            existing.group.kind == model::GroupKind::project) {
            refuse(ctx, message, "group_exists",
                   {{"command", command},
                    {"group_name", existing.group.name},
                    {"owner_name", ctx.owner_name(existing)}});
            return decision;
        }
    }

    // Convention by construction: the first members of 第九条（二） are chosen the way the rule
    // checks them, the first candidate per role the owner does not already fill.
    const std::vector<model::GroupMember> owner_only{
        model::GroupMember{owner->id, owner->name, "", false}};
    const FirstMembersVerdict verdict =
        check_first_members(owner_only, *company, owner->id, ctx.directory(), ctx.rules());
    std::vector<std::string> userlist{owner->id};
    nlohmann::json members = nlohmann::json::array();
    members.push_back({{"name", owner->name}, {"owner", true}});
    nlohmann::json unfilled = nlohmann::json::array();
    for (const RoleCheck& role : verdict.roles) {
        if (role.present) {
            continue;
        }
        auto chosen = std::find_if(role.candidates.begin(), role.candidates.end(),
                                   [&](const RoleCandidate& c) { return c.id != owner->id; });
        if (chosen == role.candidates.end()) {
            nlohmann::json row = nlohmann::json::object();
            row[std::string(to_code(role.role))] = true;
            unfilled.push_back(std::move(row));
            continue;
        }
        if (std::find(userlist.begin(), userlist.end(), chosen->id) == userlist.end()) {
            userlist.push_back(chosen->id);
        }
        nlohmann::json row{{"name", chosen->name}};
        row[std::string(to_code(role.role))] = true;
        members.push_back(std::move(row));
    }

    const std::string name = company->full_name + settings_.conventions.group_name_suffix;
    const std::string& channel = settings_.routing.group_creation_channel;
    nlohmann::json answer{{"company", company->full_name},
                          {"group_name", name},
                          {"members", members},
                          {"has_unfilled", !unfilled.empty()},
                          {"unfilled", unfilled},
                          {"created", !channel.empty() && userlist.size() >= 2}};
    if (channel.empty() || userlist.size() < 2) {
        // No API can create it (or nobody to invite): say exactly how to create it by hand.
        ctx.notify(reply_target(message), "group_create_answer", answer);
        ctx.audit(owner->id, "group.create_advised", company->full_name,
                  {{"name", name}, {"members", userlist}});
        return decision;
    }

    const std::string chat_id = app_chat_id(message);
    model::GroupView view;
    view.group.source = channel;
    view.group.chat_id = chat_id;
    view.group.name = name;
    view.group.kind = model::GroupKind::project;
    view.group.company_id = company->id;
    view.group.company_name = company->full_name;
    view.group.expected_name = name;
    view.group.owner_id = owner->id;
    view.group.can_post = true;
    view.group.tracks_nicknames = false;  // appchat/get shows no nicknames
    view.group.created_at = message.time;
    for (const std::string& id : userlist) {
        model::GroupMemberRecord member;
        member.id = id;
        if (const model::StaffMember* staff = ctx.directory().find_staff(id)) {
            member.name = staff->name;
        }
        member.joined_at = message.time;
        view.members.push_back(std::move(member));
    }
    const GroupWork work(std::move(view), true);
    work.save_into(decision);

    model::Notice welcome;
    welcome.template_id = "project_group_welcome";
    welcome.target = model::NoticeTarget{channel, model::NoticeTarget::Kind::chat, chat_id, ""};
    welcome.fields = answer;
    welcome.fields["owner_name"] = owner->name;
    welcome.fields["create_chat"] = {{"name", name}, {"owner", owner->id}, {"userlist", userlist}};
    welcome.fields["roles"] = ctx.roles_text();
    decision.notices.push_back(std::move(welcome));
    answer["chat_id"] = chat_id;
    ctx.notify(reply_target(message), "group_create_answer", answer);
    ctx.audit(owner->id, "group.created_by_bot", DecisionContext::group_subject(work.group()),
              {{"name", name}, {"company", company->full_name}, {"members", userlist}});
    return decision;
}

}  // namespace ledgerbot::bot::conventions
