#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "adapters/wecom/api_client.hpp"
#include "app/clock.hpp"
#include "app/store_worker.hpp"
#include "bot/model/inbound_event.hpp"

namespace ledgerbot::app::ingress {

struct WecomGroupSyncOptions {
    /// After a callback, wait this long before groupchat/get: WeCom updates group info
    /// asynchronously (wecom-protocol.md §4.1). Callbacks for one chat within it are read once.
    std::chrono::milliseconds delay{2000};
    /// Transient failures (network, -1, rate limits, timeouts): attempts in all per call, and
    /// the wait before the second one, doubled after each.
    int attempts = 4;
    std::chrono::milliseconds retry_backoff{2000};
    /// The full re-sync's period; zero turns the re-sync off (the startup run too).
    std::chrono::minutes resync_interval{360};
    std::chrono::milliseconds startup_resync_delay{2000};
    /// Between the re-sync's groupchat/get calls, which run one after the other, so that
    /// hundreds of groups do not hit WeCom's per-minute API limits.
    std::chrono::milliseconds resync_call_spacing{200};
    int list_page_limit = 1000;  ///< groupchat/list's maximum
};

/// Keeps ledgerbot's picture of WeCom customer groups whole. change_external_chat callbacks
/// carry no group name, owner or nicknames, and can be lost; so after each stored group event
/// (debounced per chat) and in a periodic full re-sync, this reads the group with
/// externalcontact/groupchat/get and stores its whole state as a `group_snapshot` event
/// (adapters::wecom::group_snapshot_event) through the StoreWorker, the path callbacks take.
/// Snapshot ids are content hashes, so re-reading an unchanged group stores nothing new.
///
/// Failures never reach the HTTP path: transient ones are retried with backoff and then given
/// up with a warning (the next re-sync catches up); permanent ones (chat gone, not visible to
/// the app, API not authorised) are logged and dropped.
///
/// Lives on the io_context's one thread: call every member from it (HTTP handlers run there).
class WecomGroupSync {
public:
    WecomGroupSync(boost::asio::io_context& io, std::shared_ptr<adapters::wecom::ApiClient> api,
                   StoreWorker& store, const Clock& clock, WecomGroupSyncOptions options);
    WecomGroupSync(const WecomGroupSync&) = delete;
    WecomGroupSync& operator=(const WecomGroupSync&) = delete;

    /// Starts the periodic re-sync (its first run after startup_resync_delay), unless it is off.
    void start();
    /// Cancels every wait; calls in flight finish, nothing new starts.
    void stop();
    /// No sync is running or waiting. The one member safe to call from any thread.
    bool stopped() const { return active_.load() == 0; }

    /// A wecom-app event of `type` for `chat_id` was durably stored (a redelivery too: the
    /// first delivery's sync may have been lost in a restart). Group changes schedule a read
    /// after `delay`; group_dismissed cancels a read still waiting, as there is nothing left to
    /// read. Returns at once.
    void on_group_event(bot::model::EventType type, const std::string& chat_id);

private:
    enum class SyncResult { stored, unchanged, failed };

    /// One chat's debounced read: at most one waits or runs per chat.
    struct PendingRead {
        bool reading = false;    ///< groupchat/get is under way
        bool again = false;      ///< an event came while reading: read once more after it
        bool cancelled = false;  ///< the group was dismissed before the read
    };

    boost::asio::awaitable<void> debounced_read(std::string chat_id);
    boost::asio::awaitable<void> resync_loop();
    boost::asio::awaitable<void> resync_all();
    /// groupchat/get with retries, then the snapshot into the inbox. `why` names log lines.
    boost::asio::awaitable<SyncResult> read_and_store(const std::string& chat_id,
                                                      const std::string& why);
    /// `call` (returning awaitable<Result<T>>) again after transient failures.
    template <typename T, typename Call>
    boost::asio::awaitable<adapters::wecom::Result<T>> with_retries(const Call& call,
                                                                    const std::string& what);
    /// Waits `duration` unless stop() comes first; false when stopping.
    boost::asio::awaitable<bool> sleep(std::chrono::milliseconds duration);

    boost::asio::io_context& io_;
    std::shared_ptr<adapters::wecom::ApiClient> api_;
    StoreWorker& store_;
    const Clock& clock_;
    WecomGroupSyncOptions options_;
    std::map<std::string, PendingRead> pending_;
    std::set<boost::asio::steady_timer*> sleeping_;  ///< what stop() cancels
    std::atomic<int> active_{0};                     ///< coroutines running or waiting
    bool stopping_ = false;
};

}  // namespace ledgerbot::app::ingress
