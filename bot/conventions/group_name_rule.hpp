#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/model/directory.hpp"
#include "bot/model/group_kind.hpp"
#include "bot/settings/convention_settings.hpp"

namespace ledgerbot::bot::conventions {

/// What is wrong with a near miss, most serious first when several apply.
enum class GroupNameProblem {
    none,
    company_missing,     ///< the suffix alone (服务项目专属服务群)
    company_not_listed,  ///< the suffix after a name that is not in the qualified list
    wrong_suffix,  ///< a listed company with another ending (…服务项目群, …专属群)
    extra_text,    ///< the right ending and a listed company, plus other words
};

std::string_view to_code(GroupNameProblem problem);

struct CompanyRef {
    std::int64_t id = 0;
    std::string full_name;

    bool operator==(const CompanyRef&) const = default;
};

struct GroupNameVerdict {
    model::GroupKind kind = model::GroupKind::unrelated;
    GroupNameProblem what_is_wrong = GroupNameProblem::none;
    std::optional<CompanyRef> company;  ///< the listed company the name refers to, when known
    /// The company part as written in front of the suffix (for company_not_listed, the name the
    /// owner used); quotes and brackets dropped.
    std::string company_text;
    /// The exact conforming name, always with the company's full name
    /// (宁夏示例科技有限公司服务项目专属服务群); empty while the company is unknown.
    std::string expected_name;
};

/// Classifies a group name under 第九条（二）. Spaces, full-/half-width forms and quotes or
/// brackets around the company (「」 “” "" 【】 《》 ()) are tolerated, and a registered short name
/// stands for the company.
///
/// A name looks like a project group when
///  - it contains the configured suffix (whatever the rest is: a wrong company is a near miss), or
///  - it names a listed company and ends with a near-miss suffix (示例科技服务项目群), or
///  - it names a listed company and contains a project cue word (示例科技项目对接群).
/// Everything else (销售部周报群, 家庭群, 客户服务群 without a listed company) is unrelated.
GroupNameVerdict check_group_name(std::string_view name, const model::Directory& directory,
                                  const settings::ConventionSettings& settings);

}  // namespace ledgerbot::bot::conventions
