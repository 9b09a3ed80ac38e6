#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/model/directory.hpp"
#include "bot/model/ledger_types.hpp"

namespace ledgerbot::bot::reports {

/// Who may add to a visit record after it was reported (supplement its fields, attach
/// evidence): the reporter, a co-visitor (a staff member whose directory name is among the
/// record's visitors), the company's account manager, and the heads of the company's department
/// (staff of that department with one of `department_head_titles`). A person is matched by their
/// platform id against the staff directory, never by a display name anyone can choose.
class VisitEditors {
public:
    VisitEditors(const model::VisitRecord& record, const model::Directory& directory,
                 const std::vector<std::string>& department_head_titles);

    bool may_edit(std::string_view person_id) const;

    /// The people who may, by role, for a refusal that names them: reporter_name,
    /// has_visitors + visitors_text, has_account_manager + account_manager_name,
    /// has_department_heads + department_heads_text.
    nlohmann::json names() const;

private:
    const model::VisitRecord& record_;
    const model::Directory& directory_;
    const model::Company* company_ = nullptr;
    std::vector<const model::StaffMember*> department_heads_;
};

}  // namespace ledgerbot::bot::reports
