#include "storage/console_answers.hpp"

#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {

result<ConsoleAnswer> console_answer(SQLite::Database& db, const std::string& dedup_key,
                                     const std::string& user_id) {
    return guarded([&] {
        ConsoleAnswer out;
        Prepared event(db, "SELECT id, status FROM inbox WHERE dedup_key = ?");
        event->bind(1, dedup_key);
        if (!event->executeStep()) {
            return out;
        }
        const std::int64_t inbox_id = event->getColumn(0).getInt64();
        const std::string status = event->getColumn(1).getString();
        if (status == "pending") {
            return out;
        }
        out.state = status == "done" ? ConsoleAnswer::State::done : ConsoleAnswer::State::failed;
        Prepared notices(db,
                         "SELECT template_id, fields_json FROM outbox WHERE inbox_id = ? AND "
                         "channel = 'console' AND target_kind = 'user' AND target_id = ? ORDER "
                         "BY id");
        notices->bind(1, inbox_id);
        notices->bind(2, user_id);
        while (notices->executeStep()) {
            auto fields = nlohmann::json::parse(notices->getColumn(1).getString(), nullptr, false);
            out.notices.emplace_back(notices->getColumn(0).getString(),
                                     fields.is_discarded() ? nlohmann::json::object() : fields);
        }
        return out;
    });
}

}  // namespace ledgerbot::storage
