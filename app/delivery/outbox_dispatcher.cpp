#include "app/delivery/outbox_dispatcher.hpp"

#include "app/logging/log_lines.hpp"

#include "app/delivery/notice_attachment.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::app::delivery {

namespace asio = boost::asio;

namespace {

std::string limit_key(const bot::model::Notice& notice) {
    return notice.target.channel + "/" + std::string(bot::model::to_string(notice.target.kind)) +
           "/" + notice.target.id;
}

}  // namespace

OutboxDispatcher::OutboxDispatcher(asio::io_context& io, StoreWorker& store,
                                   const templates::Renderer& renderer, Metrics& metrics,
                                   const Clock& clock, config::OutboxSettings settings)
    : io_(io),
      store_(store),
      renderer_(renderer),
      metrics_(metrics),
      clock_(clock),
      settings_(std::move(settings)),
      timer_(io) {}

void OutboxDispatcher::add_sender(std::string channel, std::shared_ptr<NoticeSender> sender) {
    senders_[std::move(channel)] = std::move(sender);
}

void OutboxDispatcher::start() {
    stopping_ = false;
    stopped_ = false;
    asio::co_spawn(io_, loop(), asio::detached);
}

void OutboxDispatcher::stop() {
    stopping_ = true;
    timer_.cancel();
}

std::int64_t OutboxDispatcher::backoff_seconds(int attempts) const {
    std::int64_t delay = settings_.initial_backoff_seconds;
    for (int i = 0; i < attempts && delay < settings_.max_backoff_seconds; ++i) {
        delay *= 2;
    }
    return std::min<std::int64_t>(delay, settings_.max_backoff_seconds);
}

asio::awaitable<void> OutboxDispatcher::loop() {
    while (!stopping_) {
        const std::int64_t now = clock_.now_seconds();
        std::vector<storage::OutboxItem> due;
        try {
            const auto read_due = [now](SQLite::Database& db) {
                return storage::Outbox(db).due(now, 64).value();
            };
            due = co_await store_.run<std::vector<storage::OutboxItem>>(read_due);
        } catch (const std::exception& e) {
            spdlog::error("reading the outbox failed: {}", e.what());
        }
        for (const auto& item : due) {
            if (stopping_) {
                break;
            }
            co_await deliver(item);
        }
        co_await check_outage();
        if (stopping_) {
            break;
        }
        if (due.size() < 64) {
            timer_.expires_after(std::chrono::milliseconds(settings_.poll_interval_ms));
            boost::system::error_code ec;
            co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    stopped_ = true;
}

asio::awaitable<void> OutboxDispatcher::check_outage() {
    const std::int64_t now = clock_.now_seconds();
    if (now < next_outage_check_) {
        co_return;
    }
    next_outage_check_ = now + 10;
    storage::DeliveryFailures failures;
    try {
        const auto read = [](SQLite::Database& db) {
            return storage::Outbox(db).failures().value();
        };
        failures = co_await store_.run<storage::DeliveryFailures>(read);
    } catch (const std::exception& e) {
        spdlog::error("reading the failing notices failed: {}", e.what());
        co_return;
    }
    metrics_.set_failing_notices(static_cast<double>(failures.failing));
    if (failures.failing == 0 || failures.told ||
        now - failures.since < settings_.alert_after_minutes * 60LL) {
        co_return;
    }
    // Through the inbox like any event: the engine decides who is told, once per outage (the
    // event's id is the outage's start).
    bot::model::InboundEvent event;
    event.id = "failing:" + std::to_string(failures.since);
    event.source = std::string(bot::model::kOutboxSource);
    event.type = bot::model::EventType::delivery_failing;
    event.time = now;
    event.outage = bot::model::DeliveryOutage{failures.since, failures.failing, failures.channels,
                                              failures.last_error};
    spdlog::warn("{} notices have been failing since {}; telling compliance and the admins",
                 failures.failing, bot::time::format_rfc3339(failures.since));
    try {
        co_await store_.store(std::move(event));
        const auto record = [since = failures.since, now](SQLite::Database& db) {
            return storage::Outbox(db).record_alert(since, now).has_value();
        };
        co_await store_.run<bool>(record);
        store_.wake();
    } catch (const std::exception& e) {
        spdlog::error("storing the delivery alert failed: {}", e.what());
    }
}

asio::awaitable<void> OutboxDispatcher::deliver(const storage::OutboxItem& item) {
    const bot::model::Notice& notice = item.notice;
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t now_ms = clock_.now_millis();
    const std::int64_t wait_ms = limiter_.acquire(
        limit_key(notice), settings_.rate_for_channel(notice.target.channel), now_ms);
    if (wait_ms > 0) {
        const std::int64_t later = (now_ms + wait_ms + 999) / 1000;
        const auto defer = [id = item.id, later](SQLite::Database& db) {
            return storage::Outbox(db).defer(id, later).has_value();
        };
        co_await store_.run<bool>(defer);
        co_return;
    }

    SendOutcome outcome;
    auto sender = senders_.find(notice.target.channel);
    if (sender == senders_.end()) {
        outcome = {false, false, "no sender for channel " + notice.target.channel};
    } else if (!renderer_.has(notice.template_id)) {
        outcome = {false, false, "no template named " + notice.template_id};
    } else {
        RenderedNotice rendered;
        try {
            rendered.text = renderer_.render(notice.template_id, notice.fields);
            rendered.attachment = render_attachment(notice, renderer_);
        } catch (const std::exception& e) {
            rendered.text.clear();
            outcome = {false, false, std::string("rendering failed: ") + e.what()};
        }
        if (!rendered.text.empty()) {
            outcome = co_await sender->second->send(item.id, notice, rendered);
        }
    }

    const std::int64_t now = clock_.now_seconds();
    const auto log_delivery = [&](spdlog::level::level_enum level, const char* result,
                                  std::int64_t retry_in) {
        nlohmann::ordered_json fields{
            {"notice", item.id},
            {"channel", notice.target.channel},
            {"target_kind", std::string(bot::model::to_string(notice.target.kind))},
            {"target", notice.target.id},
            {"template", notice.template_id},
            {"outcome", result},
            {"attempt", item.attempts + 1},
            {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count()}};
        if (retry_in > 0) {
            fields["retry_in_s"] = retry_in;
        }
        if (!outcome.error.empty()) {
            fields["error"] = outcome.error;
        }
        logging::log_fields(level, "notice delivery", fields);
    };
    if (outcome.delivered) {
        metrics_.count_notice(notice.target.channel, "sent");
        log_delivery(spdlog::level::info, "sent", 0);
        const auto mark_sent = [id = item.id, now](SQLite::Database& db) {
            return storage::Outbox(db).mark_sent(id, now).has_value();
        };
        co_await store_.run<bool>(mark_sent);
        co_return;
    }
    // A budget of time, not of attempts: an outage of the platform or the bridge longer than a
    // few backoffs must not drop what was decided meanwhile.
    const std::int64_t failing_since = item.first_failed_at.value_or(now);
    const bool budget_spent = now - failing_since >= settings_.retry_for_hours * 3600LL;
    const bool dead = !outcome.retryable || budget_spent;
    const std::int64_t next = now + backoff_seconds(item.attempts);
    if (dead) {
        metrics_.count_notice(notice.target.channel, "dead");
        log_delivery(spdlog::level::err,
                     outcome.retryable ? "dead: retry budget spent" : "dead: refused for good", 0);
    } else {
        metrics_.count_notice(notice.target.channel, "retry");
        log_delivery(spdlog::level::warn, "retry", next - now);
    }
    const auto mark_failed = [id = item.id, error = outcome.error, next, dead,
                              now](SQLite::Database& db) {
        return storage::Outbox(db).mark_failed(id, error, next, dead, now).has_value();
    };
    co_await store_.run<bool>(mark_failed);
}

}  // namespace ledgerbot::app::delivery
