#include "app/delivery/outbox_dispatcher.hpp"

#include "app/logging/log_lines.hpp"

#include "app/delivery/notice_attachment.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::app::delivery {

namespace asio = boost::asio;

namespace {

// Due notices read at once: at most one per target, so a pass never holds two of one queue.
constexpr int kPassSize = 64;

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

void OutboxDispatcher::wake() {
    asio::post(io_, [this] {
        woken_ = true;
        timer_.cancel();
    });
}

asio::awaitable<void> OutboxDispatcher::loop() {
    while (!stopping_) {
        woken_ = false;
        const std::int64_t now = clock_.now_seconds();
        std::vector<storage::OutboxItem> due;
        try {
            const auto read_due = [now](SQLite::Database& db) {
                return storage::Outbox(db).due(now, kPassSize).value();
            };
            due = co_await store_.run<std::vector<storage::OutboxItem>>(read_due);
        } catch (const std::exception& e) {
            spdlog::error("reading the outbox failed: {}", e.what());
        }
        // After a pass that sent something, the next notices of those targets may be due: look
        // again at once. A pass that sent nothing (nothing due; all failed or deferred; the
        // record failed) waits for the poll interval or a wake-up, so nothing spins.
        const int sent = co_await deliver_all(due);
        co_await check_outage();
        if (stopping_) {
            break;
        }
        if (sent == 0 && !woken_) {
            timer_.expires_after(std::chrono::milliseconds(settings_.poll_interval_ms));
            boost::system::error_code ec;
            co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    stopped_ = true;
}

struct OutboxDispatcher::Pass {
    explicit Pass(asio::io_context& io) : finished(io, asio::steady_timer::time_point::max()) {}
    std::vector<storage::OutboxItem> due;
    std::size_t next = 0;
    int running = 0;
    asio::steady_timer finished;
};

asio::awaitable<int> OutboxDispatcher::deliver_all(std::vector<storage::OutboxItem>& due) {
    recorded_sent_ = 0;
    auto pass = std::make_shared<Pass>(io_);
    pass->due = std::move(due);
    pass->running = static_cast<int>(
        std::min<std::size_t>(std::max(1, settings_.concurrency), pass->due.size()));
    if (pass->running == 0) {
        co_return 0;
    }
    for (int i = pass->running; i > 0; --i) {
        asio::co_spawn(io_, work_through(pass), [pass](std::exception_ptr error) {
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception& e) {
                    spdlog::error("delivering notices failed: {}", e.what());
                } catch (...) {
                    spdlog::error("delivering notices failed");
                }
            }
            if (--pass->running == 0) {
                pass->finished.cancel();
            }
        });
    }
    // The workers start once this coroutine waits (co_spawn posts them), so none can have
    // finished before the wait begins.
    boost::system::error_code ec;
    co_await pass->finished.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return recorded_sent_;
}

asio::awaitable<void> OutboxDispatcher::work_through(std::shared_ptr<Pass> pass) {
    while (!stopping_ && pass->next < pass->due.size()) {
        const storage::OutboxItem& item = pass->due[pass->next++];
        unrecorded_.push_back(co_await deliver(item));
        co_await record_outcomes();
    }
}

asio::awaitable<void> OutboxDispatcher::record_outcomes() {
    if (recording_) {
        co_return;
    }
    // Whatever happens below, the next outcome must find no recording under way, or it would
    // wait for one that never comes.
    struct Recording {
        bool& flag;
        explicit Recording(bool& f) : flag(f) { flag = true; }
        ~Recording() { flag = false; }
        Recording(const Recording&) = delete;
        Recording& operator=(const Recording&) = delete;
    } recording(recording_);
    while (!unrecorded_.empty()) {
        const std::vector<storage::DeliveryOutcome> outcomes = std::move(unrecorded_);
        unrecorded_.clear();
        const auto record = [&outcomes](SQLite::Database& db) {
            return storage::Outbox(db).record(outcomes).has_value();
        };
        bool recorded = false;
        try {
            recorded = co_await store_.run<bool>(record);
        } catch (const std::exception& e) {
            spdlog::error("recording notice deliveries failed: {}", e.what());
        }
        if (!recorded) {
            // They stay pending and go out again: sent twice rather than lost.
            spdlog::error("{} notice deliveries could not be recorded", outcomes.size());
            continue;
        }
        recorded_sent_ += static_cast<int>(std::count_if(
            outcomes.begin(), outcomes.end(), [](const storage::DeliveryOutcome& outcome) {
                return outcome.kind == storage::DeliveryOutcome::Kind::sent;
            }));
    }
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

asio::awaitable<void> OutboxDispatcher::report_refused(const storage::OutboxItem& item,
                                                       const std::string& error) {
    bot::model::InboundEvent event;
    event.id = "refused:" + std::to_string(item.id);
    event.source = std::string(bot::model::kOutboxSource);
    event.type = bot::model::EventType::notice_refused;
    event.time = clock_.now_seconds();
    event.refused = bot::model::RefusedNotice{item.id,
                                              item.notice.template_id,
                                              item.notice.fields,
                                              item.notice.target.channel,
                                              item.notice.target.id,
                                              error};
    try {
        co_await store_.store(std::move(event));
        store_.wake();
    } catch (const std::exception& e) {
        // The notice stays dead in the outbox either way; the log and the metric say so.
        spdlog::error("storing the refusal of notice {} failed: {}", item.id, e.what());
    }
}

asio::awaitable<storage::DeliveryOutcome> OutboxDispatcher::deliver(
    const storage::OutboxItem& item) {
    using Kind = storage::DeliveryOutcome::Kind;
    const bot::model::Notice& notice = item.notice;
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t now_ms = clock_.now_millis();
    const std::int64_t wait_ms = limiter_.acquire(
        limit_key(notice), settings_.rate_for_channel(notice.target.channel), now_ms);
    if (wait_ms > 0) {
        const std::int64_t later = (now_ms + wait_ms + 999) / 1000;
        co_return storage::DeliveryOutcome{item.id, Kind::deferred, 0, later, false, {}};
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
        co_return storage::DeliveryOutcome{item.id, Kind::sent, now, 0, false, {}};
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
        // Only a notice that says where its refusal should be told asks to hear of it; the
        // others (an answer to someone the platform does not know) are only logged and counted.
        if (!outcome.retryable && notice.fields.contains("answer_to")) {
            co_await report_refused(item, outcome.error);
        }
    } else {
        metrics_.count_notice(notice.target.channel, "retry");
        log_delivery(spdlog::level::warn, "retry", next - now);
    }
    co_return storage::DeliveryOutcome{item.id, Kind::failed, now, next, dead, outcome.error};
}

}  // namespace ledgerbot::app::delivery
