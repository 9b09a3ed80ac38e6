#include "storage/console_sessions.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/audit_log.hpp"
#include "storage/sha256.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {
namespace {

// Audit entries of the console name their source like the CLI's do.
constexpr const char* kSource = "console";

}  // namespace

result<void> ConsoleSessions::begin_login(const std::string& state, const std::string& next,
                                          std::int64_t now, std::int64_t expires_at) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        // Logins nobody finished are forgotten once they could no longer be used.
        Prepared prune(db_, "DELETE FROM console_logins WHERE expires_at < ?");
        prune->bind(1, now);
        prune->exec();
        Prepared insert(db_,
                        "INSERT INTO console_logins (state_hash, next, created_at, expires_at) "
                        "VALUES (?, ?, ?, ?)");
        insert->bind(1, sha256_hex(state));
        insert->bind(2, next);
        insert->bind(3, now);
        insert->bind(4, expires_at);
        insert->exec();
        tx.commit();
    });
}

result<TakenLogin> ConsoleSessions::take_login(const std::string& state, std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const std::string hash = sha256_hex(state);
        Prepared find(db_, "SELECT next, expires_at FROM console_logins WHERE state_hash = ?");
        find->bind(1, hash);
        TakenLogin out;
        if (find->executeStep()) {
            out.next = find->getColumn(0).getString();
            out.use = find->getColumn(1).getInt64() < now ? OneTimeUse::expired : OneTimeUse::taken;
        }
        find->reset();
        Prepared remove(db_, "DELETE FROM console_logins WHERE state_hash = ?");
        remove->bind(1, hash);
        remove->exec();
        tx.commit();
        return out;
    });
}

result<void> ConsoleSessions::create_link(const std::string& token, const std::string& user_id,
                                          const std::string& created_by, std::int64_t now,
                                          std::int64_t expires_at) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        Prepared insert(db_,
                        "INSERT INTO console_links (token_hash, user_id, created_by, created_at, "
                        "expires_at) VALUES (?, ?, ?, ?, ?)");
        insert->bind(1, sha256_hex(token));
        insert->bind(2, user_id);
        insert->bind(3, created_by);
        insert->bind(4, now);
        insert->bind(5, expires_at);
        insert->exec();
        AuditLog(db_).append(
            {created_by, "console.link_created", user_id, {{"expires_at", expires_at}}}, now,
            "cli");
        tx.commit();
    });
}

result<TakenLink> ConsoleSessions::take_link(const std::string& token, std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const std::string hash = sha256_hex(token);
        Prepared find(
            db_, "SELECT user_id, expires_at, used_at FROM console_links WHERE token_hash = ?");
        find->bind(1, hash);
        TakenLink out;
        if (!find->executeStep()) {
            return out;
        }
        out.user_id = find->getColumn(0).getString();
        if (!find->getColumn(2).isNull()) {
            out.use = OneTimeUse::used;
        } else if (find->getColumn(1).getInt64() < now) {
            out.use = OneTimeUse::expired;
        } else {
            out.use = OneTimeUse::taken;
        }
        find->reset();
        if (out.use == OneTimeUse::taken) {
            Prepared mark(db_, "UPDATE console_links SET used_at = ? WHERE token_hash = ?");
            mark->bind(1, now);
            mark->bind(2, hash);
            mark->exec();
            tx.commit();
        }
        return out;
    });
}

result<void> ConsoleSessions::open(const std::string& session_id, const std::string& user_id,
                                   const std::string& via, std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        Prepared insert(db_,
                        "INSERT INTO console_sessions (id_hash, user_id, via, created_at, "
                        "last_seen_at) VALUES (?, ?, ?, ?, ?)");
        insert->bind(1, sha256_hex(session_id));
        insert->bind(2, user_id);
        insert->bind(3, via);
        insert->bind(4, now);
        insert->bind(5, now);
        insert->exec();
        AuditLog(db_).append({user_id, "console.signed_in", user_id, {{"via", via}}}, now, kSource);
        tx.commit();
    });
}

result<std::optional<ConsoleSession>> ConsoleSessions::touch(const std::string& session_id,
                                                             std::int64_t now,
                                                             const SessionLimits& limits) {
    return guarded([&]() -> std::optional<ConsoleSession> {
        const std::string hash = sha256_hex(session_id);
        Prepared find(db_,
                      "SELECT user_id, via, created_at, last_seen_at FROM console_sessions "
                      "WHERE id_hash = ? AND ended_at IS NULL");
        find->bind(1, hash);
        if (!find->executeStep()) {
            return std::nullopt;
        }
        ConsoleSession session{find->getColumn(0).getString(), find->getColumn(1).getString(),
                               find->getColumn(2).getInt64(), find->getColumn(3).getInt64()};
        find->reset();
        const char* ended = nullptr;
        if (now - session.created_at > limits.absolute_seconds) {
            ended = "expired";
        } else if (now - session.last_seen_at > limits.idle_seconds) {
            ended = "idle";
        }
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        if (ended != nullptr) {
            Prepared end(db_,
                         "UPDATE console_sessions SET ended_at = ?, end_reason = ? WHERE "
                         "id_hash = ?");
            end->bind(1, now);
            end->bind(2, ended);
            end->bind(3, hash);
            end->exec();
            AuditLog(db_).append(
                {session.user_id, "console.session_ended", session.user_id, {{"reason", ended}}},
                now, kSource);
            tx.commit();
            return std::nullopt;
        }
        Prepared seen(db_, "UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ?");
        seen->bind(1, now);
        seen->bind(2, hash);
        seen->exec();
        tx.commit();
        session.last_seen_at = now;
        return session;
    });
}

result<bool> ConsoleSessions::end(const std::string& session_id, std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const std::string hash = sha256_hex(session_id);
        Prepared find(db_,
                      "SELECT user_id FROM console_sessions WHERE id_hash = ? AND ended_at IS "
                      "NULL");
        find->bind(1, hash);
        if (!find->executeStep()) {
            return false;
        }
        const std::string user = find->getColumn(0).getString();
        find->reset();
        Prepared end(db_,
                     "UPDATE console_sessions SET ended_at = ?, end_reason = 'signed_out' WHERE "
                     "id_hash = ?");
        end->bind(1, now);
        end->bind(2, hash);
        end->exec();
        AuditLog(db_).append({user, "console.signed_out", user, {}}, now, kSource);
        tx.commit();
        return true;
    });
}

result<void> ConsoleSessions::audit(const bot::AuditEntry& entry, std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        AuditLog(db_).append(entry, now, kSource);
        tx.commit();
    });
}

}  // namespace ledgerbot::storage
