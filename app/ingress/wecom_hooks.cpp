#include "app/ingress/wecom_hooks.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "adapters/wecom/app_callback.hpp"
#include "adapters/wecom/bot_callback.hpp"
#include "adapters/wecom/callback_entry.hpp"
#include "app/ingress/generic_hook.hpp"
#include "config/config_loader.hpp"

namespace ledgerbot::app::ingress {
namespace {

namespace asio = boost::asio;
namespace outcome = boost::outcome_v2;
namespace wecom = adapters::wecom;

// WeCom reads nothing from the answer; "" is the documented "received, no passive reply".
constexpr std::string_view kAcknowledgementType = "text/plain; charset=utf-8";

// Takes references to the caller's locals, which outlive the co_await (GCC 12: no temporaries
// as arguments inside a co_await expression, see StoreWorker::run).
asio::awaitable<http::Response> acknowledge(StoreWorker& store, Metrics& metrics,
                                            const http::Request& request,
                                            const std::string& adapter,
                                            wecom::Translated& translated) {
    if (!translated) {
        co_return refuse(request, metrics, adapter, translated.error());
    }
    if (const auto* ignored = std::get_if<wecom::Ignored>(&translated.value())) {
        // Answered 200 all the same: any other status makes WeCom send it three more times.
        spdlog::info("{}: acknowledged without storing: {}", adapter, ignored->kind);
        metrics.count_ignored(adapter);
        co_return http::make_response(request, http::status::ok, "", kAcknowledgementType);
    }
    bot::model::InboundEvent& event = std::get<bot::model::InboundEvent>(translated.value());
    http::Response ok = http::make_response(request, http::status::ok, "", kAcknowledgementType);
    http::Response answer = co_await store_and_acknowledge(store, request, event, ok);
    co_return answer;
}

std::int64_t callback_time(std::string_view timestamp, const Clock& clock) {
    std::int64_t seconds = 0;
    const char* end = timestamp.data() + timestamp.size();
    const auto [ptr, ec] = std::from_chars(timestamp.data(), end, seconds);
    if (timestamp.empty() || ec != std::errc{} || ptr != end || seconds < 0) {
        return clock.now_seconds();
    }
    return seconds;
}

}  // namespace

wecom::CallbackCrypto make_wecom_crypto(const std::string& token,
                                        const std::string& encoding_aes_key,
                                        const std::string& receive_id, std::string_view key_name) {
    auto crypto = wecom::CallbackCrypto::create(token, encoding_aes_key, receive_id);
    if (!crypto) {
        throw config::ConfigError("config: '" + std::string(key_name) +
                                  "' is not a valid EncodingAESKey (43 characters from A-Z, a-z "
                                  "and 0-9, as shown in the WeCom admin console)");
    }
    return std::move(crypto).value();
}

http::Handler make_wecom_url_verification(wecom::CallbackCrypto crypto, Metrics& metrics,
                                          std::string adapter) {
    return [&metrics, crypto = std::move(crypto), adapter = std::move(adapter)](
               const http::Request& request) -> asio::awaitable<http::Response> {
        auto echo = wecom::verify_url(request.target(), crypto);
        if (!echo) {
            co_return refuse(request, metrics, adapter, echo.error());
        }
        co_return http::make_response(request, http::status::ok, std::move(echo).value(),
                                      "text/plain; charset=utf-8");
    };
}

http::Handler make_wecom_app_hook(StoreWorker& store, Metrics& metrics,
                                  wecom::CallbackCrypto crypto, GroupEventListener on_group_event) {
    return [&store, &metrics, crypto = std::move(crypto),
            on_group_event = std::move(on_group_event)](
               const http::Request& request) -> asio::awaitable<http::Response> {
        const std::string adapter(wecom::kAppSource);
        auto decrypted = wecom::decrypt_callback(request.target(), request.body(), crypto,
                                                 wecom::EnvelopeFormat::xml);
        if (!decrypted) {
            co_return refuse(request, metrics, adapter, decrypted.error());
        }
        wecom::Translated translated = wecom::parse_app_callback(decrypted.value().plaintext);
        // Copied before the event moves into the inbox; told only after the commit.
        std::optional<std::pair<bot::model::EventType, std::string>> group_event;
        if (translated && on_group_event) {
            const auto* event = std::get_if<bot::model::InboundEvent>(&translated.value());
            if (event != nullptr && event->chat.kind == bot::model::ChatKind::group) {
                group_event.emplace(event->type, event->chat.id);
            }
        }
        http::Response answer = co_await acknowledge(store, metrics, request, adapter, translated);
        if (group_event && answer.result() == http::status::ok) {
            on_group_event(group_event->first, group_event->second);
        }
        co_return answer;
    };
}

http::Handler make_wecom_bot_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                                  wecom::CallbackCrypto crypto) {
    return [&store, &metrics, &clock, crypto = std::move(crypto)](
               const http::Request& request) -> asio::awaitable<http::Response> {
        const std::string adapter(wecom::kBotSource);
        auto decrypted = wecom::decrypt_callback(request.target(), request.body(), crypto,
                                                 wecom::EnvelopeFormat::json);
        if (!decrypted) {
            co_return refuse(request, metrics, adapter, decrypted.error());
        }
        const std::int64_t fallback_time = callback_time(decrypted.value().query.timestamp, clock);
        wecom::Translated translated =
            wecom::parse_bot_callback(decrypted.value().plaintext, fallback_time);
        http::Response answer = co_await acknowledge(store, metrics, request, adapter, translated);
        co_return answer;
    };
}

void install_wecom_routes(http::Router& router, const config::WecomSettings& settings,
                          StoreWorker& store, Metrics& metrics, const Clock& clock,
                          GroupEventListener on_group_event) {
    if (settings.enabled) {
        // Self-built app callbacks are encrypted for the corp: receiveid = corp id.
        const auto crypto = make_wecom_crypto(settings.token, settings.encoding_aes_key,
                                              settings.corp_id, "adapters.wecom.encoding_aes_key");
        router.add(http::verb::get, settings.app_path,
                   make_wecom_url_verification(crypto, metrics, std::string(wecom::kAppSource)));
        router.add(http::verb::post, settings.app_path,
                   make_wecom_app_hook(store, metrics, crypto, std::move(on_group_event)));
    }
    if (settings.bot_enabled) {
        // An internal intelligent bot's receiveid is the empty string (wecom-protocol.md §5.1).
        const auto crypto = make_wecom_crypto(settings.bot_token, settings.bot_encoding_aes_key, "",
                                              "adapters.wecom.bot_encoding_aes_key");
        router.add(http::verb::get, settings.bot_path,
                   make_wecom_url_verification(crypto, metrics, std::string(wecom::kBotSource)));
        router.add(http::verb::post, settings.bot_path,
                   make_wecom_bot_hook(store, metrics, clock, crypto));
    }
}

}  // namespace ledgerbot::app::ingress
