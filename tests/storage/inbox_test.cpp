#include "storage/inbox.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;
using ledgerbot::storage::Database;
using ledgerbot::storage::Inbox;
using ledgerbot::storage::InboxInsert;

InboundEvent event(const std::string& id, const std::string& source = "generic",
                   const std::string& chat = "group-1") {
    InboundEvent e;
    e.id = id;
    e.source = source;
    e.type = EventType::message;
    e.time = 1782878400;
    e.chat.id = chat;
    e.chat.kind = ChatKind::group;
    e.sender.id = "zhangsan";
    e.sender.name = "张三";
    e.text = "消息 " + id;
    return e;
}

struct Row {
    std::string status;
    int deliveries = 0;
    std::int64_t received_at = 0;
    std::string chat_id;
};

Row row(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement query(
        db, "SELECT status, deliveries, received_at, chat_id FROM inbox WHERE id = ?");
    query.bind(1, id);
    REQUIRE(query.executeStep());
    return {query.getColumn(0).getString(), query.getColumn(1).getInt(),
            query.getColumn(2).getInt64(), query.getColumn(3).getString()};
}

std::int64_t count_rows(SQLite::Database& db) {
    return db.execAndGet("SELECT COUNT(*) FROM inbox").getInt64();
}

}  // namespace

TEST_CASE("A batch is stored in order with the full event and pending status", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    const std::vector<InboundEvent> batch{event("a"), event("b", "wecom-app", "group-2"),
                                          event("c")};

    auto inserted = inbox.insert_batch(batch, 1000);

    REQUIRE(inserted);
    REQUIRE(inserted.value().size() == 3);
    for (const InboxInsert& result : inserted.value()) {
        CHECK_FALSE(result.duplicate);
    }
    CHECK(inserted.value()[0].inbox_id < inserted.value()[1].inbox_id);
    CHECK(inserted.value()[1].inbox_id < inserted.value()[2].inbox_id);
    const Row second = row(db.sql(), inserted.value()[1].inbox_id);
    CHECK(second.status == "pending");
    CHECK(second.deliveries == 1);
    CHECK(second.received_at == 1000);
    CHECK(second.chat_id == "group-2");

    auto pending = inbox.pending(10);
    REQUIRE(pending);
    REQUIRE(pending.value().size() == 3);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        CHECK(pending.value()[i].inbox_id == inserted.value()[i].inbox_id);
        CHECK(pending.value()[i].event == batch[i]);
    }
}

TEST_CASE("A redelivered event is a duplicate with the same inbox id and one more delivery",
          "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    const std::vector<InboundEvent> first{event("a"), event("b")};
    auto stored = inbox.insert_batch(first, 1000);
    REQUIRE(stored);

    InboundEvent again = event("a");
    again.text = "redelivered with other text";
    const std::vector<InboundEvent> second{event("c"), again};
    auto redelivered = inbox.insert_batch(second, 2000);

    REQUIRE(redelivered);
    REQUIRE(redelivered.value().size() == 2);
    CHECK_FALSE(redelivered.value()[0].duplicate);
    CHECK(redelivered.value()[1].duplicate);
    CHECK(redelivered.value()[1].inbox_id == stored.value()[0].inbox_id);
    CHECK(count_rows(db.sql()) == 3);
    const Row original = row(db.sql(), stored.value()[0].inbox_id);
    CHECK(original.deliveries == 2);
    CHECK(original.received_at == 1000);
    // The first delivery is what gets processed.
    auto pending = inbox.pending(10);
    REQUIRE(pending);
    CHECK(pending.value().at(0).event.text == "消息 a");

    const std::vector<InboundEvent> third{event("a")};
    REQUIRE(inbox.insert_batch(third, 3000));
    CHECK(row(db.sql(), stored.value()[0].inbox_id).deliveries == 3);
}

TEST_CASE("The same event twice in one batch is stored once", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    const std::vector<InboundEvent> batch{event("a"), event("a")};

    auto inserted = inbox.insert_batch(batch, 1000);

    REQUIRE(inserted);
    CHECK_FALSE(inserted.value()[0].duplicate);
    CHECK(inserted.value()[1].duplicate);
    CHECK(inserted.value()[1].inbox_id == inserted.value()[0].inbox_id);
    CHECK(count_rows(db.sql()) == 1);
}

TEST_CASE("The same event id from different sources is not a duplicate", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    const std::vector<InboundEvent> batch{event("42", "generic"), event("42", "wecom-app")};

    auto inserted = inbox.insert_batch(batch, 1000);

    REQUIRE(inserted);
    CHECK_FALSE(inserted.value()[1].duplicate);
    CHECK(inserted.value()[0].inbox_id != inserted.value()[1].inbox_id);
    CHECK(Inbox::dedup_key(batch[0]) == "generic:42");
    CHECK(Inbox::dedup_key(batch[1]) == "wecom-app:42");
}

TEST_CASE("Pending lists unprocessed events oldest first up to the limit", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    std::vector<InboundEvent> batch;
    for (const char* id : {"a", "b", "c", "d", "e"}) {
        batch.push_back(event(id));
    }
    auto inserted = inbox.insert_batch(batch, 1000);
    REQUIRE(inserted);
    auto depth = inbox.depth();
    REQUIRE(depth);
    CHECK(depth.value() == 5);

    // The first is done and the third failed: neither is pending any more.
    SQLite::Statement done(db.sql(), "UPDATE inbox SET status = ? WHERE id = ?");
    done.bind(1, "done");
    done.bind(2, inserted.value()[0].inbox_id);
    done.exec();
    done.reset();
    done.bind(1, "failed");
    done.bind(2, inserted.value()[2].inbox_id);
    done.exec();

    auto limited = inbox.pending(2);
    REQUIRE(limited);
    REQUIRE(limited.value().size() == 2);
    CHECK(limited.value()[0].event.id == "b");
    CHECK(limited.value()[1].event.id == "d");
    auto all = inbox.pending(100);
    REQUIRE(all);
    REQUIRE(all.value().size() == 3);
    CHECK(all.value()[2].event.id == "e");
    depth = inbox.depth();
    REQUIRE(depth);
    CHECK(depth.value() == 3);
}

TEST_CASE("An empty inbox has no pending events and depth zero", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    auto pending = inbox.pending(10);
    REQUIRE(pending);
    CHECK(pending.value().empty());
    auto depth = inbox.depth();
    REQUIRE(depth);
    CHECK(depth.value() == 0);
    auto inserted = inbox.insert_batch({}, 1000);
    REQUIRE(inserted);
    CHECK(inserted.value().empty());
}

TEST_CASE("Inbox rows survive closing and re-opening the file", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    const std::vector<InboundEvent> batch{event("a")};
    {
        Database db(dir / "ledger.db");
        Inbox inbox(db.sql());
        REQUIRE(inbox.insert_batch(batch, 1000));
    }
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    auto pending = inbox.pending(10);
    REQUIRE(pending);
    REQUIRE(pending.value().size() == 1);
    CHECK(pending.value()[0].event == batch[0]);
}

TEST_CASE("A storage failure is returned as an error, not thrown", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    db.sql().exec("DROP TABLE outbox");  // references inbox
    db.sql().exec("DROP TABLE inbox");
    Inbox inbox(db.sql());
    const std::vector<InboundEvent> batch{event("a")};

    auto inserted = inbox.insert_batch(batch, 1000);
    REQUIRE_FALSE(inserted);
    CHECK(inserted.error().category().name() == std::string("sqlite"));
    CHECK_FALSE(inbox.pending(10));
    CHECK_FALSE(inbox.depth());
}

TEST_CASE("The newest tick of a job is found by its run keys and ignores other jobs", "[inbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Inbox inbox(db.sql());
    const auto tick = [](const std::string& job, const std::string& period, std::int64_t time) {
        InboundEvent e;
        e.id = job + ":" + period;
        e.source = std::string(ledgerbot::bot::model::kSchedulerSource);
        e.type = EventType::tick;
        e.time = time;
        e.job = job;
        return e;
    };
    CHECK(inbox.newest_tick_time("nickname-evening").value() == std::nullopt);

    const std::vector<InboundEvent> events{
        tick("nickname-evening", "2026-11-22", 1795348800),
        tick("nickname-evening", "2026-11-23", 1795435200),
        // A job whose name extends the other's must not be mistaken for it.
        tick("nickname-evening-2", "2026-11-24", 1795521600),
        tick("nickname-morning", "2026-11-25", 1795568400),
        // A message whose id looks like a run key comes from another source.
        event("nickname-evening:2026-12-01"),
    };
    REQUIRE(inbox.insert_batch(events, 1795600000));

    CHECK(inbox.newest_tick_time("nickname-evening").value() == 1795435200);
    CHECK(inbox.newest_tick_time("nickname-morning").value() == 1795568400);
    CHECK(inbox.newest_tick_time("sla-check").value() == std::nullopt);
}
