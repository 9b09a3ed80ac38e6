#include "storage/statement_cache.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::storage::Database;
using ledgerbot::storage::Prepared;
using ledgerbot::storage::StatementCache;

// Statements of the connection that are stepped and not reset: each one holds a read snapshot.
int busy_statements(SQLite::Database& db) {
    int busy = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(db.getHandle(), s)) {
        busy += sqlite3_stmt_busy(s) != 0 ? 1 : 0;
    }
    return busy;
}

void fill(SQLite::Database& db) {
    db.exec("CREATE TABLE t (n INTEGER, label TEXT)");
    db.exec("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
}

}  // namespace

TEST_CASE("A statement is prepared once per connection and reset when its handle goes") {
    ledgerbot::testing::TempDir dir;
    Database database(dir.path() / "ledger.db");
    SQLite::Database& db = database.sql();
    fill(db);
    StatementCache* cache = StatementCache::of(db);
    REQUIRE(cache != nullptr);
    const std::size_t before = cache->size();
    const char* sql = "SELECT label FROM t WHERE n >= ? ORDER BY n";
    for (int round = 0; round < 3; ++round) {
        Prepared query(db, sql);
        query->bind(1, 2);
        REQUIRE(query->executeStep());
        CHECK(query->getColumn(0).getString() == "b");
        // Left mid-result on purpose: the end of the scope must end the read.
    }
    CHECK(cache->size() == before + 1);
    CHECK(busy_statements(db) == 0);
}

TEST_CASE("Bindings of one use do not leak into the next") {
    ledgerbot::testing::TempDir dir;
    Database database(dir.path() / "ledger.db");
    SQLite::Database& db = database.sql();
    fill(db);
    const char* sql = "SELECT COUNT(*) FROM t WHERE n = ?";
    {
        Prepared query(db, sql);
        query->bind(1, 1);
        REQUIRE(query->executeStep());
        CHECK(query->getColumn(0).getInt() == 1);
    }
    Prepared unbound(db, sql);  // a NULL parameter matches nothing
    REQUIRE(unbound->executeStep());
    CHECK(unbound->getColumn(0).getInt() == 0);
}

TEST_CASE("The same SQL inside a loop over its own rows gets a statement of its own") {
    ledgerbot::testing::TempDir dir;
    Database database(dir.path() / "ledger.db");
    SQLite::Database& db = database.sql();
    fill(db);
    const char* sql = "SELECT n FROM t WHERE n > ? ORDER BY n";
    Prepared outer(db, sql);
    outer->bind(1, 0);
    int pairs = 0;
    while (outer->executeStep()) {
        Prepared inner(db, sql);
        inner->bind(1, outer->getColumn(0).getInt());
        while (inner->executeStep()) {
            ++pairs;
        }
    }
    CHECK(pairs == 3);  // (1,2) (1,3) (2,3)
}

TEST_CASE("A connection without a cache prepares each statement, and a closed one is forgotten") {
    ledgerbot::testing::TempDir dir;
    {
        Database database(dir.path() / "ledger.db");
        fill(database.sql());
        Prepared query(database.sql(), "SELECT COUNT(*) FROM t");
        REQUIRE(query->executeStep());
    }
    SQLite::Database plain((dir.path() / "ledger.db").string(), SQLite::OPEN_READWRITE);
    CHECK(StatementCache::of(plain) == nullptr);
    Prepared query(plain, "SELECT COUNT(*) FROM t");
    REQUIRE(query->executeStep());
    CHECK(query->getColumn(0).getInt() == 3);
}
