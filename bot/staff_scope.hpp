#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "bot/model/directory.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

/// What part of the centre's work a staff member answers for, which decides what chat questions
/// show them: compliance and reviewers everything; a line's director the line's departments; a
/// department head the department; everyone else the companies they manage or whose project
/// group they own.
namespace ledgerbot::bot {

struct StaffScope {
    enum class Kind { everything, line, department, own_projects };

    Kind kind = Kind::own_projects;
    std::string person;                    ///< the staff id
    std::set<std::string> departments;     ///< for line and department
    std::set<std::int64_t> own_companies;  ///< managed or with a project group they own

    bool covers(const model::Company& company) const;
    /// A record about no listed company is compliance's alone.
    bool covers(const std::optional<std::int64_t>& company_id,
                const model::Directory& directory) const;
};

/// nullopt for someone outside the staff directory: they see nothing.
std::optional<StaffScope> staff_scope(const std::string& person, const State& state,
                                      const settings::EngineSettings& settings);

}  // namespace ledgerbot::bot
