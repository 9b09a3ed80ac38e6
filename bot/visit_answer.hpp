#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/decision.hpp"
#include "bot/directory.hpp"
#include "bot/inbound_event.hpp"
#include "bot/ledger_types.hpp"
#include "bot/report_settings.hpp"
#include "bot/visit_report_parser.hpp"

/// What the answers to a visit report and to a supplement share: how values are shown (masked
/// in groups, 第十一条), the rows templates loop over, and the demands a message states.
namespace ledgerbot::bot::visit_answer {

/// The value as posted: in a group a phone number becomes 139****5678 and phone and ID numbers
/// inside text are masked; in a direct chat it is shown as written.
std::string shown(VisitField field, const std::string& value, bool in_group);

/// How a person is named in an answer: the staff directory's name, else the platform's, else
/// the id (WeCom app messages carry only the id).
std::string person_name(const Person& person, const Directory& directory);

/// [{label, value}] in the order of kAllVisitFields.
nlohmann::json value_rows(const std::map<VisitField, std::string>& values,
                          const ReportSettings& settings, bool in_group);

/// [{label, value, <code>: true}] for what could not be accepted.
nlohmann::json issue_rows(const std::vector<ParseIssue>& issues, const ReportSettings& settings,
                          bool in_group);

/// The fields' labels joined with 、 (缺少必填项：走访方式、联系电话).
std::string labels_text(const std::vector<VisitField>& fields, const ReportSettings& settings);

/// Ledger rows for the stated demands of `record`, numbered from `first_number`.
/// `plan_deadline`: 第八条's deadline for a plan and an owner (WorkingDayCalendar).
std::vector<Demand> demands_for(const std::vector<std::string>& summaries,
                                const VisitRecord& record, std::int64_t first_number,
                                std::int64_t collected_at, std::int64_t plan_deadline);

/// [{code, summary}] for the answer.
nlohmann::json demand_rows(const std::vector<Demand>& demands, bool in_group);

/// Adds the demands to the decision as ledger rows with a `demand.collected` audit entry each.
void collect_demands(Decision& decision, std::vector<Demand> demands, const std::string& actor);

}  // namespace ledgerbot::bot::visit_answer
