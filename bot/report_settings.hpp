#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace ledgerbot::bot {

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
    business_status,
    industry,
    demand,
    matchable_services,
};

inline constexpr VisitField kAllVisitFields[] = {
    VisitField::company,  VisitField::visit_time,      VisitField::mode,
    VisitField::visitors, VisitField::content,         VisitField::feedback,
    VisitField::contact,  VisitField::phone,           VisitField::business_status,
    VisitField::industry, VisitField::demand,          VisitField::matchable_services,
};

std::string_view to_key(VisitField field);
std::optional<VisitField> visit_field_from_key(std::string_view key);

struct FieldVocabulary {
    VisitField field = VisitField::company;
    std::string label;                 ///< canonical Chinese label, e.g. 企业全称
    std::vector<std::string> aliases;  ///< other labels staff write, e.g. 企业名称, 公司名称
};

struct VisitMode {
    std::string name;                   ///< e.g. 电话回访
    std::vector<std::string> keywords;  ///< free-text cues, e.g. 电话, 致电, 回访
};

/// Everything the report parser needs to know about one centre's conventions. Filled by the
/// config loader; the defaults live in config/ledgerbot.toml, not here.
struct ReportSettings {
    std::vector<std::string> headers;  ///< e.g. 走访记录 (written as 【走访记录】 or [走访记录])
    std::vector<FieldVocabulary> fields;
    std::vector<VisitField> required;
    std::vector<VisitMode> modes;
    /// Words that say a visit took place whatever its mode (走访, 调研): together with a listed
    /// company they let an unlabelled message count as a report.
    std::vector<std::string> visit_cues;
    /// An image the reporter posts in the same chat this long after a report is its evidence.
    std::int64_t evidence_window_seconds = 600;
    /// `/补充 V12 联系电话：…` adds fields to a record; the first word is used in examples.
    std::vector<std::string> supplement_commands;

    const FieldVocabulary* vocabulary(VisitField field) const;
    std::string label(VisitField field) const;
    /// The first supplement command as typed (`/补充`), for answers that show how to use it.
    std::string supplement_command() const;
};

}  // namespace ledgerbot::bot
