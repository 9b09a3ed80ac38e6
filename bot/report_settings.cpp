#include "bot/report_settings.hpp"

#include <array>
#include <utility>

namespace ledgerbot::bot {
namespace {

constexpr std::array<std::pair<VisitField, std::string_view>, 12> kFieldKeys{{
    {VisitField::company, "company"},
    {VisitField::visit_time, "visit_time"},
    {VisitField::mode, "mode"},
    {VisitField::visitors, "visitors"},
    {VisitField::content, "content"},
    {VisitField::feedback, "feedback"},
    {VisitField::contact, "contact"},
    {VisitField::phone, "phone"},
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

const FieldVocabulary* ReportSettings::vocabulary(VisitField field) const {
    for (const auto& entry : fields) {
        if (entry.field == field) {
            return &entry;
        }
    }
    return nullptr;
}

std::string ReportSettings::label(VisitField field) const {
    const FieldVocabulary* entry = vocabulary(field);
    return entry ? entry->label : std::string(to_key(field));
}

std::string ReportSettings::supplement_command() const {
    return supplement_commands.empty() ? std::string{} : "/" + supplement_commands.front();
}

}  // namespace ledgerbot::bot
