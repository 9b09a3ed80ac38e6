#include "bot/convention_context.hpp"

#include <algorithm>

#include "bot/civil_time.hpp"
#include "bot/text.hpp"

namespace ledgerbot::bot::conventions {

GroupMemberRecord* GroupWork::find_member(std::string_view id) {
    for (auto& m : view_.members) {
        if (m.id == id) {
            return &m;
        }
    }
    return nullptr;
}

GroupMemberRecord& GroupWork::member(std::string_view id) {
    if (GroupMemberRecord* found = find_member(id)) {
        return *found;
    }
    GroupMemberRecord record;
    record.id = std::string(id);
    view_.members.push_back(std::move(record));
    return view_.members.back();
}

std::vector<GroupMember> GroupWork::rule_members() const {
    std::vector<GroupMember> out;
    for (const auto& m : view_.members) {
        if (m.active()) {
            out.push_back(GroupMember{m.id, m.name, m.nickname, m.external});
        }
    }
    return out;
}

void GroupWork::save_into(Decision& decision) const {
    if (is_new_ || !(view_.group == original_.group)) {
        decision.group_changes.emplace_back(GroupSaved{view_.group});
    }
    for (const auto& m : view_.members) {
        const GroupMemberRecord* before = original_.member(m.id);
        if (is_new_ || before == nullptr || !(*before == m)) {
            decision.group_changes.emplace_back(
                MemberSaved{view_.group.source, view_.group.chat_id, m});
        }
    }
}

std::optional<NoticeTarget> Context::owner_target(const GroupRecord& group) const {
    if (!group.owner_id.empty()) {
        return person_target(group.source, group.owner_id);
    }
    if (group.can_post) {
        return NoticeTarget{group.source, NoticeTarget::Kind::chat, group.chat_id, ""};
    }
    return std::nullopt;
}

std::optional<NoticeTarget> Context::group_target(const GroupRecord& group) const {
    if (group.can_post) {
        return NoticeTarget{group.source, NoticeTarget::Kind::chat, group.chat_id, ""};
    }
    return owner_target(group);
}

std::optional<NoticeTarget> Context::member_target(const GroupRecord& group,
                                                   const GroupMemberRecord& member) const {
    if (!member.external) {
        return person_target(group.source, member.id);
    }
    return group_target(group);
}

NoticeTarget Context::person_target(const std::string& source, const std::string& person_id) const {
    return NoticeTarget{settings_.routing.direct_channel_for(source), NoticeTarget::Kind::user,
                        person_id, ""};
}

std::vector<NoticeTarget> Context::compliance_targets(const GroupRecord& group) const {
    return compliance_targets(group.source);
}

std::vector<NoticeTarget> Context::compliance_targets(const std::string& source) const {
    const NoticeRouting& routing = settings_.routing;
    if (!routing.compliance_chat_id.empty()) {
        return {NoticeTarget{routing.compliance_channel.empty() ? source
                                                                : routing.compliance_channel,
                             NoticeTarget::Kind::chat, routing.compliance_chat_id, ""}};
    }
    std::vector<NoticeTarget> out;
    for (const auto& staff : directory().staff()) {
        const GroupMember as_member{staff.id, staff.name, "", false};
        if (is_compliance_member(as_member, directory(), rules())) {
            out.push_back(person_target(source, staff.id));
        }
    }
    return out;
}

void Context::notify(std::optional<NoticeTarget> target, std::string template_id,
                     nlohmann::json fields) {
    if (!target) {
        return;  // nobody can be reached yet (a customer group whose owner is unknown)
    }
    Notice notice;
    notice.template_id = std::move(template_id);
    notice.fields = std::move(fields);
    notice.target = std::move(*target);
    decision_.notices.push_back(std::move(notice));
}

void Context::notify_compliance(const GroupRecord& group, const std::string& template_id,
                                const nlohmann::json& fields) {
    notify_compliance(group.source, template_id, fields);
}

void Context::notify_compliance(const std::string& source, const std::string& template_id,
                                const nlohmann::json& fields) {
    for (auto& target : compliance_targets(source)) {
        notify(std::move(target), template_id, fields);
    }
}

void Context::audit(std::string actor, std::string action, std::string subject,
                    nlohmann::json detail) {
    decision_.audit.push_back(
        AuditEntry{std::move(actor), std::move(action), std::move(subject), std::move(detail)});
}

std::int64_t Context::raise_risk(const GroupRecord& group, std::string kind, std::string subject,
                                 std::string summary, std::int64_t time) {
    Risk risk;
    risk.number = state_.next_risk_number() + risks_raised_++;
    risk.kind = std::move(kind);
    risk.source = group.source;
    risk.chat_id = group.chat_id;
    risk.company_id = group.company_id;
    risk.company_name = group.company_name;
    risk.subject = std::move(subject);
    risk.summary = std::move(summary);
    risk.raised_at = time;
    audit(std::string(kBotActor), "risk.raised", risk_code(risk.number),
          {{"kind", risk.kind},
           {"group", group.chat_id},
           {"company", risk.company_name},
           {"subject", risk.subject},
           {"summary", risk.summary}});
    const std::int64_t number = risk.number;
    decision_.group_changes.emplace_back(RiskRaised{std::move(risk)});
    return number;
}

void Context::close_risk(std::int64_t number, std::int64_t time, std::string reason) {
    if (number == 0) {
        return;
    }
    audit(std::string(kBotActor), "risk.closed", risk_code(number), {{"reason", reason}});
    decision_.group_changes.emplace_back(RiskClosed{number, time, std::move(reason)});
}

std::string Context::person_name(std::string_view id, const GroupView* view) const {
    if (const StaffMember* staff = directory().find_staff(id)) {
        return staff->name;
    }
    if (view != nullptr) {
        if (const GroupMemberRecord* m = view->member(id)) {
            return member_name(*m);
        }
    }
    return std::string(id);
}

std::string Context::member_name(const GroupMemberRecord& member) const {
    const GroupMember as_member{member.id, member.name, member.nickname, member.external};
    if (const StaffMember* staff = find_member_staff(as_member, directory())) {
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

std::string Context::owner_name(const GroupView& view) const {
    return view.group.owner_id.empty() ? std::string{} : person_name(view.group.owner_id, &view);
}

const Company* Context::company_of(const GroupRecord& group) const {
    return directory().find_company_by_id(group.company_id);
}

std::vector<const StaffMember*> Context::department_heads(const std::string& department) const {
    std::vector<const StaffMember*> out;
    if (department.empty()) {
        return out;
    }
    for (const auto& staff : directory().staff()) {
        if (staff.department == department &&
            std::any_of(rules().department_head_titles.begin(), rules().department_head_titles.end(),
                        [&](const std::string& title) { return staff.has_title(title); })) {
            out.push_back(&staff);
        }
    }
    return out;
}

bool Context::is_department_head_of(const std::string& person, const Company* company) const {
    if (company == nullptr) {
        return false;
    }
    const auto heads = department_heads(company->department);
    return std::any_of(heads.begin(), heads.end(),
                       [&](const StaffMember* head) { return head->id == person; });
}

std::string Context::roles_text() const {
    std::string out;
    for (const auto& role : rules().role_words) {
        out += (out.empty() ? "" : "、") + role;
    }
    return out;
}

bool Context::is_supervisor(const GroupMemberRecord& member) const {
    if (member.external) {
        return false;
    }
    const GroupMember as_member{member.id, member.name, member.nickname, member.external};
    if (is_compliance_member(as_member, directory(), rules())) {
        return true;
    }
    const StaffMember* staff = find_member_staff(as_member, directory());
    return staff != nullptr &&
           std::any_of(rules().supervisor_titles.begin(), rules().supervisor_titles.end(),
                       [&](const std::string& title) { return staff->has_title(title); });
}

std::string Context::local_time(std::int64_t unix_seconds) {
    return format_local_minutes(unix_seconds);
}

std::string Context::group_subject(const GroupRecord& group) {
    return "group:" + group.source + ":" + group.chat_id;
}

std::string candidate_names(const RoleCheck& check, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < check.candidates.size() && i < limit; ++i) {
        out += (out.empty() ? "" : "、") + check.candidates[i].name;
    }
    return out;
}

nlohmann::json missing_roles_json(const FirstMembersVerdict& verdict) {
    nlohmann::json rows = nlohmann::json::array();
    for (RequiredRole role : verdict.missing()) {
        nlohmann::json row{{"candidates", candidate_names(verdict.check(role))}};
        row[std::string(to_code(role))] = true;
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace ledgerbot::bot::conventions
