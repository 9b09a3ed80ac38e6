#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace ledgerbot::app {
class Application;
}  // namespace ledgerbot::app

namespace ledgerbot::testing {

inline const std::string kTestSecret = "integration-secret";

/// The whole service in-process on 127.0.0.1:0 with a temp SQLite file and console sink, run on
/// its own thread. `generic_lines` and `outbox_lines` are extra TOML lines for the
/// [adapters.generic] and [outbox] tables; `extra_toml` is appended as whole tables (e.g. an
/// [adapters.wecom] table). `clock` replaces the system clock (e.g. a ManualClock that tests
/// move forward); it must outlive the service.
class RunningService {
public:
    explicit RunningService(const std::string& generic_lines = "",
                            const std::string& outbox_lines = "",
                            const std::string& extra_toml = "", const app::Clock* clock = nullptr,
                            const std::string& server_lines = "");
    ~RunningService();

    std::uint16_t port() const { return port_; }
    /// The operations listener: /metrics and /healthz.
    std::uint16_t ops_port() const { return ops_port_; }
    std::filesystem::path database_path() const { return dir_ / "ledgerbot.db"; }
    /// The acknowledgement side of the inbox (table `received`): what was stored before the
    /// 200, whether or not the ledger has taken it yet.
    std::filesystem::path received_path() const { return dir_ / "ledgerbot-received.db"; }
    std::filesystem::path sink_path() const { return dir_ / "outbox.jsonl"; }
    /// The running application (include app/application.hpp to use it: most tests need not,
    /// and it is the heaviest header of the tree to compile).
    app::Application& application() { return *application_; }
    /// The Prometheus text /metrics serves.
    std::string metrics_text();

    /// A read connection to the service's database (WAL lets it read while the service writes).
    SQLite::Database open_database() const;
    std::int64_t count(const std::string& sql) const;
    /// `sql` on the received file (`SELECT COUNT(*) FROM received WHERE …`).
    std::int64_t count_received(const std::string& sql) const;
    bool wait_for_received(const std::string& sql, std::int64_t expected) const;
    /// Waits until the ledger has taken every event of the received file into its inbox.
    bool wait_for_taken() const;
    /// Polls `sql` (a COUNT query) until it returns `expected` or ~10 s pass.
    bool wait_for_count(const std::string& sql, std::int64_t expected) const;
    std::vector<std::string> sink_lines() const;
    /// Waits until `count` notices of `template_id` to `target_id` were sent.
    bool wait_for_sent(const std::string& template_id, const std::string& target_id,
                       std::int64_t count = 1) const;
    /// The last notice of `template_id` in the console sink (to `target_id` when given), as the
    /// JSON line the generic sender wrote; null when there is none.
    nlohmann::json last_sink_notice(const std::string& template_id,
                                    const std::string& target_id = "") const;

    /// Waits until the scheduler has completed two more checks than it had, so at least one
    /// whole check started after whatever the test changed. Asks for each check at once instead
    /// of waiting for the interval; asserts nothing on time.
    bool wait_for_scheduler_checks();

    void import_demo_directory();
    void stop();
    /// Stops the service and starts a new one on the same database, config and clock, as a
    /// process restart would.
    void restart();

private:
    void start();

    TempDir dir_;
    app::SystemClock system_clock_;
    const app::Clock& clock_;
    std::string toml_;
    std::unique_ptr<app::Application> application_;
    std::thread runner_;
    std::uint16_t port_ = 0;
    std::uint16_t ops_port_ = 0;
};

/// Wall-clock unix seconds, as the service's SystemClock reads them (signature timestamps).
std::int64_t now_seconds();

/// A complete labelled visit report for a demo-directory company, visited yesterday.
extern const std::string kCompleteVisitReport;

/// A generic-adapter message event as JSON text.
std::string message_event(const std::string& id, const std::string& text,
                          const std::string& chat_id = "g-demo", bool direct = false);

}  // namespace ledgerbot::testing
