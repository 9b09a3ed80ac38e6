#include "tests/integration/running_service.hpp"

#include "app/application.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"

namespace ledgerbot::testing {

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

RunningService::RunningService(const std::string& generic_lines, const std::string& outbox_lines,
                               const std::string& extra_toml, const app::Clock* clock,
                               const std::string& server_lines)
    : clock_(clock != nullptr ? *clock : system_clock_) {
    toml_ =
        "[server]\nlisten_port = 0\nops_listen_port = 0\nshutdown_grace_seconds = 5\n"
        "body_limit_bytes = 65536\n" +
        server_lines + "\n[storage]\ndatabase_path = \"" + (dir_ / "ledgerbot.db").string() +
        "\"\n"
        "[log]\nlevel = \"warn\"\n"
        "[outbox]\n" +
        (outbox_lines.find("poll_interval_ms") == std::string::npos ? "poll_interval_ms = 20\n"
                                                                    : "") +
        (outbox_lines.find("initial_backoff_seconds") == std::string::npos
             ? "initial_backoff_seconds = 0\n"
             : "") +
        outbox_lines + "\n" + "[adapters.generic]\nsecret = \"" + kTestSecret +
        "\"\nconsole_sink = \"" + (dir_ / "outbox.jsonl").string() + "\"\n" + generic_lines + "\n" +
        extra_toml + "\n";
    if (extra_toml.find("[schedule]") == std::string::npos) {
        // Hermetic: without a schedule of its own, no wall-clock job (the hourly conventions
        // check catches up at start) adds ticks to what a test counts.
        toml_ += "[schedule]\nenabled = false\n";
    }
    start();
}

void RunningService::start() {
    auto settings = config::load_settings_from_string(
        toml_, "integration test", [](std::string_view) { return std::nullopt; });
    application_ = std::make_unique<app::Application>(settings, clock_);
    port_ = application_->start().port();
    ops_port_ = application_->ops_endpoint().port();
    runner_ = std::thread([this] { application_->run(false); });
}

void RunningService::restart() {
    stop();
    application_.reset();
    start();
}

RunningService::~RunningService() {
    stop();
}

void RunningService::stop() {
    if (runner_.joinable()) {
        application_->request_shutdown();
        runner_.join();
    }
}

SQLite::Database RunningService::open_database() const {
    SQLite::Database db(database_path().string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    return db;
}

std::int64_t RunningService::count(const std::string& sql) const {
    return open_database().execAndGet(sql).getInt64();
}

std::int64_t RunningService::count_received(const std::string& sql) const {
    SQLite::Database db(received_path().string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    return db.execAndGet(sql).getInt64();
}

bool RunningService::wait_for_received(const std::string& sql, std::int64_t expected) const {
    for (int i = 0; i < 500; ++i) {
        if (count_received(sql) == expected) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool RunningService::wait_for_taken() const {
    for (int i = 0; i < 500; ++i) {
        const std::int64_t newest = count_received("SELECT COALESCE(MAX(seq), 0) FROM received");
        if (count("SELECT taken_through FROM inbox_import") >= newest) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool RunningService::wait_for_count(const std::string& sql, std::int64_t expected) const {
    for (int i = 0; i < 500; ++i) {
        if (count(sql) == expected) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool RunningService::wait_for_sent(const std::string& template_id, const std::string& target_id,
                                   std::int64_t count) const {
    return wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND template_id = '" +
                              template_id + "' AND target_id = '" + target_id + "'",
                          count);
}

nlohmann::json RunningService::last_sink_notice(const std::string& template_id,
                                                const std::string& target_id) const {
    nlohmann::json found;
    for (const auto& line : sink_lines()) {
        auto notice = nlohmann::json::parse(line);
        if (notice["template"] == template_id &&
            (target_id.empty() || notice["target"]["id"] == target_id)) {
            found = std::move(notice);
        }
    }
    return found;
}

std::vector<std::string> RunningService::sink_lines() const {
    std::vector<std::string> lines;
    std::istringstream in(read_text(sink_path()));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

std::string RunningService::metrics_text() {
    return application().metrics().serialize();
}

bool RunningService::wait_for_scheduler_checks() {
    auto& scheduler = application().scheduler();
    const std::int64_t target = scheduler.checks() + 2;
    for (int i = 0; i < 2000; ++i) {
        if (scheduler.checks() >= target) {
            return true;
        }
        scheduler.check_now();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

void RunningService::import_demo_directory() {
    // A second connection, as the CLI would be: the service notices the version bump.
    storage::Database db(database_path());
    storage::DirectoryRepository repository(db.sql());
    const auto root = std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "config" / "demo";
    auto companies = repository.import_companies(read_text(root / "companies.csv"), 0);
    auto staff = repository.import_staff(read_text(root / "staff.csv"), 0);
    if (!companies || !companies.value().ok() || !staff || !staff.value().ok()) {
        throw std::runtime_error("demo directory import failed");
    }
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const std::string kCompleteVisitReport =
    "【走访记录】\n企业名称：示例科技\n走访时间：昨天 上午10点\n走访方式：实地走访\n"
    "走访人员：张三、李四\n走访内容：了解年度融资计划\n客户反馈：希望对接银行\n"
    "企业联系人：王总 13912345678\n服务需求：股权融资；挂牌辅导";

std::string message_event(const std::string& id, const std::string& text,
                          const std::string& chat_id, bool direct) {
    nlohmann::json event{
        {"id", id},
        {"type", "message"},
        {"time", bot::time::format_rfc3339(now_seconds())},
        {"chat",
         {{"id", chat_id},
          {"name", "宁夏示例科技有限公司服务项目专属服务群"},
          {"type", direct ? "direct" : "group"}}},
        {"sender", {{"id", "zhangsan"}, {"name", "张三"}}},
        {"text", text},
    };
    return event.dump();
}

}  // namespace ledgerbot::testing
