#pragma once

#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/settings/score_settings.hpp"

namespace ledgerbot::app {

/// What is wrong or worth knowing about `[scores]` against the stored directory and group
/// registry, as log lines for startup: a line director or department the directory does not
/// know, a publish group with external members (the table will be refused there) or one the
/// registry has never seen (trusted to be internal), and no publish group at all.
std::vector<std::string> score_setup_problems(SQLite::Database& db,
                                              const bot::settings::ScoreSettings& scores);

}  // namespace ledgerbot::app
