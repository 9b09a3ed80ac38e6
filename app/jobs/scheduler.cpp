#include "app/jobs/scheduler.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>

#include "bot/time/schedule.hpp"
#include "storage/inbox.hpp"

namespace ledgerbot::app::jobs {

namespace asio = boost::asio;

namespace {

// How far back a check walks the calendar after an outage, at most: enough for a yearly job.
constexpr std::int64_t kMaxLookBackSeconds = 400LL * 86400;

}  // namespace

Scheduler::Scheduler(asio::io_context& io, StoreWorker& store, const Clock& clock,
                     config::ScheduleSettings settings)
    : io_(io), store_(store), clock_(clock), settings_(std::move(settings)), timer_(io) {}

void Scheduler::start() {
    stopping_ = false;
    stopped_ = false;
    checks_ = 0;
    asio::co_spawn(io_, loop(), asio::detached);
}

void Scheduler::stop() {
    stopping_ = true;
    timer_.cancel();
}

void Scheduler::check_now() {
    asio::post(io_, [this] { timer_.cancel(); });
}

asio::awaitable<void> Scheduler::loop() {
    co_await load_resume_points();
    while (!stopping_) {
        co_await check();
        ++checks_;
        if (stopping_) {
            break;
        }
        timer_.expires_after(std::chrono::seconds(settings_.check_interval_seconds));
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    stopped_ = true;
}

asio::awaitable<void> Scheduler::load_resume_points() {
    for (const auto& job : settings_.jobs) {
        if (!job.enabled || stopping_) {
            continue;
        }
        const std::string name = job.name;
        const auto read_newest = [name](SQLite::Database& db) {
            return storage::Inbox(db).newest_tick_time(name).value();
        };
        try {
            const auto newest = co_await store_.run<std::optional<std::int64_t>>(read_newest);
            if (newest) {
                last_slot_[name] = *newest;
            }
        } catch (const std::exception& e) {
            // Not fatal: the window then starts at now − max lateness, and a slot stored before
            // is refused by the inbox's dedup key.
            spdlog::warn("scheduler: reading the last run of {} failed: {}", name, e.what());
        }
    }
}

asio::awaitable<void> Scheduler::check() {
    const std::int64_t now = clock_.now_seconds();
    const std::int64_t max_lateness = std::int64_t{settings_.max_lateness_hours} * 3600;
    bool stored_any = false;
    for (const auto& job : settings_.jobs) {
        if (!job.enabled || stopping_) {
            continue;
        }
        // From the newest slot already stored, so that skipped slots are logged; a job that
        // never ticked starts at the lateness limit (−1: a slot exactly at the limit counts).
        // The look-back cap only bounds the walk after a very long outage.
        std::int64_t from = now - max_lateness - 1;
        if (auto it = last_slot_.find(job.name); it != last_slot_.end()) {
            from = std::max(it->second, now - kMaxLookBackSeconds);
        }
        const std::vector<bot::time::Slot> due = bot::time::due_slots(job.at, from, now);
        if (due.empty()) {
            continue;
        }
        const std::optional<bot::time::Slot> slot =
            bot::time::catch_up_slot(due, now, max_lateness);
        if (const std::size_t skipped = due.size() - (slot ? 1 : 0); skipped > 0) {
            spdlog::warn(
                "scheduler: {} skips {} missed slot(s), {} to {} (only the latest runs, "
                "at most {} h late)",
                job.name, skipped, due.front().period, due[skipped - 1].period,
                settings_.max_lateness_hours);
        }
        if (!slot) {
            // Remembered so the next check does not warn again; nothing is stored.
            last_slot_[job.name] = due.back().time;
            continue;
        }
        bot::model::InboundEvent tick;
        tick.id = bot::time::run_key(job.name, *slot);
        tick.source = std::string(bot::model::kSchedulerSource);
        tick.type = bot::model::EventType::tick;
        tick.time = slot->time;
        tick.job = job.name;
        const std::string key = tick.id;
        try {
            const storage::InboxInsert inserted = co_await store_.store(std::move(tick));
            last_slot_[job.name] = slot->time;
            stored_any = stored_any || !inserted.duplicate;
            if (inserted.duplicate) {
                spdlog::info("scheduler: {} was already stored (restart or another instance)", key);
            } else {
                spdlog::info("scheduler: {} due at {}", key, bot::time::format_rfc3339(slot->time));
            }
        } catch (const std::exception& e) {
            // The slot stays due and is tried again at the next check, within the lateness limit.
            spdlog::error("scheduler: storing {} failed: {}", key, e.what());
        }
    }
    if (stored_any) {
        store_.wake();
    }
}

}  // namespace ledgerbot::app::jobs
