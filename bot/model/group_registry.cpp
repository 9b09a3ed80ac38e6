#include "bot/model/group_registry.hpp"

#include <algorithm>

#include <array>
#include <utility>

namespace ledgerbot::bot::model {
namespace {

constexpr std::array<std::pair<LeftHow, std::string_view>, 4> kLeftHowCodes{{
    {LeftHow::none, ""},
    {LeftHow::removed, "removed"},
    {LeftHow::self, "self"},
    {LeftHow::unknown, "unknown"},
}};

}  // namespace

std::string_view to_code(LeftHow how) {
    for (const auto& [value, code] : kLeftHowCodes) {
        if (value == how) {
            return code;
        }
    }
    return "";
}

LeftHow left_how_from_code(std::string_view code) {
    for (const auto& [value, text] : kLeftHowCodes) {
        if (text == code) {
            return value;
        }
    }
    return LeftHow::unknown;
}

const GroupMemberRecord* GroupView::member(std::string_view id) const {
    for (const auto& m : members) {
        if (m.id == id) {
            return &m;
        }
    }
    return nullptr;
}

std::vector<const GroupMemberRecord*> GroupView::active_members() const {
    std::vector<const GroupMemberRecord*> out;
    for (const auto& m : members) {
        if (m.active()) {
            out.push_back(&m);
        }
    }
    return out;
}

bool GroupView::has_active_external_member() const {
    return std::any_of(members.begin(), members.end(),
                       [](const GroupMemberRecord& m) { return m.external && m.active(); });
}

std::string risk_code(std::int64_t number) {
    return "R" + std::to_string(number);
}

}  // namespace ledgerbot::bot::model
