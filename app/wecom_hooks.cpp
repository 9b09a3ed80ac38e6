#include "app/wecom_hooks.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "adapters/wecom/app_callback.hpp"
#include "adapters/wecom/bot_callback.hpp"
#include "adapters/wecom/envelope.hpp"
#include "app/generic_hook.hpp"
#include "config/config_loader.hpp"

namespace ledgerbot::app {
namespace {

namespace asio = boost::asio;
namespace outcome = boost::outcome_v2;
namespace wecom = adapters::wecom;

// WeCom reads nothing from the answer; "" is the documented "received, no passive reply".
constexpr std::string_view kAcknowledgementType = "text/plain; charset=utf-8";

enum class EnvelopeFormat { xml, json };

struct DecryptedCallback {
    wecom::CallbackQuery query;
    std::string plaintext;
};

using Decrypted = outcome::result<DecryptedCallback, adapters::Refusal, outcome::policy::terminate>;
using Echo = outcome::result<std::string, adapters::Refusal, outcome::policy::terminate>;

adapters::Refusal refusal_from(const std::error_code& error) {
    if (error.category() == adapters::ingest_category()) {
        return {static_cast<adapters::IngestError>(error.value()), error.message()};
    }
    // CallbackCrypto only reports ingest errors; anything else is still a failed decryption.
    return {adapters::IngestError::decrypt_failed, error.message()};
}

Echo verify_url(const Request& request, const wecom::CallbackCrypto& crypto) {
    auto query = wecom::parse_callback_query(request.target());
    if (!query) {
        return refusal_from(query.error());
    }
    if (query.value().echostr.empty()) {
        return adapters::Refusal{adapters::IngestError::missing_encrypt,
                                 "URL verification needs echostr"};
    }
    auto echo = crypto.verify_and_decrypt(query.value().msg_signature, query.value().timestamp,
                                          query.value().nonce, query.value().echostr);
    if (!echo) {
        return refusal_from(echo.error());
    }
    return std::move(echo).value();
}

Decrypted decrypt_post(const Request& request, const wecom::CallbackCrypto& crypto,
                       EnvelopeFormat format) {
    auto query = wecom::parse_callback_query(request.target());
    if (!query) {
        return refusal_from(query.error());
    }
    auto encrypt = format == EnvelopeFormat::xml ? wecom::encrypt_from_xml(request.body())
                                                 : wecom::encrypt_from_json(request.body());
    if (!encrypt) {
        return refusal_from(encrypt.error());
    }
    auto plaintext = crypto.verify_and_decrypt(query.value().msg_signature, query.value().timestamp,
                                               query.value().nonce, encrypt.value());
    if (!plaintext) {
        return refusal_from(plaintext.error());
    }
    return DecryptedCallback{std::move(query).value(), std::move(plaintext).value()};
}

// Takes references to the caller's locals, which outlive the co_await (GCC 12: no temporaries
// as arguments inside a co_await expression, see StoreWorker::run).
asio::awaitable<Response> acknowledge(StoreWorker& store, Metrics& metrics, const Request& request,
                                      const std::string& adapter, wecom::Translated& translated) {
    if (!translated) {
        co_return refuse(request, metrics, adapter, translated.error());
    }
    if (const auto* ignored = std::get_if<wecom::Ignored>(&translated.value())) {
        // Answered 200 all the same: any other status makes WeCom send it three more times.
        spdlog::info("{}: acknowledged without storing: {}", adapter, ignored->kind);
        metrics.count_ignored(adapter);
        co_return make_response(request, http::status::ok, "", kAcknowledgementType);
    }
    bot::InboundEvent& event = std::get<bot::InboundEvent>(translated.value());
    Response ok = make_response(request, http::status::ok, "", kAcknowledgementType);
    Response answer = co_await store_and_acknowledge(store, request, event, ok);
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

Handler make_wecom_url_verification(wecom::CallbackCrypto crypto, Metrics& metrics,
                                    std::string adapter) {
    return [&metrics, crypto = std::move(crypto),
            adapter = std::move(adapter)](const Request& request) -> asio::awaitable<Response> {
        auto echo = verify_url(request, crypto);
        if (!echo) {
            co_return refuse(request, metrics, adapter, echo.error());
        }
        co_return make_response(request, http::status::ok, std::move(echo).value(),
                                "text/plain; charset=utf-8");
    };
}

Handler make_wecom_app_hook(StoreWorker& store, Metrics& metrics, wecom::CallbackCrypto crypto,
                            GroupEventListener on_group_event) {
    return
        [&store, &metrics, crypto = std::move(crypto), on_group_event = std::move(on_group_event)](
            const Request& request) -> asio::awaitable<Response> {
            const std::string adapter(wecom::kAppSource);
            auto decrypted = decrypt_post(request, crypto, EnvelopeFormat::xml);
            if (!decrypted) {
                co_return refuse(request, metrics, adapter, decrypted.error());
            }
            wecom::Translated translated = wecom::parse_app_callback(decrypted.value().plaintext);
            // Copied before the event moves into the inbox; told only after the commit.
            std::optional<std::pair<bot::EventType, std::string>> group_event;
            if (translated && on_group_event) {
                const auto* event = std::get_if<bot::InboundEvent>(&translated.value());
                if (event != nullptr && event->chat.kind == bot::ChatKind::group) {
                    group_event.emplace(event->type, event->chat.id);
                }
            }
            Response answer = co_await acknowledge(store, metrics, request, adapter, translated);
            if (group_event && answer.result() == http::status::ok) {
                on_group_event(group_event->first, group_event->second);
            }
            co_return answer;
        };
}

Handler make_wecom_bot_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                            wecom::CallbackCrypto crypto) {
    return [&store, &metrics, &clock,
            crypto = std::move(crypto)](const Request& request) -> asio::awaitable<Response> {
        const std::string adapter(wecom::kBotSource);
        auto decrypted = decrypt_post(request, crypto, EnvelopeFormat::json);
        if (!decrypted) {
            co_return refuse(request, metrics, adapter, decrypted.error());
        }
        const std::int64_t fallback_time = callback_time(decrypted.value().query.timestamp, clock);
        wecom::Translated translated =
            wecom::parse_bot_callback(decrypted.value().plaintext, fallback_time);
        Response answer = co_await acknowledge(store, metrics, request, adapter, translated);
        co_return answer;
    };
}

void install_wecom_routes(Router& router, const config::WecomSettings& settings, StoreWorker& store,
                          Metrics& metrics, const Clock& clock, GroupEventListener on_group_event) {
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

}  // namespace ledgerbot::app
