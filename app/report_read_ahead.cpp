#include "app/report_read_ahead.hpp"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <memory>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "storage/directory_repository.hpp"
#include "storage/inbox_import.hpp"
#include "storage/received_inbox.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::app {
namespace {

/// The directory and its import version, read in one read transaction so that the version
/// names exactly the snapshot (an import committing between two reads could not be mislabelled).
struct VersionedDirectory {
    std::int64_t version = -1;
    bot::model::Directory directory;
};

/// Reloads `current` when an import changed the directory; throws on a storage error.
void refresh(SQLite::Database& ledger, VersionedDirectory& current) {
    ledger.exec("BEGIN");
    try {
        storage::DirectoryRepository directories(ledger);
        const std::int64_t version = directories.version().value();
        if (version != current.version) {
            current.directory = directories.load().value();
            current.version = version;
        }
        ledger.exec("COMMIT");
    } catch (...) {
        ledger.exec("ROLLBACK");
        throw;
    }
}

/// What Engine::read_ahead reads of an event: a reading stands for another copy of the event only
/// when these are the same.
bool same_reading_input(const bot::model::InboundEvent& read,
                        const bot::model::InboundEvent& event) {
    return read.type == event.type && read.time == event.time && read.text == event.text &&
           read.sender == event.sender && read.chat == event.chat;
}

}  // namespace

ReportReadAhead::ReportReadAhead(std::filesystem::path ledger_path,
                                 std::filesystem::path received_path, const bot::Engine& engine,
                                 Options options)
    : ledger_path_(std::move(ledger_path)),
      received_path_(std::move(received_path)),
      engine_(engine),
      options_(options) {}

ReportReadAhead::~ReportReadAhead() {
    stop();
}

void ReportReadAhead::start() {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { loop(); });
    }
}

void ReportReadAhead::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void ReportReadAhead::wake() {
    {
        std::lock_guard lock(mutex_);
        hint_ = true;
    }
    wake_.notify_one();
}

std::optional<bot::reports::ReportCheck> ReportReadAhead::take(
    const bot::model::InboundEvent& event, const std::string& dedup_key,
    std::int64_t directory_version) {
    std::lock_guard lock(mutex_);
    const auto it = readings_.find(dedup_key);
    // The same key with other content: the ledger holds an older copy of a redelivered event
    // (stored before the received file was pruned, or before the upgrade). Read it afresh.
    if (it == readings_.end() || it->second.directory_version != directory_version ||
        !same_reading_input(it->second.event, event)) {
        ++counts_.missed;
        return std::nullopt;
    }
    std::optional<bot::reports::ReportCheck> check = std::move(it->second.check);
    readings_.erase(it);
    ++counts_.used;
    return check;
}

void ReportReadAhead::taken_through(std::int64_t seq) {
    {
        std::lock_guard lock(mutex_);
        if (seq == taken_) {
            return;
        }
        if (seq < taken_) {
            // The ledger's cursor went back: another received file (a restore, a deleted
            // file), whose sequence numbers start again. What was read is of the old one.
            readings_.clear();
            order_.clear();
            cursor_ = seq;
        }
        taken_ = seq;
        // Taken is not yet processed: a round can stop short and process the rest of what it
        // took in the next one. Readings go once they are a window behind.
        forget_through(seq - options_.window);
    }
    // There is room in the window again.
    wake_.notify_one();
}

ReportReadAhead::Counts ReportReadAhead::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

void ReportReadAhead::forget_through(std::int64_t seq) {
    while (!order_.empty() && order_.front().first <= seq) {
        readings_.erase(order_.front().second);
        order_.pop_front();
    }
}

void ReportReadAhead::loop() {
    pthread_setname_np(pthread_self(), "lb-read");
    std::unique_ptr<SQLite::Database> received_connection;
    std::unique_ptr<storage::StatementCache> received_statements;  // before its connection
    std::unique_ptr<SQLite::Database> ledger;
    VersionedDirectory directory;
    bool failing = false;
    for (;;) {
        std::int64_t from = 0;
        int room = 0;
        {
            std::unique_lock lock(mutex_);
            // After a failure, wait the full second: new events alone do not retry at once.
            const auto ready = [&] {
                return stopping_ ||
                       (!failing && hint_ && std::max(cursor_, taken_) - taken_ < options_.window);
            };
            wake_.wait_for(lock, failing ? std::chrono::seconds(1) : options_.idle_wait, ready);
            if (stopping_) {
                break;
            }
            // Behind the ledger (it took events before they were read): skip to its cursor.
            cursor_ = std::max(cursor_, taken_);
            from = cursor_;
            room = static_cast<int>(
                std::min<std::int64_t>(options_.batch, options_.window - (cursor_ - taken_)));
            if (room <= 0) {
                continue;  // the window is full: the hint stays for when the ledger takes more
            }
            hint_ = false;
        }
        try {
            if (!ledger) {
                received_statements.reset();
                received_connection = std::make_unique<SQLite::Database>(
                    storage::ReceivedInbox::open(received_path_, true));
                received_statements =
                    std::make_unique<storage::StatementCache>(*received_connection);
                ledger = std::make_unique<SQLite::Database>(ledger_path_.string(),
                                                            SQLite::OPEN_READWRITE);
                ledger->setBusyTimeout(1000);
                // Never ahead of what the ledger took, so nothing is read twice after a restart.
                const std::int64_t taken = storage::taken_through(*ledger).value();
                std::lock_guard lock(mutex_);
                taken_ = std::max(taken_, taken);
                cursor_ = std::max(cursor_, taken);
                from = cursor_;
            }
            storage::ReceivedInbox received(*received_connection);
            const std::vector<storage::ReceivedEvent> rows = received.after(from, room).value();
            if (rows.empty()) {
                failing = false;
                continue;
            }
            refresh(*ledger, directory);
            std::vector<std::pair<std::int64_t, std::pair<std::string, Reading>>> made;
            for (const storage::ReceivedEvent& row : rows) {
                try {
                    const auto event =
                        nlohmann::json::parse(row.event_json).get<bot::model::InboundEvent>();
                    if (auto check = engine_.read_ahead(event, directory.directory)) {
                        made.push_back({row.seq,
                                        {row.dedup_key,
                                         Reading{directory.version, event, std::move(*check)}}});
                    }
                } catch (const std::exception& e) {
                    // The store thread reads it again and reports what is wrong.
                    spdlog::debug("reading ahead: received event {} not read: {}", row.seq,
                                  e.what());
                }
            }
            std::lock_guard lock(mutex_);
            for (auto& [seq, keyed] : made) {
                if (seq <= taken_) {
                    continue;  // the ledger took it meanwhile, without this reading
                }
                order_.emplace_back(seq, keyed.first);
                readings_.insert_or_assign(std::move(keyed.first), std::move(keyed.second));
                ++counts_.read;
            }
            cursor_ = std::max(cursor_, rows.back().seq);
            hint_ = true;  // a full batch may have more behind it
            failing = false;
        } catch (const std::exception& e) {
            // Nothing depends on reading ahead: the store thread reads what is not read here.
            if (!failing) {
                spdlog::warn("reading reports ahead failed ({}); the store thread reads them",
                             e.what());
            }
            failing = true;
            received_statements.reset();
            received_connection.reset();
            ledger.reset();
        }
    }
}

}  // namespace ledgerbot::app
