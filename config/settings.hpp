#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bot/settings/convention_settings.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/settings/import_settings.hpp"
#include "bot/time/schedule.hpp"

namespace ledgerbot::config {

struct ServerSettings {
    std::string listen_address;
    std::uint16_t listen_port = 0;
    /// The operations listener: /metrics and /healthz, kept off the public webhook port.
    std::string ops_listen_address;
    std::uint16_t ops_listen_port = 0;  ///< 0 = any free port
    /// When set, /metrics is also served on the webhook port to `Authorization: Bearer <token>`.
    std::string metrics_token;
    std::size_t body_limit_bytes = 0;
    int read_timeout_seconds = 0;
    int shutdown_grace_seconds = 0;
};

struct StorageSettings {
    std::string database_path;
    /// `serve` backs the database up here before it migrates the schema ("" = a backups/
    /// folder next to the database), keeping the newest `backups_kept`.
    std::string backup_directory;
    int backups_kept = 5;
    /// The acknowledgement side of the inbox, a file of its own (resolved: "" = the database
    /// path with `-received` before its extension).
    std::string received_path;
    /// The oldest acknowledged event waiting this long logs a warning (0 = never).
    int inbox_lag_warning_seconds = 30;
    /// Events the ledger took stay this long in the received file (redeliveries recognised).
    int received_keep_hours = 72;
};

/// Evidence images (有效证据) kept as bytes ([evidence]).
struct EvidenceSettings {
    std::string directory;  ///< resolved: "" in the file = an evidence/ folder next to the database
    std::int64_t max_bytes = 20 << 20;
    std::vector<std::string> types;  ///< of jpeg, png, gif, webp
    std::string upload_path;         ///< bridges upload bytes here, signed like events
    int first_retry_seconds = 15;
    int max_retry_seconds = 900;
    int fetch_timeout_ms = 30000;
    /// How long a reference can be fetched after it was posted, per kind; retries stop short
    /// of it. WeCom media ids live three days, intelligent-bot URLs five minutes.
    int media_id_lifetime_hours = 72;
    int bot_url_lifetime_seconds = 300;
    int url_lifetime_hours = 24;
};

struct LogSettings {
    std::string level;
    std::string format;  ///< "text" (one line per record, key=value fields) or "json"
};

struct GenericAdapterSettings {
    bool enabled = true;
    std::string path;
    std::string secret;                          ///< the newest: notices are signed with it
    std::vector<std::string> previous_secrets;   ///< still accepted on requests (rotation)
    bool secret_is_development_default = false;  ///< the shipped demo secret is in use
    std::int64_t max_clock_skew_seconds = 0;
    std::string outbound_url;
    std::string console_sink;
};

/// WeCom (企业微信). Two independent inbound callbacks: the self-built app's (`enabled`: XML,
/// text messages to the app and change_external_chat events, receiveid = corp_id) and the
/// intelligent bot's (`bot_enabled`: JSON, @-mentions in groups, receiveid ""). The API keys
/// (agent_id, secret, api_base_url) are carried for the WeCom API client.
struct WecomSettings {
    bool enabled = false;
    std::string app_path;
    std::string corp_id;
    std::string token;             ///< secret: LEDGERBOT_WECOM_TOKEN overrides
    std::string encoding_aes_key;  ///< secret: LEDGERBOT_WECOM_AES_KEY overrides

    bool bot_enabled = false;
    std::string bot_path;
    std::string bot_token;             ///< secret: LEDGERBOT_WECOM_BOT_TOKEN overrides
    std::string bot_encoding_aes_key;  ///< secret: LEDGERBOT_WECOM_BOT_AES_KEY overrides

    std::int64_t agent_id = 0;  ///< the self-built app's AgentId; 0 = not configured
    std::string secret;         ///< the app's Secret for gettoken; LEDGERBOT_WECOM_SECRET overrides
    std::string api_base_url;
    int request_timeout_ms = 10000;
    int api_keep_alive_seconds = 15;  ///< 0: a new connection per API call
    /// Customer-group sync (app/wecom_group_sync): wait this long after a change_external_chat
    /// callback before reading the group with groupchat/get, since WeCom updates group info
    /// asynchronously; callbacks for one chat within the wait are read once.
    int group_sync_delay_ms = 2000;
    /// Full re-sync of every customer group (groupchat/list + groupchat/get), shortly after
    /// startup and then every this many minutes: callbacks can be lost. 0 = no re-sync.
    int group_resync_minutes = 360;
    bool markdown = false;  ///< app messages and robot posts as markdown rather than text
    /// Group robots: name → webhook key (a secret; LEDGERBOT_WECOM_WEBHOOK_<NAME> overrides).
    std::map<std::string, std::string> webhooks;
    /// Chats whose intelligent-bot answers fall back to a robot: chat id → robot name.
    std::map<std::string, std::string> chat_robots;

    /// The API client can be used: the app's credentials are configured.
    bool api_configured() const { return !corp_id.empty() && !secret.empty(); }
};

struct OutboxSettings {
    /// A notice that keeps failing for a transient reason is retried this long from its first
    /// failure; only a permanent refusal or this budget parks it as dead.
    int retry_for_hours = 24;
    /// Compliance and the admins get one summary when notices have been failing this long.
    int alert_after_minutes = 30;
    int initial_backoff_seconds = 0;
    int max_backoff_seconds = 0;
    int poll_interval_ms = 0;
    /// Notices to different targets in flight at once (one target's go one at a time).
    int concurrency = 0;
    int rate_per_minute = 0;
    std::map<std::string, int> channel_rate_per_minute;

    int rate_for_channel(const std::string& channel) const;
};

/// One `[[schedule.jobs]]` entry. The name is the tick's `job` and the run key's first part, so
/// it is limited to lower-case letters, digits and '-'.
struct ScheduledJob {
    std::string name;
    bot::time::ScheduleSpec at;
    bool enabled = false;
};

/// The scheduler (app/scheduler): how often it looks at the clock and how late a missed slot
/// may still run after downtime (only the most recent one does; see bot::catch_up_slot).
struct ScheduleSettings {
    bool enabled = true;
    int check_interval_seconds = 30;
    int max_lateness_hours = 2;
    std::vector<ScheduledJob> jobs;
};

/// Every setting of the service, as plain values. Only config/ fills it.
/// The web console (app/console): pages for compliance, directors and the office, signed in
/// with WeCom. Off by default: it needs the WeCom app (OAuth) or `ledgerbot console link`.
struct ConsoleSettings {
    bool enabled = false;
    std::string listen_address;
    std::uint16_t listen_port = 0;  ///< 0 = any free port
    /// The console's address as browsers open it (the WeCom app's trusted domain), without a
    /// trailing slash; sign-in redirects come back here. "" = http://listen_address:port.
    std::string public_base_url;
    std::string oauth_authorize_url;  ///< WeCom OAuth inside the WeCom client (snsapi_base)
    std::string sso_login_url;        ///< WeCom QR login on a desktop browser
    int session_idle_minutes = 30;
    int session_hours = 10;
    int login_minutes = 10;  ///< a sign-in started must finish within this
    int link_minutes = 10;   ///< a `console link` stays valid this long
};

struct Settings {
    ServerSettings server;
    ConsoleSettings console;
    StorageSettings storage;
    LogSettings log;
    GenericAdapterSettings generic;
    WecomSettings wecom;
    OutboxSettings outbox;
    ScheduleSettings schedule;
    EvidenceSettings evidence;
    bot::settings::ImportSettings import;
    /// [report], [conventions] and [notices], and the routes the adapters' settings imply.
    bot::settings::EngineSettings engine;
};

}  // namespace ledgerbot::config
