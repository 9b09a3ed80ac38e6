#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/model/group_kind.hpp"

namespace ledgerbot::bot::model {

/// How a member's time in a group ended.
enum class LeftHow {
    none,     ///< still in the group
    removed,  ///< removed by the owner or an admin: participation closed normally
    self,     ///< left on their own (第九条（二）: a violation unless their stage was done)
    unknown,  ///< gone from a re-sync with no event saying how (a lost callback)
};

std::string_view to_code(LeftHow how);
LeftHow left_how_from_code(std::string_view code);

/// A member of a registered group, with the convention checks already done on them, so that a
/// reminder or a risk is raised once.
struct GroupMemberRecord {
    std::string id;
    std::string name;
    std::string nickname;
    bool external = false;
    std::int64_t joined_at = 0;
    std::int64_t left_at = 0;  ///< 0 while in the group
    LeftHow left_how = LeftHow::none;
    std::int64_t stage_done_at = 0;  ///< 第九条（二）: the owner or lead closed their stage
    std::int64_t nickname_reminded_at = 0;
    std::int64_t nickname_risk = 0;  ///< number of the open nickname risk, 0 = none
    /// When someone last had the bot remove them (/移出), 0 = never: a second request while the
    /// platform has not yet reported the first one is answered, not sent to the bridge again.
    std::int64_t removal_requested_at = 0;

    bool active() const { return left_at == 0; }
    bool operator==(const GroupMemberRecord&) const = default;
};

/// A group the bot has seen, keyed by (source, chat id), with what 第九条 enforcement has done
/// about it. Every group is registered (a rename can make any group a project group), but only
/// project groups (and misnamed ones whose company is known) are enforced.
struct GroupRecord {
    std::string source;  ///< the adapter the group lives on: generic, wecom-app, wecom-bot
    std::string chat_id;
    std::string name;
    GroupKind kind = GroupKind::unrelated;
    std::optional<std::int64_t> company_id;
    std::string company_name;
    std::string expected_name;  ///< the conforming name, when the company is known
    std::string owner_id;
    /// The bot can post in the group (generic and intelligent-bot groups, app-created groups);
    /// WeCom customer groups have no send API, so notices about them go to people directly.
    bool can_post = true;
    /// The platform tells in-group nicknames (app-created WeCom groups do not).
    bool tracks_nicknames = true;
    /// The bot account owns or administers the group (a WeChat bridge says so), so /移出 can
    /// remove a member through it and the platform reports that removal.
    bool bot_can_remove = false;
    std::int64_t created_at = 0;
    std::int64_t dismissed_at = 0;

    std::string name_reminded_for;  ///< the misnamed name the owner was last told about
    std::int64_t name_reminded_at = 0;
    std::int64_t first_members_reminded_at = 0;
    // Numbers of the open risks about the group, 0 = none open.
    std::int64_t name_risk = 0;
    std::int64_t first_members_risk = 0;
    std::int64_t compliance_risk = 0;

    /// The rules of 第九条 apply: a project group, or a misnamed one whose company is known.
    bool enforced() const {
        return dismissed_at == 0 && (kind == GroupKind::project ||
                                     (kind == GroupKind::near_miss && company_id.has_value()));
    }
    bool operator==(const GroupRecord&) const = default;
};

/// A group with all members who were ever in it (the departed keep their record).
struct GroupView {
    GroupRecord group;
    std::vector<GroupMemberRecord> members;

    const GroupMemberRecord* member(std::string_view id) const;
    std::vector<const GroupMemberRecord*> active_members() const;
    /// Whether someone from outside the centre is in the group now.
    bool has_active_external_member() const;
};

/// A risk in the register, numbered R-n: one the bot raised (conventions, deadlines, coverage,
/// findings) or a 【风险提示】 from compliance (kind "notice"). Each is acknowledged by the
/// project's people with a note and closed by compliance, or by the bot once fixed.
struct Risk {
    std::int64_t number = 0;
    /// group_name | first_members | compliance_missing | nickname | self_leave | sla | coverage |
    /// finding | notice
    std::string kind;
    std::string source;
    std::string chat_id;
    std::optional<std::int64_t> company_id;
    std::string company_name;
    std::string subject;  ///< the member, demand, visit or quarter concerned; "" for the group
    /// A notice's own text (compliance wrote it); empty for the bot's risks, whose text is
    /// rendered from `kind` and `detail` by templates/risk_summary.mustache.
    std::string summary;
    /// What the summary names: group, member, demand, days, quarter, visit, finding, reason.
    std::map<std::string, std::string> detail{};
    /// Who was told when it was raised (staff ids, or "compliance" for the compliance office).
    std::vector<std::string> told{};
    std::int64_t raised_at = 0;
    std::string raised_by;  ///< the compliance member for a notice; "" for the bot's own
    std::string lead_id;    ///< who should acknowledge it (the project's lead or manager)
    std::string acknowledged_by;
    std::int64_t acknowledged_at = 0;
    std::string ack_note{};  ///< what they said they did (/确认 R5 已整改)
    std::int64_t escalated_at = 0;
    bool open = true;
    std::int64_t closed_at = 0;
    std::string closed_by{};  ///< "" when the bot closed it (the cause went away)
    std::string close_reason{};

    bool operator==(const Risk&) const = default;
};

std::string risk_code(std::int64_t number);

}  // namespace ledgerbot::bot::model
