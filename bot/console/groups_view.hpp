#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/console/console_views.hpp"
#include "bot/model/group_registry.hpp"

namespace ledgerbot::bot::console {

/// 群 (第九条): the project groups the viewer covers (their company is in the viewer's scope, or
/// the viewer owns the group), each with its members (name, nickname, role word, internal or
/// external, joined, left and how), its risks (open and closed) and a timeline of what happened
/// in it, newest first. `risks` is the whole register.
nlohmann::json groups_view(const ConsoleViewer& viewer, const State& state,
                           const settings::EngineSettings& settings,
                           const std::vector<model::Risk>& risks);

}  // namespace ledgerbot::bot::console
