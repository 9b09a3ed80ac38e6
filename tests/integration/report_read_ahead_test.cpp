// ReportReadAhead on real files: it reads the received file ahead of the ledger's cursor and
// hands a reading out only for the very event it read, made with the directory version asked.

#include "app/report_read_ahead.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/received_inbox.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;

InboundEvent report(const std::string& id, const std::string& company) {
    InboundEvent event;
    event.id = id;
    event.source = "generic";
    event.type = EventType::message;
    event.time = 1782878400;  // 2026-07-01 12:00 Shanghai
    event.chat.id = "g-1";
    event.chat.kind = ChatKind::group;
    event.sender.id = "zhangsan";
    event.sender.name = "张三";
    event.text = "【走访记录】\n企业全称：" + company +
                 "\n走访时间：2026-07-01 10:00\n走访方式：实地走访\n走访内容：了解融资计划";
    return event;
}

}  // namespace

TEST_CASE("A report read ahead is handed out once, for the same event and directory version only",
          "[read_ahead]") {
    ledgerbot::testing::TempDir dir;
    ledgerbot::storage::Database ledger(dir / "ledger.db");
    ledgerbot::storage::DirectoryRepository directories(ledger.sql());
    REQUIRE(directories.import_companies("full_name\n宁夏示例科技有限公司\n", 0).value().ok());
    REQUIRE(
        directories.import_staff("id,name,department\nzhangsan,张三,市场发展部\n", 0).value().ok());
    const std::int64_t version = directories.version().value();
    SQLite::Database received_db = ledgerbot::storage::ReceivedInbox::open(dir / "received.db");
    ledgerbot::storage::ReceivedInbox received(received_db);
    const std::vector<InboundEvent> events{report("r-1", "宁夏示例科技有限公司"),
                                           report("r-2", "宁夏示例科技有限公司"),
                                           report("r-3", "宁夏示例科技有限公司")};
    REQUIRE(received.insert_batch(events, 1782878400));

    const ledgerbot::bot::Engine engine(
        ledgerbot::config::load_default_settings([](std::string_view) {
            return std::optional<std::string>{};
        }).engine);
    ledgerbot::app::ReportReadAhead read_ahead(dir / "ledger.db", dir / "received.db", engine, {});
    read_ahead.start();
    read_ahead.wake();
    for (int i = 0; i < 200 && read_ahead.counts().read < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(read_ahead.counts().read == 3);

    // Another directory version: not this reading.
    CHECK_FALSE(read_ahead.take(events[0], "generic:r-1", version + 1));
    // The same key with other content (an older copy of a redelivered event): not this reading.
    InboundEvent other_copy = events[1];
    other_copy.text += "\n客户反馈：希望对接银行";
    CHECK_FALSE(read_ahead.take(other_copy, "generic:r-2", version));
    // The very event and version: its reading, once.
    const auto reading = read_ahead.take(events[2], "generic:r-3", version);
    REQUIRE(reading);
    CHECK(reading->is_report);
    REQUIRE(reading->parsed);
    CHECK(reading->parsed->company_id.has_value());
    CHECK_FALSE(read_ahead.take(events[2], "generic:r-3", version));
    CHECK(read_ahead.counts().used == 1);
    CHECK(read_ahead.counts().missed == 3);

    // The ledger took them all: forgotten once a window behind, and nothing is read again.
    read_ahead.taken_through(3 + ledgerbot::app::ReportReadAhead::Options{}.window);
    CHECK_FALSE(read_ahead.take(events[0], "generic:r-1", version));
    read_ahead.stop();
    CHECK(read_ahead.counts().read == 3);
}
