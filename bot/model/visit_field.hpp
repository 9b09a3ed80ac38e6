#pragma once

#include <optional>
#include <string_view>

namespace ledgerbot::bot::model {

/// The fields of a visit report (走访记录). Keys are stable identifiers used in config and in the
/// database; the Chinese labels people see come from config.
enum class VisitField {
    company,
    visit_time,
    mode,
    visitors,
    content,
    feedback,
    contact,
    phone,
    company_phone,  ///< the company's landline, kept when the contact's mobile is the phone
    business_status,
    industry,
    demand,
    matchable_services,
};

inline constexpr VisitField kAllVisitFields[] = {
    VisitField::company,
    VisitField::visit_time,
    VisitField::mode,
    VisitField::visitors,
    VisitField::content,
    VisitField::feedback,
    VisitField::contact,
    VisitField::phone,
    VisitField::company_phone,
    VisitField::business_status,
    VisitField::industry,
    VisitField::demand,
    VisitField::matchable_services,
};

std::string_view to_key(VisitField field);
std::optional<VisitField> visit_field_from_key(std::string_view key);

}  // namespace ledgerbot::bot::model
