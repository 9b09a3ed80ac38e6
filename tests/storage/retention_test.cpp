#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "config/config_loader.hpp"
#include "storage/audit_log.hpp"
#include "storage/database.hpp"
#include "storage/event_processor.hpp"
#include "storage/inbox.hpp"
#include "storage/outbox.hpp"
#include "storage/sha256.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace model = ledgerbot::bot::model;
using ledgerbot::storage::Inbox;

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1795435200;  // 2026-11-23 20:00 Shanghai

model::InboundEvent message(const std::string& id, const std::string& text, std::int64_t time) {
    model::InboundEvent e;
    e.id = id;
    e.source = "generic";
    e.type = model::EventType::message;
    e.time = time;
    e.chat = model::Chat{"group-1", "群", model::ChatKind::group, "", 0};
    e.sender = model::Person{"zhangsan", "张三", "", false, 0};
    e.text = text;
    return e;
}

struct Fixture {
    ledgerbot::testing::TempDir dir;
    ledgerbot::storage::Database db{dir / "ledger.db"};
    ledgerbot::bot::Engine engine{ledgerbot::config::load_default_settings([](std::string_view) {
                                      return std::optional<std::string>{};
                                  }).engine};
    ledgerbot::storage::EventProcessor processor{db.sql(), engine};

    void store(const model::InboundEvent& event, std::int64_t received_at) {
        const std::vector<model::InboundEvent> events{event};
        REQUIRE(Inbox(db.sql()).insert_batch(events, received_at));
    }
    void process(std::int64_t now) { REQUIRE(processor.process_pending(100, now)); }
    std::string event_json(const std::string& id) {
        SQLite::Statement q(db.sql(), "SELECT event_json FROM inbox WHERE dedup_key = ?");
        q.bind(1, "generic:" + id);
        REQUIRE(q.executeStep());
        return q.getColumn(0).getString();
    }
};

}  // namespace

TEST_CASE("The retention run redacts old processed events and old sent notices, nothing else",
          "[retention]") {
    Fixture f;
    const std::string phone_text = "王总电话13912345678，身份证110101199003071234";
    // Processed 40 days ago, 10 days ago, and one still pending from 40 days ago.
    f.store(message("old", phone_text, kNow - 40 * kDay), kNow - 40 * kDay);
    f.store(message("recent", phone_text, kNow - 10 * kDay), kNow - 10 * kDay);
    f.process(kNow - 10 * kDay);
    f.store(message("stuck", phone_text, kNow - 40 * kDay), kNow - 40 * kDay);
    const std::string original = f.event_json("old");
    // Notices: one sent 100 days ago, one sent yesterday, one pending.
    ledgerbot::storage::Outbox outbox(f.db.sql());
    model::Notice notice;
    notice.template_id = "visit_recorded";
    notice.target = model::NoticeTarget{"generic", model::NoticeTarget::Kind::chat, "group-1", ""};
    notice.fields = {{"record_id", "V1"}, {"phone", "13912345678"}};
    for (int i = 0; i < 3; ++i) {
        outbox.enqueue(notice, std::nullopt, kNow - 100 * kDay);
    }
    REQUIRE(outbox.mark_sent(1, kNow - 100 * kDay));
    REQUIRE(outbox.mark_sent(2, kNow - kDay));

    model::InboundEvent tick;
    tick.id = "retention:2026-11-23";
    tick.source = std::string(model::kSchedulerSource);
    tick.type = model::EventType::tick;
    tick.job = "retention";
    tick.time = kNow;
    f.store(tick, kNow);
    // "stuck" would be processed with the tick: keep it pending by processing the tick alone.
    f.db.sql().exec("UPDATE inbox SET status = 'failed' WHERE dedup_key = 'generic:stuck'");
    f.process(kNow);

    const auto redacted = nlohmann::json::parse(f.event_json("old"));
    CHECK(redacted.at("redacted") == true);
    CHECK(redacted.at("sha256") == ledgerbot::storage::sha256_hex(original));
    CHECK(redacted.at("id") == "old");
    CHECK(redacted.at("type") == "message");
    CHECK(redacted.at("sender").at("id") == "zhangsan");
    CHECK_FALSE(redacted.contains("text"));
    CHECK(f.event_json("old").find("13912345678") == std::string::npos);
    // Ten days old, and a failed event kept for the operators: untouched.
    CHECK(f.event_json("recent").find("13912345678") != std::string::npos);
    CHECK(f.event_json("stuck").find("13912345678") != std::string::npos);

    SQLite::Statement fields(f.db.sql(), "SELECT id, fields_json FROM outbox ORDER BY id");
    std::vector<std::string> kept;
    while (fields.executeStep()) {
        kept.push_back(fields.getColumn(1).getString());
    }
    REQUIRE(kept.size() == 3);
    CHECK(kept[0] == "{}");
    CHECK(kept[1].find("13912345678") != std::string::npos);
    CHECK(kept[2].find("13912345678") != std::string::npos);

    SQLite::Statement audit(f.db.sql(),
                            "SELECT detail_json FROM audit_log WHERE action = 'retention.applied'");
    REQUIRE(audit.executeStep());
    const auto detail = nlohmann::json::parse(audit.getColumn(0).getString());
    CHECK(detail.at("events_redacted") == 1);
    CHECK(detail.at("notices_purged") == 1);
    auto verified = ledgerbot::storage::AuditLog(f.db.sql()).verify();
    REQUIRE(verified);
    CHECK(verified.value().ok);

    // A second run redacts nothing more.
    tick.id = "retention:2026-11-24";
    tick.time = kNow + kDay;
    f.store(tick, kNow + kDay);
    f.process(kNow + kDay);
    CHECK(f.db.sql()
              .execAndGet("SELECT COUNT(*) FROM inbox WHERE redacted_at IS NOT NULL")
              .getInt() == 1);
}
