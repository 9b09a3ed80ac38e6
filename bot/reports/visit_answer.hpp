#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/decision.hpp"
#include "bot/model/directory.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/model/ledger_types.hpp"
#include "bot/reports/visit_report_parser.hpp"
#include "bot/settings/report_settings.hpp"

/// What the answers to a visit report and to a supplement share: how values are shown (masked
/// in groups, 第十一条), the rows templates loop over, and the demands a message states.
namespace ledgerbot::bot::reports::visit_answer {

/// The value as posted: in a group a phone number becomes 139****5678 and phone and ID numbers
/// inside text are masked; in a direct chat it is shown as written.
std::string shown(model::VisitField field, const std::string& value, bool in_group);

/// How a person is named in an answer: the staff directory's name, else the platform's, else
/// the id (WeCom app messages carry only the id).
std::string person_name(const model::Person& person, const model::Directory& directory);

/// [{label, value}] in the order of kAllVisitFields.
nlohmann::json value_rows(const std::map<model::VisitField, std::string>& values,
                          const settings::ReportSettings& settings, bool in_group);

/// [{label, value, <code>: true}] for what could not be accepted.
nlohmann::json issue_rows(const std::vector<ParseIssue>& issues,
                          const settings::ReportSettings& settings, bool in_group);

/// The fields' labels joined with 、 (缺少必填项：走访方式、联系电话).
std::string labels_text(const std::vector<model::VisitField>& fields,
                        const settings::ReportSettings& settings);

/// Ledger rows for the stated demands of `record`, numbered from `first_number`.
/// `plan_deadline`: 第八条's deadline for a plan and an owner (WorkingDayCalendar).
std::vector<model::Demand> demands_for(const std::vector<std::string>& summaries,
                                       const model::VisitRecord& record, std::int64_t first_number,
                                       std::int64_t collected_at, std::int64_t plan_deadline);

/// [{code, summary}] for the answer.
nlohmann::json demand_rows(const std::vector<model::Demand>& demands, bool in_group);

/// Adds the demands to the decision as ledger rows with a `demand.collected` audit entry each.
void collect_demands(Decision& decision, std::vector<model::Demand> demands,
                     const std::string& actor);

}  // namespace ledgerbot::bot::reports::visit_answer
