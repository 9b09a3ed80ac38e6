#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "app/clock.hpp"
#include "app/store_worker.hpp"
#include "config/settings.hpp"

namespace ledgerbot::app::jobs {

/// Turns the clock into tick events. Every check_interval_seconds it asks bot::due_slots which
/// slots of each enabled job have come since it last looked, applies the catch-up policy (only
/// the most recent missed slot, at most max_lateness_hours late: bot::catch_up_slot) and stores
/// one tick per chosen slot through the store thread, like any inbound event; the engine then
/// handles it in order with the rest.
///
/// At most once per slot: a tick's id is its run key (`nickname-evening:2026-11-23`) and the
/// inbox refuses a second `scheduler:<run key>`, so a restart, a retried commit or a second
/// instance on the same database cannot run a slot twice. Processing a tick records the run in
/// job_runs for operators.
///
/// Where it resumes after a restart: for each job, the scheduled time of its newest tick in the
/// inbox (storage::Inbox::newest_tick_time); the slots after it that are too late are skipped
/// with a warning. No extra state is kept: a job that never ticked starts from now − max
/// lateness, so a slot that passed shortly before the first start still runs.
class Scheduler {
public:
    Scheduler(boost::asio::io_context& io, StoreWorker& store, const Clock& clock,
              config::ScheduleSettings settings);

    void start();
    /// Lets a tick being stored finish, then ends the loop.
    void stop();
    bool stopped() const { return stopped_; }
    /// Checks completed since start (thread-safe); tests wait for it to grow instead of
    /// sleeping when they assert that nothing was scheduled.
    std::int64_t checks() const { return checks_.load(); }
    /// Ends the wait before the next check (thread-safe), so tests need not wait for the
    /// interval.
    void check_now();

private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> load_resume_points();
    boost::asio::awaitable<void> check();

    boost::asio::io_context& io_;
    StoreWorker& store_;
    const Clock& clock_;
    config::ScheduleSettings settings_;
    /// Job name → scheduled time of the newest slot already stored.
    std::map<std::string, std::int64_t> last_slot_;
    boost::asio::steady_timer timer_;
    bool stopping_ = false;
    bool stopped_ = true;
    std::atomic<std::int64_t> checks_{0};
};

}  // namespace ledgerbot::app::jobs
