#include "bot/reports/visit_answer.hpp"

#include "bot/text/masking.hpp"

namespace ledgerbot::bot::reports::visit_answer {

std::string shown(model::VisitField field, const std::string& value, bool in_group) {
    if (!in_group) {
        return value;
    }
    const bool phone =
        field == model::VisitField::phone || field == model::VisitField::company_phone;
    return phone ? text::mask_phone(value) : text::mask_sensitive(value);
}

std::string person_name(const model::Person& person, const model::Directory& directory) {
    if (const model::StaffMember* staff = directory.find_staff(person.id)) {
        return staff->name;
    }
    return person.name.empty() ? person.id : person.name;
}

nlohmann::json value_rows(const std::map<model::VisitField, std::string>& values,
                          const settings::ReportSettings& settings, bool in_group) {
    nlohmann::json rows = nlohmann::json::array();
    for (model::VisitField field : model::kAllVisitFields) {
        const auto it = values.find(field);
        if (it != values.end()) {
            rows.push_back(
                {{"label", settings.label(field)}, {"value", shown(field, it->second, in_group)}});
        }
    }
    return rows;
}

nlohmann::json issue_rows(const std::vector<ParseIssue>& issues,
                          const settings::ReportSettings& settings, bool in_group) {
    nlohmann::json rows = nlohmann::json::array();
    for (const ParseIssue& issue : issues) {
        // What the person wrote is echoed back, so it is masked like everything else (第十一条).
        nlohmann::json row{{"label", settings.label(issue.field)},
                           {"value", in_group ? text::mask_sensitive(issue.value) : issue.value}};
        row[issue.code] = true;  // templates branch on the code with a section
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string labels_text(const std::vector<model::VisitField>& fields,
                        const settings::ReportSettings& settings) {
    std::string out;
    for (model::VisitField field : fields) {
        out += (out.empty() ? "" : "、") + settings.label(field);
    }
    return out;
}

std::vector<model::Demand> demands_for(const std::vector<std::string>& summaries,
                                       const model::VisitRecord& record, std::int64_t first_number,
                                       std::int64_t collected_at, std::int64_t plan_deadline) {
    std::vector<model::Demand> demands;
    for (const auto& summary : summaries) {
        model::Demand demand;
        demand.number = first_number + static_cast<std::int64_t>(demands.size());
        demand.visit_number = record.number;
        demand.company_id = record.company_id;
        demand.company_name = record.company_name;
        demand.summary = summary;
        demand.status = "collected";
        demand.collected_at = collected_at;
        demand.channel = record.channel;
        demand.plan_deadline = plan_deadline;
        demands.push_back(std::move(demand));
    }
    return demands;
}

nlohmann::json demand_rows(const std::vector<model::Demand>& demands, bool in_group) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& demand : demands) {
        rows.push_back(
            {{"code", model::demand_code(demand.number)},
             {"summary", in_group ? text::mask_sensitive(demand.summary) : demand.summary}});
    }
    return rows;
}

void collect_demands(Decision& decision, std::vector<model::Demand> demands,
                     const std::string& actor) {
    for (auto& demand : demands) {
        AuditEntry audit;
        audit.actor = actor;
        audit.action = "demand.collected";
        audit.subject = model::demand_code(demand.number);
        audit.detail = {{"visit", model::visit_code(demand.visit_number)},
                        {"summary", demand.summary}};
        decision.audit.push_back(std::move(audit));
        decision.changes.emplace_back(DemandCreated{std::move(demand)});
    }
}

}  // namespace ledgerbot::bot::reports::visit_answer
