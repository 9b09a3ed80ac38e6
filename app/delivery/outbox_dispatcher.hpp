#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/delivery/notice_sender.hpp"
#include "app/delivery/rate_limiter.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"
#include "config/settings.hpp"
#include "storage/outbox.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::delivery {

/// Delivers outbox rows: renders the template, applies per-target rate limits, sends through the
/// channel's sender, and records the result. Each target's notices go in order; different
/// targets' notices go out concurrently (`concurrency` at a time), and what was sent meanwhile
/// is recorded together, one transaction per round trip to the store thread. A failure that
/// may pass backs off exponentially (capped) for retry_for_hours from the notice's first
/// failure; a permanent refusal or a spent budget parks it as dead (metric + error log). When
/// notices have been failing for alert_after_minutes, a delivery_failing event goes to the
/// engine once per outage. Because the outbox lives in SQLite, a restart resumes where it
/// stopped.
class OutboxDispatcher {
public:
    OutboxDispatcher(boost::asio::io_context& io, StoreWorker& store,
                     const templates::Renderer& renderer, Metrics& metrics, const Clock& clock,
                     config::OutboxSettings settings);

    void add_sender(std::string channel, std::shared_ptr<NoticeSender> sender);
    void start();
    /// Looks at the outbox now rather than after the poll interval: the store thread calls it
    /// when it committed notices, so an answer does not wait for the next poll. Thread-safe.
    void wake();
    /// Lets the delivery in flight finish and record its result, then ends the loop.
    void stop();
    bool stopped() const { return stopped_; }

private:
    struct Pass;

    boost::asio::awaitable<void> loop();
    /// Delivers `due` (at most one notice per target; taken from) with up to `concurrency` in
    /// flight and returns when every outcome is recorded: the next read of the outbox must not
    /// see a notice that was sent as still pending. Returns how many were sent and recorded.
    /// A reference, not a value: GCC 12 can destroy a by-value argument of an awaited call
    /// twice (see StoreWorker::run).
    boost::asio::awaitable<int> deliver_all(std::vector<storage::OutboxItem>& due);
    boost::asio::awaitable<void> work_through(std::shared_ptr<Pass> pass);
    boost::asio::awaitable<storage::DeliveryOutcome> deliver(const storage::OutboxItem& item);
    /// Records the outcomes not yet recorded; a caller that finds a recording under way leaves
    /// its outcome to it.
    boost::asio::awaitable<void> record_outcomes();
    boost::asio::awaitable<void> check_outage();
    /// A notice refused for good did not do what it was for (a removal the bridge may not
    /// carry out): if its fields say where to tell of that (`answer_to`), the engine hears of
    /// it through the inbox, like any event, and tells whoever asked. One event per notice:
    /// its id is the notice's.
    boost::asio::awaitable<void> report_refused(const storage::OutboxItem& item,
                                                const std::string& error);
    std::int64_t backoff_seconds(int attempts) const;

    boost::asio::io_context& io_;
    StoreWorker& store_;
    const templates::Renderer& renderer_;
    Metrics& metrics_;
    const Clock& clock_;
    config::OutboxSettings settings_;
    std::map<std::string, std::shared_ptr<NoticeSender>> senders_;
    RateLimiter limiter_;
    boost::asio::steady_timer timer_;
    bool stopping_ = false;
    bool stopped_ = true;
    bool woken_ = false;
    std::vector<storage::DeliveryOutcome> unrecorded_;
    bool recording_ = false;
    int recorded_sent_ = 0;  // sent notices recorded since the pass began
    std::int64_t next_outage_check_ = 0;
};

}  // namespace ledgerbot::app::delivery
