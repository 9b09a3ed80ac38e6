#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// A signed-in console user as a session row has them.
struct ConsoleSession {
    std::string user_id;
    std::string via;  ///< how they signed in: oauth, qr, link
    std::int64_t created_at = 0;
    std::int64_t last_seen_at = 0;
};

/// What became of a one-time value (a login state, a sign-in link) when it was presented.
enum class OneTimeUse { taken, unknown, expired, used };

struct TakenLogin {
    OneTimeUse use = OneTimeUse::unknown;
    std::string next;  ///< taken: where the user was going
};

struct TakenLink {
    OneTimeUse use = OneTimeUse::unknown;
    std::string user_id;
};

/// Timeouts of a session: idle since the last request, and absolute since sign-in.
struct SessionLimits {
    std::int64_t idle_seconds = 1800;
    std::int64_t absolute_seconds = 36000;
};

/// The console's sign-in state in the ledger database. Every random value (login state, link
/// token, session id) is stored only as its SHA-256, so the database alone cannot sign anyone in.
/// Each call is one transaction; sign-ins and links write their audit entries in it.
class ConsoleSessions {
public:
    explicit ConsoleSessions(SQLite::Database& db) : db_(db) {}

    /// A WeCom login started: `state` is the random value sent to WeCom and bound to the browser.
    result<void> begin_login(const std::string& state, const std::string& next, std::int64_t now,
                             std::int64_t expires_at);
    /// The state came back: it is deleted whatever happens, so it works once.
    result<TakenLogin> take_login(const std::string& state, std::int64_t now);

    /// `ledgerbot console link`: a one-time sign-in link for `user_id`, audited.
    result<void> create_link(const std::string& token, const std::string& user_id,
                             const std::string& created_by, std::int64_t now,
                             std::int64_t expires_at);
    /// Marks the link used (it stays, so a second use is told apart from a bad link).
    result<TakenLink> take_link(const std::string& token, std::int64_t now);

    /// A session after a successful sign-in, with its audit entry.
    result<void> open(const std::string& session_id, const std::string& user_id,
                      const std::string& via, std::int64_t now);
    /// The live session with this id, its last-seen time moved to `now`; a session past a
    /// limit is ended (reason idle or expired) and nullopt returned, as for an unknown id.
    result<std::optional<ConsoleSession>> touch(const std::string& session_id, std::int64_t now,
                                                const SessionLimits& limits);
    /// Sign-out: ends the session (audited); false when there was no live session.
    result<bool> end(const std::string& session_id, std::int64_t now);

    /// An audit entry of the console's own (a refusal, a page with personal data), in its own
    /// transaction.
    result<void> audit(const bot::AuditEntry& entry, std::int64_t now);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
