#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ledgerbot::bot::settings {

/// A local wall-clock time (Asia/Shanghai), e.g. the evening nickname check at 20:00.
struct TimeOfDay {
    int hour = 0;
    int minute = 0;

    bool operator==(const TimeOfDay&) const = default;
};

/// The group conventions of 第九条 as one centre runs them: the project group's name, the first
/// members, the nickname form and the times and grace periods of the checks. Filled by the config
/// loader from [conventions]; the defaults live in config/ledgerbot.toml, not here.
struct ConventionSettings {
    /// A project group's name is the company's name followed by this (第九条（二）
    /// "某某企业服务项目专属服务群").
    std::string group_name_suffix;
    /// Endings people write instead of the right one (服务项目群, 专属群 …). With a listed company
    /// in front they make a near miss; without one the group is left alone.
    std::vector<std::string> near_miss_suffixes;
    /// Words that, with a listed company in the name, make a group look like a project group even
    /// without a known ending (示例科技项目对接群). Without any of them (示例科技董事会群) the
    /// group is left alone.
    std::vector<std::string> project_group_cues;
    /// A misnamed project group is reported to compliance once this long after the reminder.
    std::int64_t group_name_grace_seconds = 0;

    /// Role words (项目工种或职务) a nickname ends with, as people should write them. Matching
    /// ignores full-/half-width and spaces (项目专员１, 项目专员 1).
    std::vector<std::string> role_words;
    /// Characters allowed between name and role (张三-项目负责人) and around the role
    /// (张三（项目负责人）); each entry is one character. The first one is used in examples.
    std::vector<std::string> nickname_separators;

    /// Executor (承做人员): staff with one of these directory titles …
    std::vector<std::string> executor_titles;
    /// … or an internal member whose nickname carries one of these role words …
    std::vector<std::string> executor_roles;
    /// … or the company's account manager, when this is set.
    bool account_manager_is_executor = true;
    /// 第九条（二）: the lead (承揽人员, normally the group owner) invites the executor, so by
    /// default the owner does not count as the executor.
    bool owner_counts_as_executor = false;
    /// Department head (部门负责人): staff with one of these titles, of the company's department.
    std::vector<std::string> department_head_titles;
    /// Compliance (合规负责人 / 合规质效督办, 第九条（四）): staff with one of these titles or in
    /// one of these departments, or an internal member whose nickname role is a compliance role.
    std::vector<std::string> compliance_titles;
    std::vector<std::string> compliance_departments;
    std::vector<std::string> compliance_roles;
    /// How long after the group's creation the three first members may be missing.
    std::int64_t first_members_grace_seconds = 0;
    /// The owner is reminded of missing first members once the group is this old (a lead adds
    /// people in the minutes after creating the group; reminding at once would be noise).
    std::int64_t first_members_reminder_seconds = 0;

    /// Supervisors (条线业务总监 …, and compliance): joining and leaving groups to supervise is
    /// their job, so leaving on their own is no violation and their nicknames are not escalated.
    std::vector<std::string> supervisor_titles;

    /// `/阶段完成 张三`: the owner or lead closes a member's stage (第九条（二）).
    std::vector<std::string> stage_done_commands;
    /// `/建群 宁夏示例科技有限公司`: the bot creates a correctly named and staffed project group.
    std::vector<std::string> create_group_commands;
    /// A member gone without a word of how (WeChat reports no self-leave): the owner settles it.
    /// `/确认退群 张三`: they left on their own, a violation of 第九条（二）.
    std::vector<std::string> confirm_self_leave_commands;
    /// `/已移出 张三`: the owner removed them; their participation ended normally.
    std::vector<std::string> confirm_removed_commands;
    /// `/移出 张三`: the owner has the bot remove a member from a group the bot account owns or
    /// administers (WeChat), so that the platform reports the removal as one.
    std::vector<std::string> remove_member_commands;

    /// The nickname is checked on the evening of the join day (reminder) and the next morning
    /// (risk to compliance) by the scheduled jobs nickname-evening and nickname-morning; the
    /// loader copies the morning job's time here so a reminder can say by when to fix it.
    TimeOfDay nickname_risk_time;
    /// External members (the company's people, third parties) follow the nickname rule too.
    bool check_external_nicknames = false;
};

}  // namespace ledgerbot::bot::settings
