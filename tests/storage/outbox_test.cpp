#include "storage/outbox.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::bot::model::Notice;
using ledgerbot::bot::model::NoticeTarget;
using ledgerbot::storage::Database;
using ledgerbot::storage::Outbox;
using ledgerbot::storage::OutboxItem;

Notice notice(const std::string& target_id, NoticeTarget::Kind kind = NoticeTarget::Kind::chat) {
    Notice n;
    n.template_id = "visit_recorded";
    n.fields = {{"record_id", "V1"}, {"understood", {{{"label", "企业全称"}, {"value", "示例"}}}}};
    n.target = NoticeTarget{"generic", kind, target_id, "handle-" + target_id};
    return n;
}

void enqueue_committed(Database& db, const std::vector<Notice>& notices, std::int64_t now) {
    SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    Outbox outbox(db.sql());
    for (const auto& n : notices) {
        outbox.enqueue(n, std::nullopt, now);
    }
    tx.commit();
}

std::vector<std::string> due_targets(Outbox& outbox, std::int64_t now, int limit = 100) {
    auto due = outbox.due(now, limit);
    REQUIRE(due);
    std::vector<std::string> out;
    for (const OutboxItem& item : due.value()) {
        out.push_back(item.notice.target.id);
    }
    return out;
}

std::int64_t id_of(Outbox& outbox, const std::string& target, std::int64_t now) {
    auto due = outbox.due(now, 100);
    REQUIRE(due);
    for (const OutboxItem& item : due.value()) {
        if (item.notice.target.id == target) {
            return item.id;
        }
    }
    FAIL("no due item for " << target);
    return 0;
}

}  // namespace

TEST_CASE("An enqueued notice comes back due with its target, template and fields", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    const Notice to_user = notice("zhangsan", NoticeTarget::Kind::user);
    enqueue_committed(db, {notice("group-1"), to_user}, 1000);

    auto due = outbox.due(1000, 10);

    REQUIRE(due);
    REQUIRE(due.value().size() == 2);
    CHECK(due.value()[0].notice == notice("group-1"));
    CHECK(due.value()[1].notice == to_user);
    CHECK(due.value()[1].attempts == 0);
    CHECK(due.value()[1].created_at == 1000);
    CHECK(due.value()[0].id < due.value()[1].id);
}

TEST_CASE("Enqueueing belongs to the caller's transaction", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    {
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        outbox.enqueue(notice("group-1"), std::nullopt, 1000);
        // No commit: the decision that produced it did not happen.
    }
    CHECK(due_targets(outbox, 1000).empty());
    auto counts = outbox.counts();
    REQUIRE(counts);
    CHECK(counts.value().pending == 0);
}

TEST_CASE("A notice is linked to the inbox event that produced it", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    ledgerbot::bot::model::InboundEvent event;
    event.id = "e1";
    event.source = "generic";
    const std::vector<ledgerbot::bot::model::InboundEvent> batch{event};
    auto inserted = ledgerbot::storage::Inbox(db.sql()).insert_batch(batch, 1000);
    REQUIRE(inserted);
    const std::int64_t inbox_id = inserted.value()[0].inbox_id;

    {
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        Outbox(db.sql()).enqueue(notice("group-1"), inbox_id, 1000);
        tx.commit();
    }
    CHECK(db.sql().execAndGet("SELECT inbox_id FROM outbox").getInt64() == inbox_id);

    // The link is a foreign key: a notice for an event that was never stored is refused.
    SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK_THROWS_AS(Outbox(db.sql()).enqueue(notice("group-2"), inbox_id + 100, 1000),
                    SQLite::Exception);
}

TEST_CASE("Due respects the next attempt time and the limit, oldest first", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a")}, 1000);
    enqueue_committed(db, {notice("b")}, 900);
    enqueue_committed(db, {notice("c")}, 1100);

    CHECK(due_targets(outbox, 899).empty());
    CHECK(due_targets(outbox, 900) == std::vector<std::string>{"b"});
    CHECK(due_targets(outbox, 1000) == std::vector<std::string>{"b", "a"});
    CHECK(due_targets(outbox, 2000) == std::vector<std::string>{"b", "a", "c"});
    CHECK(due_targets(outbox, 2000, 2) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("A sent notice is counted as one attempt and is no longer due", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a"), notice("b")}, 1000);
    const std::int64_t a = id_of(outbox, "a", 1000);

    REQUIRE(outbox.mark_sent(a, 1005));

    CHECK(due_targets(outbox, 5000) == std::vector<std::string>{"b"});
    SQLite::Statement row(db.sql(), "SELECT status, attempts, sent_at FROM outbox WHERE id = ?");
    row.bind(1, a);
    REQUIRE(row.executeStep());
    CHECK(row.getColumn(0).getString() == "sent");
    CHECK(row.getColumn(1).getInt() == 1);
    CHECK(row.getColumn(2).getInt64() == 1005);
}

TEST_CASE("A failed attempt is retried at the given time with the error recorded", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a")}, 1000);
    const std::int64_t a = id_of(outbox, "a", 1000);

    REQUIRE(outbox.mark_failed(a, "HTTP 502", 1010, false, 1000));

    CHECK(due_targets(outbox, 1009).empty());
    auto due = outbox.due(1010, 10);
    REQUIRE(due);
    REQUIRE(due.value().size() == 1);
    CHECK(due.value()[0].attempts == 1);
    CHECK(db.sql().execAndGet("SELECT last_error FROM outbox").getString() == "HTTP 502");

    REQUIRE(outbox.mark_failed(a, "timeout", 1030, false, 1000));
    due = outbox.due(1030, 10);
    REQUIRE(due);
    CHECK(due.value().at(0).attempts == 2);
    CHECK(db.sql().execAndGet("SELECT last_error FROM outbox").getString() == "timeout");
}

TEST_CASE("A notice parked as dead is never due again", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a")}, 1000);
    const std::int64_t a = id_of(outbox, "a", 1000);

    REQUIRE(outbox.mark_failed(a, "HTTP 400: bad target", 1010, true, 1000));

    CHECK(due_targets(outbox, 1'000'000).empty());
    CHECK(db.sql().execAndGet("SELECT status FROM outbox").getString() == "dead");
    CHECK(db.sql().execAndGet("SELECT attempts FROM outbox").getInt() == 1);
}

TEST_CASE("Deferring moves a notice later without counting an attempt", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a"), notice("b")}, 1000);
    const std::int64_t a = id_of(outbox, "a", 1000);

    REQUIRE(outbox.defer(a, 1060));

    CHECK(due_targets(outbox, 1059) == std::vector<std::string>{"b"});
    auto due = outbox.due(1060, 10);
    REQUIRE(due);
    REQUIRE(due.value().size() == 2);
    CHECK(due.value()[0].notice.target.id == "b");  // due since 1000, so it goes first
    CHECK(due.value()[1].attempts == 0);
}

TEST_CASE("Counts report pending, sent and dead notices", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    auto empty = outbox.counts();
    REQUIRE(empty);
    CHECK(empty.value().pending == 0);
    CHECK(empty.value().sent == 0);
    CHECK(empty.value().dead == 0);

    enqueue_committed(db, {notice("a"), notice("b"), notice("c"), notice("d")}, 1000);
    REQUIRE(outbox.mark_sent(id_of(outbox, "a", 1000), 1001));
    REQUIRE(outbox.mark_sent(id_of(outbox, "b", 1000), 1001));
    REQUIRE(outbox.mark_failed(id_of(outbox, "c", 1000), "gone", 1002, true, 1000));
    REQUIRE(outbox.mark_failed(id_of(outbox, "d", 1000), "busy", 1002, false, 1000));

    auto counts = outbox.counts();
    REQUIRE(counts);
    CHECK(counts.value().pending == 1);
    CHECK(counts.value().sent == 2);
    CHECK(counts.value().dead == 1);
}

TEST_CASE("A notice waits behind an earlier one to the same target, so each reads them in order",
          "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a"), notice("a"), notice("b")}, 1000);
    auto first = outbox.due(1000, 10);
    REQUIRE(first);
    REQUIRE(first.value().size() == 2);  // a's first notice and b's; a's second waits
    const std::int64_t a1 = first.value()[0].id;
    CHECK(first.value()[0].notice.target.id == "a");
    CHECK(first.value()[1].notice.target.id == "b");

    // a's first notice fails and backs off: a's second still waits behind it.
    REQUIRE(outbox.mark_failed(a1, "HTTP 503", 1100, false, 1000));
    CHECK(due_targets(outbox, 1050) == std::vector<std::string>{"b"});
    REQUIRE(outbox.mark_sent(a1, 1100));
    auto later = outbox.due(1100, 10);
    REQUIRE(later);
    REQUIRE(later.value().size() == 2);
    CHECK(later.value()[0].notice.target.id == "a");
    CHECK(later.value()[0].id > a1);
}

TEST_CASE("The first failure is remembered, and an outage is summarised once", "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a"), notice("b")}, 1000);
    const std::int64_t a = id_of(outbox, "a", 1000);
    REQUIRE(outbox.mark_failed(a, "timeout", 1010, false, 1005));
    REQUIRE(outbox.mark_failed(a, "timeout", 1030, false, 1020));
    auto due = outbox.due(1030, 10);
    REQUIRE(due);
    const auto failed_one = std::find_if(due.value().begin(), due.value().end(),
                                         [&](const auto& item) { return item.id == a; });
    REQUIRE(failed_one != due.value().end());
    CHECK(failed_one->first_failed_at == std::optional<std::int64_t>{1005});

    auto failures = outbox.failures();
    REQUIRE(failures);
    CHECK(failures.value().failing == 1);
    CHECK(failures.value().since == 1005);
    CHECK(failures.value().last_error == "timeout");
    CHECK_FALSE(failures.value().told);
    REQUIRE(outbox.record_alert(1005, 3000));
    CHECK(outbox.failures().value().told);

    // Delivered: the outage is over; a later one is a new outage, not yet told.
    REQUIRE(outbox.mark_sent(a, 3100));
    CHECK(outbox.failures().value().failing == 0);
    REQUIRE(outbox.mark_failed(id_of(outbox, "b", 1000), "HTTP 502", 5000, false, 4000));
    CHECK(outbox.failures().value().since == 4000);
    CHECK_FALSE(outbox.failures().value().told);
}

TEST_CASE(
    "An outage alert still failing after the notices it was about went out is not a new "
    "outage",
    "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    Outbox outbox(db.sql());
    enqueue_committed(db, {notice("a")}, 1000);
    const std::int64_t a = id_of(outbox, "a", 1000);
    REQUIRE(outbox.mark_failed(a, "HTTP 503", 1100, false, 1005));
    REQUIRE(outbox.record_alert(1005, 2805));
    // The alert itself goes out over the same channel, and fails too.
    Notice alert = notice("admin01", NoticeTarget::Kind::user);
    alert.template_id = "delivery_failing";
    enqueue_committed(db, {alert}, 2805);
    const std::int64_t alert_id = id_of(outbox, "admin01", 2805);
    REQUIRE(outbox.mark_failed(alert_id, "HTTP 503", 3000, false, 2900));
    // The channel is back for the first notice before the alert's retry: the outage is the
    // one already told, however long the alert has been failing.
    REQUIRE(outbox.mark_sent(a, 6000));
    const auto failures = outbox.failures();
    REQUIRE(failures);
    CHECK(failures.value().failing == 1);
    CHECK(failures.value().told);
}

TEST_CASE("A notice heads its target's queue only when nothing to that target is pending",
          "[outbox]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir.path() / "outbox.db");
    Outbox outbox(db.sql());
    CHECK(outbox.enqueue(notice("g1"), std::nullopt, 1000));
    CHECK_FALSE(outbox.enqueue(notice("g1"), std::nullopt, 1000));
    CHECK(outbox.enqueue(notice("g1", NoticeTarget::Kind::user), std::nullopt, 1000));
    CHECK(outbox.enqueue(notice("g2"), std::nullopt, 1000));
    const std::int64_t first = id_of(outbox, "g1", 1000);
    REQUIRE(outbox.mark_sent(first, 1001));
    // The second one to g1 is still waiting: a third waits behind it.
    CHECK_FALSE(outbox.enqueue(notice("g1"), std::nullopt, 1002));
    // Ids in order: g1, g1, g1 (user), g2, g1.
    REQUIRE(outbox.mark_sent(first + 1, 1003));
    REQUIRE(outbox.mark_failed(first + 4, "gone", 1004, true, 1003));
    // Sent and dead ones hold nothing up.
    CHECK(outbox.enqueue(notice("g1"), std::nullopt, 1005));
}

TEST_CASE("Several delivery outcomes are recorded together", "[outbox]") {
    using Kind = ledgerbot::storage::DeliveryOutcome::Kind;
    ledgerbot::testing::TempDir dir;
    Database db(dir.path() / "outbox.db");
    enqueue_committed(db, {notice("a"), notice("b"), notice("c"), notice("d")}, 1000);
    Outbox outbox(db.sql());
    const std::int64_t a = id_of(outbox, "a", 1000);
    const std::int64_t b = id_of(outbox, "b", 1000);
    const std::int64_t c = id_of(outbox, "c", 1000);
    const std::int64_t d = id_of(outbox, "d", 1000);
    REQUIRE(outbox.record({{a, Kind::sent, 1001, 0, false, {}},
                           {b, Kind::failed, 1001, 1010, false, "HTTP 503"},
                           {c, Kind::failed, 1001, 1010, true, "HTTP 400"},
                           {d, Kind::deferred, 0, 1030, false, {}}}));
    CHECK(due_targets(outbox, 1009).empty());
    CHECK(due_targets(outbox, 1010) == std::vector<std::string>{"b"});
    CHECK(due_targets(outbox, 1030) == std::vector<std::string>{"b", "d"});
    SQLite::Statement rows(db.sql(),
                           "SELECT status, attempts, COALESCE(last_error, '') FROM outbox "
                           "ORDER BY id");
    std::vector<std::string> seen;
    while (rows.executeStep()) {
        seen.push_back(rows.getColumn(0).getString() + "/" + rows.getColumn(1).getString() + "/" +
                       rows.getColumn(2).getString());
    }
    CHECK(seen == std::vector<std::string>{"sent/1/", "pending/1/HTTP 503", "dead/1/HTTP 400",
                                           "pending/0/"});
}
