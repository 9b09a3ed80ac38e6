#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ledgerbot::bot::model {

/// A company of the qualified list (名单库, 第五条).
struct Company {
    std::int64_t id = 0;
    std::string full_name;
    std::vector<std::string> short_names;
    std::string industry;
    std::string listing_status;   ///< e.g. 挂牌 / 培育 / 未挂牌
    std::string department;       ///< responsible department
    std::string account_manager;  ///< staff id of the account manager
    /// Served since (import column 服务起始日期): a company the centre served before the system
    /// was started is not a 首次走访的新企业 at its first visit in the system.
    std::optional<std::int64_t> served_since{};

    bool operator==(const Company&) const = default;
};

/// A member of the centre's staff with their titles (客户经理 / 部门负责人 / 条线业务总监 / 合规
/// …).
struct StaffMember {
    std::string id;
    std::string name;
    std::string department;
    std::vector<std::string> titles;
    /// The id a WeChat bridge reports for this person (import column 微信号), empty if none:
    /// one person is one row whichever platform they write from.
    std::string wechat_id{};

    bool has_title(std::string_view title) const;
    bool operator==(const StaffMember&) const = default;
};

/// Normalizes a company name for matching: full-width ASCII to half-width, spaces and common
/// punctuation removed, ASCII lower-cased. Both sides of every comparison go through it.
std::string normalize_name(std::string_view name);

/// The qualified list and staff directory as the bot sees them: an immutable snapshot with
/// lookup indexes. The app rebuilds it after an import.
class Directory {
public:
    Directory() = default;
    /// `former_staff`: people deactivated by a staff import (`--replace`). They hold no role
    /// and get no notices (find_staff, staff() do not see them); their past records keep their
    /// names and departments through find_person.
    Directory(std::vector<Company> companies, std::vector<StaffMember> staff,
              std::vector<StaffMember> former_staff = {});

    const std::vector<Company>& companies() const { return companies_; }
    const std::vector<StaffMember>& staff() const { return staff_; }

    /// Exact match on the full name or a registered short name, after normalization.
    const Company* find_company(std::string_view name) const;
    /// The company whose full or short name occurs in `text`, preferring the longest match.
    const Company* find_company_in_text(std::string_view text) const;
    /// The company with this id (companies.id, what records store), or nullptr.
    const Company* find_company_by_id(std::int64_t id) const;
    /// nullptr for nullopt (a record whose company is not in the list).
    const Company* find_company_by_id(const std::optional<std::int64_t>& id) const {
        return id ? find_company_by_id(*id) : nullptr;
    }
    const StaffMember* find_staff(std::string_view id) const;
    const StaffMember* find_staff_by_name(std::string_view name) const;
    /// The active staff member whose WeChat id this is, or nullptr.
    const StaffMember* find_staff_by_wechat_id(std::string_view wechat_id) const;
    /// Active or former staff: for what was recorded while they were active (names on records,
    /// the department a visit's points count for).
    const StaffMember* find_person(std::string_view id) const;
    const StaffMember* find_person_by_name(std::string_view name) const;

private:
    std::vector<Company> companies_;
    std::vector<StaffMember> staff_;
    std::vector<StaffMember> former_staff_;
    std::unordered_map<std::string, std::size_t> company_by_name_;
    // Normalized names by their first character (its UTF-8 bytes), so that finding a name in a
    // message looks only at the names that can start at each of its characters: with a
    // registry of a few thousand companies, trying every name was a fifth of processing.
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::size_t>>>
        names_by_first_char_;
    std::unordered_map<std::int64_t, std::size_t> company_by_id_;
    std::unordered_map<std::string, std::size_t> staff_by_id_;
    std::unordered_map<std::string, std::size_t> staff_by_name_;
    std::unordered_map<std::string, std::size_t> staff_by_wechat_id_;
};

}  // namespace ledgerbot::bot::model
