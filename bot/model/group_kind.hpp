#pragma once

#include <string_view>

namespace ledgerbot::bot::model {

/// What a group's name makes it (第九条（二）).
enum class GroupKind {
    project,    ///< a conforming project group: tie it to the company
    near_miss,  ///< meant as a project group but misnamed: tell the owner the exact name
    unrelated,  ///< not a project group at all: leave it alone
};

std::string_view to_code(GroupKind kind);

}  // namespace ledgerbot::bot::model
