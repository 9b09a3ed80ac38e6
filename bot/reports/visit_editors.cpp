#include "bot/reports/visit_editors.hpp"

#include <algorithm>

namespace ledgerbot::bot::reports {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : "、") + name;
    }
    return out;
}

}  // namespace

VisitEditors::VisitEditors(const model::VisitRecord& record, const model::Directory& directory,
                           const std::vector<std::string>& department_head_titles)
    : record_(record), directory_(directory) {
    if (record.company_id) {
        company_ = directory.find_company_by_id(*record.company_id);
    }
    if (company_ == nullptr || company_->department.empty()) {
        return;
    }
    for (const model::StaffMember& staff : directory.staff()) {
        const bool head =
            std::any_of(department_head_titles.begin(), department_head_titles.end(),
                        [&](const std::string& title) { return staff.has_title(title); });
        if (head && staff.department == company_->department) {
            department_heads_.push_back(&staff);
        }
    }
}

bool VisitEditors::may_edit(std::string_view person_id) const {
    if (person_id.empty()) {
        return false;
    }
    if (person_id == record_.reporter_id) {
        return true;
    }
    if (company_ != nullptr && person_id == company_->account_manager) {
        return true;
    }
    if (std::any_of(department_heads_.begin(), department_heads_.end(),
                    [&](const model::StaffMember* head) { return head->id == person_id; })) {
        return true;
    }
    const model::StaffMember* staff = directory_.find_staff(person_id);
    return staff != nullptr &&
           std::any_of(record_.visitors.begin(), record_.visitors.end(), [&](const auto& name) {
               return model::normalize_name(name) == model::normalize_name(staff->name);
           });
}

nlohmann::json VisitEditors::names() const {
    std::string reporter = record_.reporter_name;
    if (const model::StaffMember* staff = directory_.find_staff(record_.reporter_id)) {
        reporter = staff->name;
    }
    if (reporter.empty()) {
        reporter = record_.reporter_id;
    }
    std::vector<std::string> visitors;
    for (const auto& name : record_.visitors) {
        if (model::normalize_name(name) != model::normalize_name(reporter)) {
            visitors.push_back(name);
        }
    }
    std::string account_manager;
    if (company_ != nullptr && !company_->account_manager.empty()) {
        const model::StaffMember* staff = directory_.find_staff(company_->account_manager);
        account_manager = staff != nullptr ? staff->name : company_->account_manager;
    }
    std::vector<std::string> heads;
    for (const model::StaffMember* head : department_heads_) {
        heads.push_back(head->name);
    }
    return {{"reporter_name", reporter},
            {"has_visitors", !visitors.empty()},
            {"visitors_text", joined(visitors)},
            {"has_account_manager", !account_manager.empty()},
            {"account_manager_name", account_manager},
            {"has_department_heads", !heads.empty()},
            {"department_heads_text", joined(heads)}};
}

}  // namespace ledgerbot::bot::reports
