#include "app/ingress/wecom_group_sync.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <vector>

#include "adapters/wecom/group_snapshot.hpp"

namespace ledgerbot::app::ingress {

namespace asio = boost::asio;
namespace wecom = adapters::wecom;

namespace {

bool needs_read(bot::model::EventType type) {
    switch (type) {
        case bot::model::EventType::group_created:
        case bot::model::EventType::member_joined:
        case bot::model::EventType::member_left:
        case bot::model::EventType::group_renamed:
        case bot::model::EventType::owner_changed:
            return true;
        default:
            return false;
    }
}

bool transient(const std::error_code& error) {
    return error == wecom::ApiCondition::retryable;
}

}  // namespace

WecomGroupSync::WecomGroupSync(asio::io_context& io, std::shared_ptr<wecom::ApiClient> api,
                               StoreWorker& store, const Clock& clock,
                               WecomGroupSyncOptions options)
    : io_(io), api_(std::move(api)), store_(store), clock_(clock), options_(options) {}

void WecomGroupSync::start() {
    if (options_.resync_interval.count() <= 0 || stopping_) {
        return;
    }
    ++active_;
    asio::co_spawn(io_, resync_loop(), asio::detached);
}

void WecomGroupSync::stop() {
    stopping_ = true;
    for (asio::steady_timer* timer : sleeping_) {
        timer->cancel();
    }
}

void WecomGroupSync::on_group_event(bot::model::EventType type, const std::string& chat_id) {
    if (stopping_ || chat_id.empty()) {
        return;
    }
    const auto pending = pending_.find(chat_id);
    if (type == bot::model::EventType::group_dismissed) {
        if (pending != pending_.end()) {
            // A read under way finishes (and fails or stores the last state); none follows.
            pending->second.cancelled = !pending->second.reading;
            pending->second.again = false;
        }
        return;
    }
    if (!needs_read(type)) {
        return;
    }
    if (pending != pending_.end()) {
        // Coalesced: a read is waiting and will see this change too, or one is under way
        // and may have read too early for it.
        pending->second.cancelled = false;
        pending->second.again = pending->second.reading;
        return;
    }
    pending_.emplace(chat_id, PendingRead{});
    ++active_;
    asio::co_spawn(io_, debounced_read(chat_id), asio::detached);
}

asio::awaitable<void> WecomGroupSync::debounced_read(std::string chat_id) {
    const std::string why = "callback";
    try {
        for (;;) {
            if (!co_await sleep(options_.delay)) {
                break;
            }
            PendingRead& pending = pending_.at(chat_id);
            if (pending.cancelled) {
                spdlog::info("wecom group sync: {} was dismissed; not read", chat_id);
                break;
            }
            pending.reading = true;
            pending.again = false;
            co_await read_and_store(chat_id, why);
            PendingRead& after = pending_.at(chat_id);
            if (!after.again || stopping_) {
                break;
            }
            after.reading = false;
        }
    } catch (const std::exception& e) {
        spdlog::error("wecom group sync: reading {} failed: {}", chat_id, e.what());
    }
    pending_.erase(chat_id);
    --active_;
}

asio::awaitable<void> WecomGroupSync::resync_loop() {
    try {
        bool running = co_await sleep(options_.startup_resync_delay);
        while (running) {
            co_await resync_all();
            running = co_await sleep(options_.resync_interval);
        }
    } catch (const std::exception& e) {
        spdlog::error("wecom group re-sync stopped: {}", e.what());
    }
    --active_;
}

asio::awaitable<void> WecomGroupSync::resync_all() {
    std::vector<std::string> chat_ids;
    std::set<std::string> seen;
    wecom::GroupChatListRequest request;
    request.status_filter = 0;  // every group, those whose owner left included
    request.limit = options_.list_page_limit;
    const std::string what = "groupchat/list";
    const auto list_page = [this, &request] { return api_->groupchat_list(request); };
    for (;;) {
        auto page = co_await with_retries<wecom::GroupChatPage>(list_page, what);
        if (!page) {
            spdlog::warn(
                "wecom group re-sync: groupchat/list failed, trying again at the next "
                "re-sync: {}",
                page.error().message());
            co_return;
        }
        for (const auto& chat : page.value().chats) {
            if (seen.insert(chat.chat_id).second) {
                chat_ids.push_back(chat.chat_id);
            }
        }
        // A cursor that does not move would page forever.
        if (page.value().next_cursor.empty() || page.value().next_cursor == request.cursor) {
            break;
        }
        request.cursor = page.value().next_cursor;
    }
    const std::string why = "re-sync";
    int stored = 0;
    int failed = 0;
    for (std::size_t i = 0; i < chat_ids.size() && !stopping_; ++i) {
        if (i > 0 && !co_await sleep(options_.resync_call_spacing)) {
            break;
        }
        const SyncResult result = co_await read_and_store(chat_ids[i], why);
        stored += result == SyncResult::stored ? 1 : 0;
        failed += result == SyncResult::failed ? 1 : 0;
    }
    spdlog::info("wecom group re-sync: {} groups, {} changed, {} not read", chat_ids.size(), stored,
                 failed);
}

asio::awaitable<WecomGroupSync::SyncResult> WecomGroupSync::read_and_store(
    const std::string& chat_id, const std::string& why) {
    const std::string what = "groupchat/get " + chat_id;
    const auto get = [this, &chat_id] { return api_->groupchat_get(chat_id, true); };
    auto chat = co_await with_retries<wecom::GroupChat>(get, what);
    if (!chat) {
        if (transient(chat.error())) {
            spdlog::warn(
                "wecom group sync ({}): giving up on {} for now, the next re-sync "
                "reads it: {}",
                why, chat_id, chat.error().message());
        } else {
            // The chat is gone, not visible to the app, or the app lacks the permission:
            // asking again would get the same answer.
            spdlog::warn("wecom group sync ({}): {} cannot be read: {}", why, chat_id,
                         chat.error().message());
        }
        co_return SyncResult::failed;
    }
    if (chat.value().chat_id.empty()) {
        chat.value().chat_id = chat_id;
    }
    bot::model::InboundEvent snapshot =
        wecom::group_snapshot_event(chat.value(), clock_.now_seconds());
    const std::string id = snapshot.id;
    try {
        const storage::InboxInsert inserted = co_await store_.store(std::move(snapshot));
        if (inserted.duplicate) {
            spdlog::debug("wecom group sync ({}): {} unchanged", why, chat_id);
            co_return SyncResult::unchanged;
        }
        store_.wake();
        spdlog::info("wecom group sync ({}): stored {}", why, id);
        co_return SyncResult::stored;
    } catch (const std::exception& e) {
        // Not retried here: the next event or re-sync reads the group again.
        spdlog::warn("wecom group sync ({}): storing {} failed: {}", why, id, e.what());
        co_return SyncResult::failed;
    }
}

template <typename T, typename Call>
asio::awaitable<wecom::Result<T>> WecomGroupSync::with_retries(const Call& call,
                                                               const std::string& what) {
    std::chrono::milliseconds backoff = options_.retry_backoff;
    for (int attempt = 1;; ++attempt) {
        wecom::Result<T> result = co_await call();
        if (result || !transient(result.error()) || attempt >= options_.attempts || stopping_) {
            co_return result;
        }
        spdlog::info("wecom group sync: {} failed ({}), attempt {} of {} in {} ms", what,
                     result.error().message(), attempt + 1, options_.attempts, backoff.count());
        if (!co_await sleep(backoff)) {
            co_return result;
        }
        backoff *= 2;
    }
}

asio::awaitable<bool> WecomGroupSync::sleep(std::chrono::milliseconds duration) {
    if (stopping_) {
        co_return false;
    }
    asio::steady_timer timer(io_);
    timer.expires_after(duration);
    sleeping_.insert(&timer);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    sleeping_.erase(&timer);
    co_return !stopping_;
}

}  // namespace ledgerbot::app::ingress
