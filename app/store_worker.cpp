#include "app/store_worker.hpp"

#include <chrono>
#include <thread>

#include <SQLiteCpp/Exception.h>
#include <spdlog/spdlog.h>

#include "storage/event_processor.hpp"
#include "storage/outbox.hpp"

namespace ledgerbot::app {

StoreWorker::StoreWorker(storage::Database& db, const bot::Engine& engine, Metrics& metrics,
                         const Clock& clock, Options options)
    : db_(db), engine_(engine), metrics_(metrics), clock_(clock), options_(options) {}

StoreWorker::~StoreWorker() {
    stop();
}

void StoreWorker::start() {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { loop(); });
    }
}

void StoreWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
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
        std::lock_guard lock(mutex_);
        inserts_.push_back({std::move(event), std::move(done)});
    }
    wake_.notify_one();
}

void StoreWorker::enqueue_job(std::function<void(SQLite::Database&)> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void StoreWorker::loop() {
    // Owned by this thread: it caches the directory snapshot between events.
    processor_ = std::make_unique<storage::EventProcessor>(
        db_.sql(), engine_, [](std::int64_t inbox_id, const std::string& what) {
            spdlog::error("inbox event {} failed in the engine: {}", inbox_id, what);
        });
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
    bool more_to_process = true;
    for (;;) {
        std::vector<PendingInsert> batch;
        std::deque<std::function<void(SQLite::Database&)>> jobs;
        bool stopping = false;
        {
            std::unique_lock lock(mutex_);
            if (!more_to_process) {
                const auto paused = paused_until_ - std::chrono::steady_clock::now();
                const auto wait =
                    std::max(options_.idle_wait,
                             std::chrono::duration_cast<std::chrono::milliseconds>(paused));
                wake_.wait_for(lock, wait, [&] {
                    return stopping_ || hint_ || !inserts_.empty() || !jobs_.empty();
                });
            }
            while (!inserts_.empty() && batch.size() < options_.max_batch) {
                batch.push_back(std::move(inserts_.front()));
                inserts_.pop_front();
            }
            jobs.swap(jobs_);
            stopping = stopping_ && inserts_.empty();
            more_to_process = more_to_process || hint_;
            hint_ = false;
        }
        if (!batch.empty()) {
            commit_batch(batch);
            more_to_process = true;
        }
        for (auto& job : jobs) {
            job(db_.sql());
        }
        if (stopping) {
            break;
        }
        // Ingest first: a fresh batch of callbacks waiting for their ack goes before processing.
        bool inserts_waiting = false;
        {
            std::lock_guard lock(mutex_);
            inserts_waiting = !inserts_.empty();
        }
        if (!inserts_waiting && std::chrono::steady_clock::now() >= paused_until_) {
            more_to_process = process_some();
            // Even without a hint, look again at the next idle wake-up: another process (an
            // earlier run, a CLI import) may have left work.
            if (!more_to_process) {
                refresh_depths();
            }
        }
    }
    refresh_depths();
}

void StoreWorker::commit_batch(std::vector<PendingInsert>& batch) {
    std::vector<bot::model::InboundEvent> events;
    events.reserve(batch.size());
    for (const auto& item : batch) {
        events.push_back(item.event);
    }
    auto result = storage::Inbox(db_.sql()).insert_batch(events, clock_.now_seconds());
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
    // Acknowledgements wait on the same thread: give way to them between events.
    const auto inserts_waiting = [this] {
        std::lock_guard lock(mutex_);
        return !inserts_.empty();
    };
    auto result =
        processor_->process_pending(options_.process_batch, clock_.now_seconds(), inserts_waiting);
    if (!result) {
        // The events stay pending; try again after a pause that doubles while the error lasts.
        const auto delay = processing_backoff_.next();
        paused_until_ = std::chrono::steady_clock::now() + delay;
        spdlog::warn("processing inbox events failed ({}); retrying in {} ms",
                     result.error().message(), delay.count());
        return false;
    }
    processing_backoff_.reset();
    metrics_.count_processed(result.value().processed, result.value().failed);
    // Yielding early also means there is more to do.
    return result.value().processed + result.value().failed > 0;
}

void StoreWorker::refresh_depths() {
    const std::int64_t now = clock_.now_millis();
    if (now - last_depth_refresh_ms_ < 1000) {
        return;
    }
    last_depth_refresh_ms_ = now;
    auto inbox = storage::Inbox(db_.sql()).depth();
    auto outbox = storage::Outbox(db_.sql()).counts();
    if (inbox && outbox) {
        metrics_.set_depths(static_cast<double>(inbox.value()),
                            static_cast<double>(outbox.value().pending),
                            static_cast<double>(outbox.value().dead));
    }
}

}  // namespace ledgerbot::app
