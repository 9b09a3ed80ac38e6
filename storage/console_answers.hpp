#pragma once

#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// What the engine answered a console action with: the notices it addressed to the user on the
/// console channel, once the event is processed.
struct ConsoleAnswer {
    enum class State { waiting, done, failed };
    State state = State::waiting;  ///< waiting: not yet in the ledger, or not yet processed
    std::vector<std::pair<std::string, nlohmann::json>> notices;  ///< template id, fields
};

/// The answer to the inbox event `dedup_key` (`console:<nonce>`) for `user_id`.
result<ConsoleAnswer> console_answer(SQLite::Database& db, const std::string& dedup_key,
                                     const std::string& user_id);

}  // namespace ledgerbot::storage
