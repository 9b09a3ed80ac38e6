#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "app/clock.hpp"
#include "app/metrics.hpp"
#include "app/report_read_ahead.hpp"
#include "bot/engine.hpp"
#include "storage/backoff.hpp"
#include "storage/database.hpp"
#include "storage/event_processor.hpp"
#include "storage/inbox.hpp"
#include "storage/received_inbox.hpp"
#include "storage/statement_cache.hpp"
#include "storage/wal_checkpointer.hpp"

namespace ledgerbot::app {

/// The two threads that write to SQLite, one per file, so that acknowledging never waits for
/// processing:
/// - the ingest thread alone writes the received inbox (its own file, received_inbox.hpp). HTTP
///   sessions hand it events and await the commit; concurrent events are committed together
///   (group commit, one fsync per batch);
/// - the store thread alone writes the ledger: it takes received events into the ledger's
///   inbox (inbox_import.hpp), runs them through the engine in batches, and runs the jobs
///   others post to it.
/// Each thread has its own connection; the store thread reads the received file through a
/// connection of its own, which WAL lets it do while the ingest thread writes.
class StoreWorker {
public:
    struct Options {
        std::size_t max_batch = 512;
        int process_batch = 256;
        std::chrono::milliseconds idle_wait{200};
        /// The oldest acknowledged event waiting longer than this logs a warning (0 = never).
        std::int64_t lag_warning_seconds = 30;
        /// Taken events are kept in the received file this long, so a late redelivery is
        /// still recognised there (the ledger recognises it too, for ever).
        std::int64_t received_keep_seconds = 3 * 86400;
        /// Events read as reports ahead of the store thread (report_read_ahead.hpp); 0 reads
        /// each on the store thread.
        std::int64_t read_ahead_window = 1024;
    };

    StoreWorker(storage::Database& db, std::filesystem::path received_path,
                const bot::Engine& engine, Metrics& metrics, const Clock& clock, Options options);
    ~StoreWorker();
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    /// Called on the store thread after a commit that wrote a notice that can go out now, one
    /// first in its target's queue (set before start).
    void on_notices(std::function<void()> hook) { notices_hook_ = std::move(hook); }
    void start();
    /// Commits and acknowledges what is queued, then stops both threads. Events not yet
    /// processed stay where they are and are processed on the next start.
    void stop();
    /// Asks the worker to look at the inbox now rather than at its next idle wake-up.
    void wake();

    /// Completes after the event is committed; a failed commit is rethrown in the awaiting
    /// coroutine as std::system_error carrying the storage error code.
    /// Takes an rvalue reference, not a value, for the same GCC 12 reason as `run`.
    boost::asio::awaitable<storage::InboxInsert> store(bot::model::InboundEvent&& event) {
        return boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                           void(std::exception_ptr, storage::InboxInsert)>(
            [this](auto handler, bot::model::InboundEvent event) {
                auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                auto work = std::make_shared<decltype(boost::asio::make_work_guard(*shared))>(
                    boost::asio::make_work_guard(*shared));
                enqueue_insert(std::move(event), [shared, work](std::error_code ec,
                                                                storage::InboxInsert result) {
                    std::exception_ptr error;
                    if (ec) {
                        error = std::make_exception_ptr(std::system_error(ec, "inbox commit"));
                    }
                    auto executor = boost::asio::get_associated_executor(*shared);
                    boost::asio::post(executor, [shared, work, error, result]() mutable {
                        (*shared)(error, result);
                    });
                });
            },
            boost::asio::use_awaitable, std::move(event));
    }

    /// Runs `job` on the store thread with the write connection and returns its result to the
    /// awaiting coroutine; an exception thrown by the job is rethrown there.
    ///
    /// Pass a named job (an lvalue): GCC 12 destroys some temporaries inside a co_await
    /// expression twice, and a lambda with non-trivial captures converted to a std::function
    /// argument is such a temporary. Taking a reference and copying here avoids creating one.
    template <typename T, typename Job>
    boost::asio::awaitable<T> run(const Job& named_job) {
        std::function<T(SQLite::Database&)> job = named_job;
        return boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                           void(std::exception_ptr, T)>(
            [this](auto handler, std::function<T(SQLite::Database&)> job) {
                auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                auto work = std::make_shared<decltype(boost::asio::make_work_guard(*shared))>(
                    boost::asio::make_work_guard(*shared));
                enqueue_job([shared, work, job = std::move(job)](SQLite::Database& db) {
                    std::exception_ptr error;
                    T value{};
                    try {
                        value = job(db);
                    } catch (...) {
                        error = std::current_exception();
                    }
                    auto executor = boost::asio::get_associated_executor(*shared);
                    boost::asio::post(executor, [shared, work, error, value]() mutable {
                        (*shared)(error, std::move(value));
                    });
                });
            },
            boost::asio::use_awaitable, std::move(job));
    }

private:
    using InsertDone = std::function<void(std::error_code, storage::InboxInsert)>;
    struct PendingInsert {
        bot::model::InboundEvent event;
        InsertDone done;
    };

    void enqueue_insert(bot::model::InboundEvent event, InsertDone done);
    void enqueue_job(std::function<void(SQLite::Database&)> job);
    void ingest_loop();
    void loop();
    void commit_batch(storage::ReceivedInbox& received, std::vector<PendingInsert>& batch);
    void prune_received(storage::ReceivedInbox& received);
    bool take_received();
    bool process_some();
    /// Queue depths and lag, at most once a second; `idle`: the business counts too.
    void refresh_depths(bool idle);

    storage::Database& db_;
    std::filesystem::path received_path_;
    const bot::Engine& engine_;
    Metrics& metrics_;
    const Clock& clock_;
    Options options_;

    // The ingest thread's queue.
    std::mutex ingest_mutex_;
    std::condition_variable ingest_wake_;
    std::deque<PendingInsert> inserts_;
    bool ingest_stopping_ = false;
    std::thread ingest_thread_;
    std::atomic<std::int64_t> taken_through_{0};
    std::int64_t last_prune_ms_ = 0;

    // The store thread's.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void(SQLite::Database&)>> jobs_;
    bool stopping_ = false;
    bool hint_ = true;
    std::thread thread_;
    std::unique_ptr<SQLite::Database> received_reader_;
    std::unique_ptr<storage::StatementCache> received_statements_;  // goes before its connection
    storage::WalCheckpointer checkpointer_;
    std::unique_ptr<ReportReadAhead> read_ahead_;
    ReportReadAhead::Counts read_ahead_counted_;  // what /metrics has
    std::int64_t last_lag_warning_ms_ = 0;
    std::unique_ptr<storage::EventProcessor> processor_;
    std::int64_t last_depth_refresh_ms_ = 0;
    std::int64_t last_business_refresh_ms_ = 0;
    storage::Backoff processing_backoff_{std::chrono::milliseconds(100), std::chrono::seconds(5)};
    std::chrono::steady_clock::time_point paused_until_{};
    int left_behind_ = 0;  // pending events the last round did not reach
    std::function<void()> notices_hook_;
};

}  // namespace ledgerbot::app
