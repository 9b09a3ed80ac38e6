#include "bot/model/visit_field.hpp"

#include <array>
#include <utility>

namespace ledgerbot::bot::model {
namespace {

constexpr std::array<std::pair<VisitField, std::string_view>, 13> kFieldKeys{{
    {VisitField::company, "company"},
    {VisitField::visit_time, "visit_time"},
    {VisitField::mode, "mode"},
    {VisitField::visitors, "visitors"},
    {VisitField::content, "content"},
    {VisitField::feedback, "feedback"},
    {VisitField::contact, "contact"},
    {VisitField::phone, "phone"},
    {VisitField::company_phone, "company_phone"},
    {VisitField::business_status, "business_status"},
    {VisitField::industry, "industry"},
    {VisitField::demand, "demand"},
    {VisitField::matchable_services, "matchable_services"},
}};

}  // namespace

std::string_view to_key(VisitField field) {
    for (const auto& [value, key] : kFieldKeys) {
        if (value == field) {
            return key;
        }
    }
    return "unknown";
}

std::optional<VisitField> visit_field_from_key(std::string_view key) {
    for (const auto& [value, name] : kFieldKeys) {
        if (name == key) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace ledgerbot::bot::model
