#include "bot/decision_context.hpp"

#include <algorithm>

#include "bot/staff_roles.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot {

std::string DecisionContext::acting_owner_id(const model::GroupRecord& group) const {
    // Where the bot account owns the group (a WeChat group it created or was given, so that
    // /移出 works), what the owner is told goes to the person leading the project instead: the
    // company's account manager.
    if (group.bot_can_remove && directory().find_staff(group.owner_id) == nullptr) {
        if (const model::Company* company = company_of(group);
            company != nullptr && directory().find_staff(company->account_manager) != nullptr) {
            return company->account_manager;
        }
    }
    return group.owner_id;
}

std::optional<model::NoticeTarget> DecisionContext::owner_target(
    const model::GroupRecord& group) const {
    if (const std::string owner = acting_owner_id(group); !owner.empty()) {
        return person_target(group.source, owner);
    }
    if (group.can_post) {
        return model::NoticeTarget{group.source, model::NoticeTarget::Kind::chat, group.chat_id,
                                   ""};
    }
    return std::nullopt;
}

std::optional<model::NoticeTarget> DecisionContext::group_target(
    const model::GroupRecord& group) const {
    if (group.can_post) {
        return model::NoticeTarget{group.source, model::NoticeTarget::Kind::chat, group.chat_id,
                                   ""};
    }
    return owner_target(group);
}

std::optional<model::NoticeTarget> DecisionContext::member_target(
    const model::GroupRecord& group, const model::GroupMemberRecord& member) const {
    if (!member.external) {
        return person_target(group.source, member.id);
    }
    return group_target(group);
}

model::NoticeTarget DecisionContext::person_target(const std::string& source,
                                                   const std::string& person_id) const {
    return model::NoticeTarget{settings_.routing.direct_channel_for(source),
                               model::NoticeTarget::Kind::user, person_id, ""};
}

std::vector<model::NoticeTarget> DecisionContext::compliance_targets(
    const model::GroupRecord& group) const {
    return compliance_targets(group.source);
}

std::vector<model::NoticeTarget> DecisionContext::compliance_targets(
    const std::string& source) const {
    const settings::NoticeRouting& routing = settings_.routing;
    if (!routing.compliance_chat_id.empty()) {
        return {model::NoticeTarget{
            routing.compliance_channel.empty() ? source : routing.compliance_channel,
            model::NoticeTarget::Kind::chat, routing.compliance_chat_id, ""}};
    }
    std::vector<model::NoticeTarget> out;
    for (const auto& staff : directory().staff()) {
        const model::GroupMember as_member{staff.id, staff.name, "", false};
        if (is_compliance_member(as_member, directory(), rules())) {
            out.push_back(person_target(source, staff.id));
        }
    }
    return out;
}

void DecisionContext::notify(std::optional<model::NoticeTarget> target, std::string template_id,
                             nlohmann::json fields) {
    if (!target) {
        return;  // nobody can be reached yet (a customer group whose owner is unknown)
    }
    model::Notice notice;
    notice.template_id = std::move(template_id);
    notice.fields = std::move(fields);
    notice.target = std::move(*target);
    decision_.notices.push_back(std::move(notice));
}

void DecisionContext::notify_compliance(const model::GroupRecord& group,
                                        const std::string& template_id,
                                        const nlohmann::json& fields) {
    notify_compliance(group.source, template_id, fields);
}

void DecisionContext::notify_compliance(const std::string& source, const std::string& template_id,
                                        const nlohmann::json& fields) {
    for (auto& target : compliance_targets(source)) {
        notify(std::move(target), template_id, fields);
    }
}

void DecisionContext::audit(std::string actor, std::string action, std::string subject,
                            nlohmann::json detail) {
    decision_.audit.push_back(
        AuditEntry{std::move(actor), std::move(action), std::move(subject), std::move(detail)});
}

std::int64_t DecisionContext::raise_risk(const model::GroupRecord& group, std::string kind,
                                         std::string subject,
                                         std::map<std::string, std::string> detail,
                                         std::vector<std::string> told, std::int64_t time) {
    model::Risk risk;
    risk.kind = std::move(kind);
    risk.source = group.source;
    risk.chat_id = group.chat_id;
    risk.company_id = group.company_id;
    risk.company_name = group.company_name;
    risk.subject = std::move(subject);
    detail.emplace("group", group.name);
    risk.detail = std::move(detail);
    risk.told = std::move(told);
    risk.raised_at = time;
    if (!group.owner_id.empty()) {
        risk.lead_id = group.owner_id;
    } else if (const model::Company* company = company_of(group)) {
        risk.lead_id = company->account_manager;
    }
    return raise_risk(std::move(risk));
}

std::int64_t DecisionContext::raise_risk(model::Risk risk) {
    risk.number = state_.next_risk_number() + risks_raised_++;
    audit(std::string(kBotActor), "risk.raised", model::risk_code(risk.number),
          {{"kind", risk.kind},
           {"chat", risk.chat_id},
           {"company", risk.company_name},
           {"subject", risk.subject},
           {"detail", risk.detail},
           {"told", risk.told}});
    const std::int64_t number = risk.number;
    decision_.group_changes.emplace_back(RiskRaised{std::move(risk)});
    return number;
}

void DecisionContext::add_risk_fields(nlohmann::json& fields, std::int64_t number) const {
    fields["risk_id"] = model::risk_code(number);
    fields["ack_command"] = "/" + settings_.risk_notices.acknowledge_commands.front();
}

void DecisionContext::close_risk(std::int64_t number, std::int64_t time, std::string reason) {
    if (number == 0) {
        return;
    }
    audit(std::string(kBotActor), "risk.closed", model::risk_code(number), {{"reason", reason}});
    decision_.group_changes.emplace_back(RiskClosed{number, time, std::move(reason)});
}

std::string DecisionContext::person_name(std::string_view id, const model::GroupView* view) const {
    if (const model::StaffMember* staff = directory().find_person(id)) {
        return staff->name;
    }
    if (view != nullptr) {
        if (const model::GroupMemberRecord* m = view->member(id)) {
            return member_name(*m);
        }
    }
    return std::string(id);
}

std::string DecisionContext::member_name(const model::GroupMemberRecord& member) const {
    const model::GroupMember as_member{member.id, member.name, member.nickname, member.external};
    if (const model::StaffMember* staff = model::find_member_staff(as_member, directory())) {
        return staff->name;
    }
    if (!member.name.empty()) {
        return member.name;
    }
    if (!member.nickname.empty()) {
        return member.nickname;
    }
    return member.id;
}

std::string DecisionContext::owner_name(const model::GroupView& view) const {
    const std::string owner = acting_owner_id(view.group);
    return owner.empty() ? std::string{} : person_name(owner, &view);
}

const model::Company* DecisionContext::company_of(const model::GroupRecord& group) const {
    return directory().find_company_by_id(group.company_id);
}

std::vector<const model::StaffMember*> DecisionContext::department_heads(
    const std::string& department) const {
    return bot::department_heads(directory(), rules(), department);
}

bool DecisionContext::is_department_head_of(const std::string& person,
                                            const model::Company* company) const {
    return bot::is_department_head_of(person, company, directory(), rules());
}

std::string DecisionContext::roles_text() const {
    return bot::roles_text(rules());
}

bool DecisionContext::is_supervisor(const model::GroupMemberRecord& member) const {
    return bot::is_supervisor(
        model::GroupMember{member.id, member.name, member.nickname, member.external}, directory(),
        rules());
}

std::string DecisionContext::local_time(std::int64_t unix_seconds) {
    return time::format_local_minutes(unix_seconds);
}

std::string DecisionContext::group_subject(const model::GroupRecord& group) {
    return "group:" + group.source + ":" + group.chat_id;
}

}  // namespace ledgerbot::bot
