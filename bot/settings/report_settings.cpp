#include "bot/settings/report_settings.hpp"

namespace ledgerbot::bot::settings {
const FieldVocabulary* ReportSettings::vocabulary(model::VisitField field) const {
    for (const auto& entry : fields) {
        if (entry.field == field) {
            return &entry;
        }
    }
    return nullptr;
}

std::string ReportSettings::label(model::VisitField field) const {
    const FieldVocabulary* entry = vocabulary(field);
    return entry ? entry->label : std::string(to_key(field));
}

std::string ReportSettings::supplement_command() const {
    return supplement_commands.empty() ? std::string{} : "/" + supplement_commands.front();
}

}  // namespace ledgerbot::bot::settings
