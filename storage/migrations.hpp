#pragma once

#include <span>
#include <string_view>

namespace ledgerbot::storage {

struct Migration {
    int version;
    std::string_view description;
    std::string_view sql;
};

/// Numbered schema migrations, oldest first. Append only: a released migration never changes.
std::span<const Migration> migrations();

}  // namespace ledgerbot::storage
