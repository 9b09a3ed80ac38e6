#include "app/store_worker.hpp"
#include "storage/business_counts.hpp"

#include <pthread.h>

#include <cmath>

#include <chrono>
#include <thread>

#include "app/logging/log_lines.hpp"

#include <SQLiteCpp/Exception.h>
#include <spdlog/spdlog.h>

#include "storage/event_processor.hpp"
#include "storage/inbox_import.hpp"
#include "storage/outbox.hpp"

namespace ledgerbot::app {

StoreWorker::StoreWorker(storage::Database& db, std::filesystem::path received_path,
                         const bot::Engine& engine, Metrics& metrics, const Clock& clock,
                         Options options)
    : db_(db),
      received_path_(std::move(received_path)),
      engine_(engine),
      metrics_(metrics),
      clock_(clock),
      options_(options),
      checkpointer_({db_.path(), received_path_}, std::chrono::milliseconds(500)) {
    // Created here, on the caller's thread, so that a file that cannot be opened stops startup
    // rather than an ingest thread.
    storage::ReceivedInbox::open(received_path_);
    storage::WalCheckpointer::hand_over(db_.sql());
    if (options_.read_ahead_window > 0) {
        read_ahead_ = std::make_unique<ReportReadAhead>(
            db_.path(), received_path_, engine_,
            ReportReadAhead::Options{.window = options_.read_ahead_window});
    }
}

StoreWorker::~StoreWorker() {
    stop();
}

void StoreWorker::start() {
    checkpointer_.start();
    if (read_ahead_) {
        read_ahead_->start();
    }
    {
        std::lock_guard lock(ingest_mutex_);
        ingest_stopping_ = false;
        if (!ingest_thread_.joinable()) {
            ingest_thread_ = std::thread([this] { ingest_loop(); });
        }
    }
    std::lock_guard lock(mutex_);
    stopping_ = false;
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { loop(); });
    }
}

void StoreWorker::stop() {
    // Acknowledge what is queued first, then let the store thread finish its round.
    {
        std::lock_guard lock(ingest_mutex_);
        ingest_stopping_ = true;
    }
    ingest_wake_.notify_all();
    if (ingest_thread_.joinable()) {
        ingest_thread_.join();
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    if (read_ahead_) {
        read_ahead_->stop();
    }
    checkpointer_.stop();
}

void StoreWorker::wake() {
    {
        std::lock_guard lock(mutex_);
        hint_ = true;
    }
    wake_.notify_one();
}

void StoreWorker::enqueue_insert(bot::model::InboundEvent event, InsertDone done) {
    {
        std::lock_guard lock(ingest_mutex_);
        inserts_.push_back({std::move(event), std::move(done)});
    }
    ingest_wake_.notify_one();
}

void StoreWorker::ingest_loop() {
    // Named, so that `top -H` and perf tell the writers apart.
    pthread_setname_np(pthread_self(), "lb-ingest");
    SQLite::Database connection = storage::ReceivedInbox::open(received_path_);
    // Without it, every batch prepared its two statements again: a sixth of this thread's time.
    storage::StatementCache statements(connection);
    storage::WalCheckpointer::hand_over(connection);
    storage::ReceivedInbox received(connection);
    for (;;) {
        std::vector<PendingInsert> batch;
        bool stopping = false;
        {
            std::unique_lock lock(ingest_mutex_);
            ingest_wake_.wait_for(lock, std::chrono::seconds(60),
                                  [&] { return ingest_stopping_ || !inserts_.empty(); });
            while (!inserts_.empty() && batch.size() < options_.max_batch) {
                batch.push_back(std::move(inserts_.front()));
                inserts_.pop_front();
            }
            stopping = ingest_stopping_ && inserts_.empty();
        }
        if (!batch.empty()) {
            commit_batch(received, batch);
            wake();
            if (read_ahead_) {
                read_ahead_->wake();
            }
        }
        prune_received(received);
        if (stopping) {
            break;
        }
    }
}

void StoreWorker::enqueue_job(std::function<void(SQLite::Database&)> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void StoreWorker::loop() {
    pthread_setname_np(pthread_self(), "lb-store");
    received_statements_.reset();
    received_reader_ =
        std::make_unique<SQLite::Database>(storage::ReceivedInbox::open(received_path_, true));
    received_statements_ = std::make_unique<storage::StatementCache>(*received_reader_);
    // Owned by this thread: it caches the directory snapshot between events.
    processor_ = std::make_unique<storage::EventProcessor>(
        db_.sql(), engine_, [](std::int64_t inbox_id, const std::string& what) {
            spdlog::error("inbox event {} failed in the engine: {}", inbox_id, what);
        });
    if (read_ahead_) {
        processor_->take_readings_from([this](const bot::model::InboundEvent& event,
                                              const std::string& dedup_key,
                                              std::int64_t directory_version) {
            return read_ahead_->take(event, dedup_key, directory_version);
        });
    }
    // Once per database: a ledger from before the points journal gets its journal.
    for (;;) {
        try {
            processor_->build_points_journal_once(clock_.now_seconds());
            break;
        } catch (const SQLite::Exception& e) {
            spdlog::error("building the points journal failed: {}; retrying", e.what());
            std::this_thread::sleep_for(std::chrono::seconds(1));
            std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
        } catch (const std::exception& e) {
            // A bug, not a busy database: events must still be processed; the next start
            // tries again (nothing was marked built).
            spdlog::error("the points journal could not be built: {}", e.what());
            break;
        }
    }
    // The lag counts from the cursor, also before this run takes anything.
    if (auto taken = storage::taken_through(db_.sql())) {
        taken_through_.store(taken.value());
    }
    bool more_to_process = true;
    for (;;) {
        std::deque<std::function<void(SQLite::Database&)>> jobs;
        bool stopping = false;
        {
            std::unique_lock lock(mutex_);
            if (!more_to_process) {
                const auto paused = paused_until_ - std::chrono::steady_clock::now();
                const auto wait =
                    std::max(options_.idle_wait,
                             std::chrono::duration_cast<std::chrono::milliseconds>(paused));
                wake_.wait_for(lock, wait, [&] { return stopping_ || hint_ || !jobs_.empty(); });
            }
            jobs.swap(jobs_);
            stopping = stopping_;
            more_to_process = more_to_process || hint_;
            hint_ = false;
        }
        for (auto& job : jobs) {
            job(db_.sql());
        }
        if (stopping) {
            // Everything acknowledged is in the ledger's inbox when the service has stopped;
            // processing it waits for the next start.
            while (take_received()) {
            }
            break;
        }
        if (std::chrono::steady_clock::now() >= paused_until_) {
            // Even without a hint, look again at the next idle wake-up: another process (an
            // earlier run, a CLI import) may have left work.
            more_to_process = process_some();
        }
        // At most once a second, and also while processing is behind, which is when the lag
        // on /metrics matters most; the whole-table business counts wait for an idle moment.
        refresh_depths(!more_to_process);
    }
    refresh_depths(true);
}

void StoreWorker::commit_batch(storage::ReceivedInbox& received,
                               std::vector<PendingInsert>& batch) {
    std::vector<bot::model::InboundEvent> events;
    events.reserve(batch.size());
    for (const auto& item : batch) {
        events.push_back(item.event);
    }
    auto result = received.insert_batch(events, clock_.now_seconds());
    if (!result) {
        spdlog::error("inbox commit of {} events failed: {}", batch.size(),
                      result.error().message());
        for (auto& item : batch) {
            item.done(result.error(), {});
        }
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        metrics_.count_stored(result.value()[i].duplicate);
        batch[i].done({}, result.value()[i]);
    }
}

bool StoreWorker::process_some() {
    // Jobs others await (a CLI-like query, the outbox) go between batches, not after the lot.
    const auto jobs_waiting = [this] {
        std::lock_guard lock(mutex_);
        return !jobs_.empty() || stopping_;
    };
    // What arrived is taken in the transaction that processes it: one commit per batch.
    // Taken no faster than processed: what a round did not reach (it yielded to a job) is
    // processed before more is taken, so the backlog waits in the received file, where the
    // read-ahead reads it, and not in the ledger's inbox.
    storage::ReceivedInbox received(*received_reader_);
    const int room = std::max(0, options_.process_batch - left_behind_);
    auto take = room > 0 ? storage::received_to_take(db_.sql(), received, room)
                         : storage::result<std::vector<storage::ReceivedEvent>>(
                               std::vector<storage::ReceivedEvent>{});
    if (!take) {
        const auto delay = processing_backoff_.next();
        paused_until_ = std::chrono::steady_clock::now() + delay;
        spdlog::warn("reading the received inbox failed ({}); retrying in {} ms",
                     take.error().message(), delay.count());
        return false;
    }
    auto result = processor_->process_pending(options_.process_batch, clock_.now_seconds(),
                                              jobs_waiting, take.value());
    if (!result) {
        // The events stay pending; try again after a pause that doubles while the error lasts.
        const auto delay = processing_backoff_.next();
        paused_until_ = std::chrono::steady_clock::now() + delay;
        spdlog::warn("processing inbox events failed ({}); retrying in {} ms",
                     result.error().message(), delay.count());
        return false;
    }
    if (!take.value().empty()) {
        taken_through_.store(result.value().taken.taken_through);
        if (read_ahead_) {
            read_ahead_->taken_through(result.value().taken.taken_through);
        }
    }
    if (result.value().taken.already_known > 0) {
        spdlog::info("{} received event(s) were already in the ledger (stored before an upgrade)",
                     result.value().taken.already_known);
    }
    processing_backoff_.reset();
    left_behind_ = result.value().left;
    if (result.value().ready_notices > 0 && notices_hook_) {
        notices_hook_();
    }
    metrics_.count_processed(result.value().processed, result.value().failed);
    for (const auto& event : result.value().events) {
        nlohmann::ordered_json fields{{"event", event.event},
                                      {"adapter", event.source},
                                      {"chat", event.chat},
                                      {"type", event.type},
                                      {"outcome", event.outcome},
                                      {"notices", event.notices},
                                      {"duration_ms", std::round(event.duration_ms * 100) / 100}};
        if (!event.error.empty()) {
            fields["error"] = event.error;
        }
        logging::log_fields(event.outcome == "failed" ? spdlog::level::err : spdlog::level::info,
                            "event processed", fields);
    }
    // Yielding early also means there is more to do.
    return result.value().processed + result.value().failed + result.value().taken.taken +
               result.value().taken.already_known >
           0;
}

bool StoreWorker::take_received() {
    storage::ReceivedInbox received(*received_reader_);
    auto result = storage::take_received(db_.sql(), received, options_.process_batch);
    if (!result) {
        const auto delay = processing_backoff_.next();
        paused_until_ = std::chrono::steady_clock::now() + delay;
        spdlog::warn("taking received events into the ledger failed ({}); retrying in {} ms",
                     result.error().message(), delay.count());
        return false;
    }
    taken_through_.store(result.value().taken_through);
    if (result.value().already_known > 0) {
        spdlog::info("{} received event(s) were already in the ledger (stored before an upgrade)",
                     result.value().already_known);
    }
    return result.value().taken + result.value().already_known > 0;
}

void StoreWorker::prune_received(storage::ReceivedInbox& received) {
    const std::int64_t now = clock_.now_millis();
    if (now - last_prune_ms_ < 600'000) {
        return;
    }
    last_prune_ms_ = now;
    const std::int64_t taken = taken_through_.load();
    if (taken == 0) {
        return;
    }
    auto pruned = received.prune(taken, clock_.now_seconds() - options_.received_keep_seconds);
    if (!pruned) {
        spdlog::warn("pruning the received inbox failed: {}", pruned.error().message());
    }
}

void StoreWorker::refresh_depths(bool idle) {
    const std::int64_t now = clock_.now_millis();
    if (now - last_depth_refresh_ms_ < 1000) {
        return;
    }
    last_depth_refresh_ms_ = now;
    if (read_ahead_) {
        const ReportReadAhead::Counts counts = read_ahead_->counts();
        metrics_.count_read_ahead(counts.read - read_ahead_counted_.read,
                                  counts.used - read_ahead_counted_.used,
                                  counts.missed - read_ahead_counted_.missed);
        read_ahead_counted_ = counts;
    }
    // Whole-table counts, so less often than the queue depths.
    if (idle && now - last_business_refresh_ms_ >= 15'000) {
        last_business_refresh_ms_ = now;
        if (auto counts = storage::business_counts(db_.sql())) {
            metrics_.set_business(counts.value());
        } else {
            spdlog::warn("counting visits, demands, risks and job runs for /metrics failed: {}",
                         counts.error().message());
        }
    }
    auto inbox = storage::Inbox(db_.sql()).depth();
    auto outbox = storage::Outbox(db_.sql()).counts();
    if (inbox && outbox) {
        metrics_.set_depths(static_cast<double>(inbox.value()),
                            static_cast<double>(outbox.value().pending),
                            static_cast<double>(outbox.value().dead));
    }
    // Lag: what was acknowledged and is not processed yet, in either file.
    storage::ReceivedInbox received(*received_reader_);
    auto waiting = received.lag_after(taken_through_.load());
    auto oldest = storage::Inbox(db_.sql()).oldest_pending_received_at();
    if (!waiting || !oldest || !inbox) {
        return;
    }
    std::optional<std::int64_t> first = waiting.value().oldest_received_at;
    if (oldest.value() && (!first || *oldest.value() < *first)) {
        first = oldest.value();
    }
    const std::int64_t age = first ? std::max<std::int64_t>(0, clock_.now_seconds() - *first) : 0;
    metrics_.set_inbox_lag(static_cast<double>(waiting.value().events + inbox.value()),
                           static_cast<double>(age));
    if (options_.lag_warning_seconds > 0 && age > options_.lag_warning_seconds &&
        now - last_lag_warning_ms_ >= 60'000) {
        last_lag_warning_ms_ = now;
        spdlog::warn(
            "processing is behind: {} acknowledged event(s) waiting, the oldest for {} s "
            "(warning above {} s)",
            waiting.value().events + inbox.value(), age, options_.lag_warning_seconds);
    }
}

}  // namespace ledgerbot::app
