#pragma once

#include <string>

#include "bot/model/directory.hpp"

namespace ledgerbot::bot::model {

/// A member of a chat group as the convention rules see it. The engine builds it from the
/// platform's member list, so the rules do not depend on the event types.
struct GroupMember {
    std::string id;         ///< platform user id; the staff id for the centre's staff
    std::string name;       ///< platform display name (the real name for staff); may be empty
    std::string nickname;   ///< in-group nickname (我在群里的昵称); empty when unset
    bool external = false;  ///< not the centre's staff (company people, third parties)

    bool operator==(const GroupMember&) const = default;
};

/// The directory entry of a member: by id first, then (internal members only) by platform name,
/// since an external contact who shares a staff member's name is not that member.
const StaffMember* find_member_staff(const GroupMember& member, const Directory& directory);

}  // namespace ledgerbot::bot::model
