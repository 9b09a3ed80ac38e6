#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace ledgerbot::storage {

/// The prepared statements of one connection, kept for its lifetime: preparing is a third of
/// the store thread's time when each event prepares its few dozen statements afresh (perf,
/// issue 15). A cache registers itself for its connection, so that `Prepared` finds it from the
/// SQLite::Database& every repository already takes. It must be destroyed before its
/// connection (sqlite3_close refuses a connection with statements open), and the connection
/// used by one thread at a time, as every connection here is.
class StatementCache {
public:
    explicit StatementCache(SQLite::Database& db);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    /// The cache registered for `db`, or null: connections opened without one (tests, tools)
    /// prepare each statement as before.
    static StatementCache* of(const SQLite::Database& db);

    struct Entry {
        SQLite::Statement statement;
        bool in_use = false;
    };
    /// The entry for `sql`, prepared on first use; null when the cache is full (SQL built at
    /// run time can vary without bound) so the caller prepares its own.
    Entry* entry(std::string_view sql);

    std::size_t size() const { return entries_.size(); }

private:
    SQLite::Database& db_;
    std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

/// A statement for `sql` on `db`, as `SQLite::Statement stmt(db, sql)` gives one, but taken from
/// the connection's cache when it has one, and reset with its bindings cleared when this handle
/// goes. A statement already in use (the same SQL inside a loop over its own rows) is prepared
/// afresh, so nesting is safe.
class Prepared {
public:
    Prepared(SQLite::Database& db, std::string_view sql);
    ~Prepared();
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;

    SQLite::Statement* operator->() { return statement_; }
    SQLite::Statement& operator*() { return *statement_; }
    /// For the row readers that take a statement.
    operator SQLite::Statement&() { return *statement_; }  // NOLINT(google-explicit-constructor)

private:
    StatementCache::Entry* entry_ = nullptr;
    std::unique_ptr<SQLite::Statement> own_;
    SQLite::Statement* statement_ = nullptr;
};

/// The first column of the first row of a query that returns one (COUNT, MAX), through the
/// cache; 0 or "" when it returns no row.
std::int64_t single_int64(SQLite::Database& db, std::string_view sql);
std::string single_string(SQLite::Database& db, std::string_view sql);

}  // namespace ledgerbot::storage
