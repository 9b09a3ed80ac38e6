#include "bot/model/group_member.hpp"

namespace ledgerbot::bot::model {

const StaffMember* find_member_staff(const GroupMember& member, const Directory& directory) {
    if (const StaffMember* staff = directory.find_staff(member.id)) {
        return staff;
    }
    if (!member.external && !member.name.empty()) {
        return directory.find_staff_by_name(member.name);
    }
    return nullptr;
}

}  // namespace ledgerbot::bot::model
