#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "adapters/wecom/callback_crypto.hpp"
#include "app/clock.hpp"
#include "app/http/http_types.hpp"
#include "app/http/router.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"
#include "config/settings.hpp"

namespace ledgerbot::app::ingress {

/// Told about each wecom-app event in a group chat once the inbox has committed it (a
/// redelivery too), with its type and chat id; app/wecom_group_sync reads the group then.
/// Called on the io_context's thread, from the HTTP handler: it must return at once.
using GroupEventListener =
    std::function<void(bot::model::EventType type, const std::string& chat_id)>;

/// The crypto of one configured WeCom callback. Throws config::ConfigError naming `key_name`
/// (never the key) when CallbackCrypto rejects the EncodingAESKey, so a bad key stops startup
/// instead of failing every callback.
adapters::wecom::CallbackCrypto make_wecom_crypto(const std::string& token,
                                                  const std::string& encoding_aes_key,
                                                  const std::string& receive_id,
                                                  std::string_view key_name);

/// GET: WeCom's URL verification. The percent-decoded echostr must carry a valid
/// msg_signature and decrypt for this callback's receive id; the answer is its plaintext, raw
/// (text/plain, no quotes, no trailing newline). `adapter` names the log lines.
http::Handler make_wecom_url_verification(adapters::wecom::CallbackCrypto crypto, Metrics& metrics,
                                          std::string adapter);

/// POST from the self-built app: XML envelope → signature → decryption → parse_app_callback →
/// durable inbox → 200 with an empty body. Refused requests (401 for a missing or bad signature,
/// 400 for everything else) are logged with their reason, counted and never stored; valid
/// callbacks of kinds ledgerbot does not use are answered 200 and not stored. Group events
/// answered 200 are then passed to `on_group_event` when it is set.
http::Handler make_wecom_app_hook(StoreWorker& store, Metrics& metrics,
                                  adapters::wecom::CallbackCrypto crypto,
                                  GroupEventListener on_group_event = {});

/// POST from the intelligent bot: as the app hook, with the JSON envelope and
/// parse_bot_callback; a message without create_time is dated with the query's signed timestamp
/// (the clock's time if that is not a number).
http::Handler make_wecom_bot_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                                  adapters::wecom::CallbackCrypto crypto);

/// Adds GET and POST routes for each enabled WeCom callback (app_path with receiveid corp_id,
/// bot_path with receiveid ""). Throws config::ConfigError for an unusable EncodingAESKey.
/// `on_group_event` goes to the app hook.
void install_wecom_routes(http::Router& router, const config::WecomSettings& settings,
                          StoreWorker& store, Metrics& metrics, const Clock& clock,
                          GroupEventListener on_group_event = {});

}  // namespace ledgerbot::app::ingress
