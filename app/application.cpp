#include "app/application.hpp"

#include "app/console/console_tokens.hpp"
#include "app/delivery/console_sender.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "adapters/http/hmac.hpp"
#include "app/console/console_tokens.hpp"
#include "app/delivery/console_sender.hpp"
#include "app/delivery/generic_sender.hpp"
#include "app/delivery/wecom_sender.hpp"
#include "app/ingress/generic_hook.hpp"
#include "app/ingress/media_upload_hook.hpp"
#include "app/ingress/wecom_hooks.hpp"
#include "app/logging/log_lines.hpp"
#include "app/score_setup_check.hpp"
#include "app/wecom_api_settings.hpp"
#include "bot/dispatch.hpp"
#include "config/config_loader.hpp"
#include "storage/backup.hpp"

namespace ledgerbot::app {

namespace asio = boost::asio;

namespace {

// Every configured job must have a handler in the engine's job table: a typo in a job name
// would otherwise schedule ticks that nobody handles.
config::Settings with_known_jobs(config::Settings settings) {
    for (const auto& job : settings.schedule.jobs) {
        if (bot::job_handler(job.name) == nullptr) {
            std::string known;
            for (const auto& row : bot::job_rows()) {
                known += (known.empty() ? "" : ", ") + std::string(row.name);
            }
            throw config::ConfigError("config: schedule.jobs: no handler for the job '" + job.name +
                                      "' (jobs with a handler: " + known + ")");
        }
    }
    return settings;
}

storage::ServiceLock lock_database(const std::string& path) {
    auto lock = storage::ServiceLock::try_acquire(path);
    if (!lock) {
        throw storage::DatabaseRefused("another ledgerbot service is running on the database " +
                                       path);
    }
    return std::move(*lock);
}

}  // namespace

Application::Application(config::Settings settings, const Clock& clock)
    : settings_(with_known_jobs(std::move(settings))),
      clock_(clock),
      lock_(lock_database(settings_.storage.database_path)),
      database_(settings_.storage.database_path, storage::OpenMode::migrate,
                [this](SQLite::Database& db, int from_version) {
                    // Migrations are one way: keep the database as it was before them.
                    const auto file = storage::backup_before_migration(
                        db, settings_.storage.backup_directory, settings_.storage.backups_kept,
                        from_version, clock_.now_seconds());
                    spdlog::info(
                        "backed up the database at schema version {} to {} before "
                        "migrating",
                        from_version, file.string());
                }),
      evidence_store_(
          settings_.evidence.directory,
          storage::EvidenceLimits{settings_.evidence.max_bytes, settings_.evidence.types}),
      engine_(settings_.engine),
      io_(1),
      store_(database_, settings_.storage.received_path, engine_, metrics_, clock_,
             StoreWorker::Options{
                 .lag_warning_seconds = settings_.storage.inbox_lag_warning_seconds,
                 .received_keep_seconds =
                     static_cast<std::int64_t>(settings_.storage.received_keep_hours) * 3600}),
      server_(io_,
              http::HttpServerOptions{settings_.server.listen_address, settings_.server.listen_port,
                                      settings_.server.body_limit_bytes,
                                      std::chrono::seconds(settings_.server.read_timeout_seconds)},
              router_, metrics_),
      ops_server_(
          io_,
          http::HttpServerOptions{settings_.server.ops_listen_address,
                                  settings_.server.ops_listen_port, 4096, std::chrono::seconds(30)},
          ops_router_, metrics_),
      dispatcher_(io_, store_, renderer_, metrics_, clock_, settings_.outbox),
      scheduler_(io_, store_, clock_, settings_.schedule) {
    if (settings_.generic.enabled) {
        std::vector<std::string> secrets{settings_.generic.secret};
        secrets.insert(secrets.end(), settings_.generic.previous_secrets.begin(),
                       settings_.generic.previous_secrets.end());
        generic_secrets_ = std::make_shared<adapters::generic::SecretRing>(std::move(secrets));
        dispatcher_.add_sender(
            "generic", std::make_shared<delivery::GenericSender>(
                           io_.get_executor(), settings_.generic, generic_secrets_, clock_));
    }
    // An answer goes out as soon as its decision is committed, not at the next poll.
    store_.on_notices([this] { dispatcher_.wake(); });
    install_wecom_senders();
    install_wecom_group_sync();
    install_evidence_fetcher();
    install_console();
    install_routes();
}

void Application::install_console() {
    if (!settings_.console.enabled) {
        return;
    }
    dispatcher_.add_sender("console", std::make_shared<delivery::ConsoleSender>());
    console_ = std::make_unique<console::ConsoleService>(store_, clock_, metrics_, settings_,
                                                         wecom_api_, renderer_, evidence_store_);
    console_->install(console_router_);
    console_server_ = std::make_unique<http::HttpServer>(
        io_,
        http::HttpServerOptions{settings_.console.listen_address, settings_.console.listen_port,
                                64 * 1024,
                                std::chrono::seconds(settings_.server.read_timeout_seconds)},
        console_router_, metrics_);
    if (!wecom_api_) {
        spdlog::warn(
            "the console is on but the WeCom app is not configured: only `ledgerbot console "
            "link` sign-ins work");
    }
}

void Application::install_wecom_senders() {
    const config::WecomSettings& wecom = settings_.wecom;
    if (!wecom.api_configured()) {
        // Without the app's secret there is no access token: notices to WeCom channels are
        // parked as dead with "no sender", which /metrics and the log show.
        if (wecom.enabled || wecom.bot_enabled) {
            spdlog::warn(
                "WeCom callbacks are on but corp_id/secret are not set: the bot cannot "
                "answer on WeCom (set LEDGERBOT_WECOM_SECRET)");
        }
        return;
    }
    wecom_api_ = std::make_shared<adapters::wecom::ApiClient>(
        io_.get_executor(), wecom_api_settings(wecom), [this] { return clock_.now_millis(); });
    const auto format = wecom.markdown ? adapters::wecom::MessageFormat::markdown
                                       : adapters::wecom::MessageFormat::text;
    if (wecom.agent_id != 0) {
        dispatcher_.add_sender("wecom-app",
                               std::make_shared<delivery::WecomAppSender>(wecom_api_, format));
    }
    dispatcher_.add_sender("wecom-webhook", std::make_shared<delivery::WecomWebhookSender>(
                                                wecom_api_, wecom.webhooks, format));
    std::map<std::string, std::string> chat_keys;
    for (const auto& [chat, robot] : wecom.chat_robots) {
        chat_keys[chat] = wecom.webhooks.at(robot);
    }
    dispatcher_.add_sender("wecom-bot",
                           std::make_shared<delivery::WecomBotSender>(wecom_api_, chat_keys));
}

void Application::install_wecom_group_sync() {
    const config::WecomSettings& wecom = settings_.wecom;
    // Customer-group events come only through the app callback, and reading a group needs the
    // API's access token.
    if (!wecom.enabled || !wecom_api_) {
        return;
    }
    ingress::WecomGroupSyncOptions options;
    options.delay = std::chrono::milliseconds(wecom.group_sync_delay_ms);
    // As long as the callback wait (WeCom may still be updating), with a floor so that a zero
    // delay does not make the retries hammer the API.
    options.retry_backoff = std::max(options.delay, std::chrono::milliseconds(100));
    options.resync_interval = std::chrono::minutes(wecom.group_resync_minutes);
    options.startup_resync_delay = options.delay;
    group_sync_ =
        std::make_unique<ingress::WecomGroupSync>(io_, wecom_api_, store_, clock_, options);
}

void Application::install_evidence_fetcher() {
    std::optional<adapters::wecom::CallbackCrypto> bot_crypto;
    if (settings_.wecom.bot_enabled) {
        bot_crypto = ingress::make_wecom_crypto(settings_.wecom.bot_token,
                                                settings_.wecom.bot_encoding_aes_key, "",
                                                "adapters.wecom.bot_encoding_aes_key");
    }
    evidence_fetcher_ = std::make_unique<evidence::EvidenceFetcher>(
        io_, store_, metrics_, clock_, evidence_store_, settings_.evidence, wecom_api_,
        std::move(bot_crypto));
}

Application::~Application() {
    store_.stop();
}

void Application::install_routes() {
    const auto health = [this](const http::Request& request) -> asio::awaitable<http::Response> {
        // A round trip through the store thread proves the writer is alive, not just
        // the loop.
        bool database_ok = false;
        try {
            const auto probe = [](SQLite::Database& db) {
                return db.execAndGet("SELECT 1").getInt() == 1;
            };
            database_ok = co_await store_.run<bool>(probe);
        } catch (const std::exception&) {
        }
        nlohmann::json body{{"status", database_ok ? "ok" : "degraded"}, {"database", database_ok}};
        co_return http::make_response(
            request, database_ok ? http::status::ok : http::status::service_unavailable,
            body.dump(), "application/json");
    };
    const auto metrics = [this](const http::Request& request) -> asio::awaitable<http::Response> {
        co_return http::make_response(request, http::status::ok, metrics_.serialize(),
                                      "text/plain; version=0.0.4; charset=utf-8");
    };
    // Health on both listeners (a proxy or load balancer checks the public one); metrics, which
    // name chats and volumes, only on the operations listener unless a token is configured.
    router_.add(http::verb::get, "/healthz", health);
    ops_router_.add(http::verb::get, "/healthz", health);
    ops_router_.add(http::verb::get, "/metrics", metrics);
    if (!settings_.server.metrics_token.empty()) {
        router_.add(
            http::verb::get, "/metrics",
            [this, metrics](const http::Request& request) -> asio::awaitable<http::Response> {
                const std::string expected = "Bearer " + settings_.server.metrics_token;
                const auto given = request[boost::beast::http::field::authorization];
                if (!adapters::constant_time_equal(std::string_view(given.data(), given.size()),
                                                   expected)) {
                    auto refused = http::make_response(
                        request, http::status::unauthorized,
                        "{\"error\":\"metrics need a bearer token\"}", "application/json");
                    refused.set(boost::beast::http::field::www_authenticate, "Bearer");
                    co_return refused;
                }
                co_return co_await metrics(request);
            });
    }
    if (settings_.generic.enabled) {
        const adapters::generic::Verifier verifier{generic_secrets_,
                                                   settings_.generic.max_clock_skew_seconds};
        router_.add(http::verb::post, settings_.generic.path,
                    ingress::make_generic_hook(store_, metrics_, clock_, verifier));
        router_.add(http::verb::post, settings_.evidence.upload_path,
                    ingress::make_media_upload_hook(evidence_store_, metrics_, clock_, verifier),
                    static_cast<std::size_t>(settings_.evidence.max_bytes));
    }
    ingress::GroupEventListener on_group_event;
    if (group_sync_) {
        on_group_event = [this](bot::model::EventType type, const std::string& chat_id) {
            group_sync_->on_group_event(type, chat_id);
        };
    }
    ingress::install_wecom_routes(router_, settings_.wecom, store_, metrics_, clock_,
                                  std::move(on_group_event));
}

asio::ip::tcp::endpoint Application::start() {
    if (settings_.generic.enabled && settings_.generic.secret_is_development_default) {
        spdlog::warn(
            "generic adapter uses the shipped development secret; set LEDGERBOT_GENERIC_SECRET "
            "before exposing {}:{}",
            settings_.server.listen_address, settings_.server.listen_port);
    }
    if (settings_.wecom.enabled) {
        spdlog::info("WeCom app callback on {} (corp {})", settings_.wecom.app_path,
                     settings_.wecom.corp_id);
    }
    if (settings_.wecom.bot_enabled) {
        spdlog::info("WeCom intelligent-bot callback on {}", settings_.wecom.bot_path);
    }
    try {
        for (const auto& problem : score_setup_problems(database_.sql(), settings_.engine.scores)) {
            spdlog::warn("{}", problem);
        }
    } catch (const std::exception& e) {
        spdlog::warn("[scores] setup could not be checked: {}", e.what());
    }
    const auto endpoint = server_.listen();
    ops_endpoint_ = ops_server_.listen();
    if (console_server_) {
        console_endpoint_ = console_server_->listen();
        console_->set_base_url(console::console_base_url(settings_.console.public_base_url,
                                                         console_endpoint_.address().to_string(),
                                                         console_endpoint_.port()));
    }
    store_.start();
    server_.start();
    ops_server_.start();
    if (console_server_) {
        console_server_->start();
        spdlog::info("web console on http://{}:{}/console/",
                     console_endpoint_.address().to_string(), console_endpoint_.port());
    }
    dispatcher_.start();
    if (settings_.schedule.enabled) {
        scheduler_.start();
    }
    if (group_sync_) {
        group_sync_->start();
    }
    evidence_fetcher_->start();
    spdlog::info("ledgerbot listening on http://{}:{} (database {})",
                 endpoint.address().to_string(), endpoint.port(), settings_.storage.database_path);
    spdlog::info("operations endpoint (/metrics, /healthz) on http://{}:{}",
                 ops_endpoint_.address().to_string(), ops_endpoint_.port());
    return endpoint;
}

void Application::run(bool handle_signals) {
    std::unique_ptr<asio::signal_set> signals;
    if (handle_signals) {
        signals = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM, SIGHUP);
        wait_for_signal(*signals);
    }
    io_.run();
    // Queued inserts are committed (and their events kept) before the writer thread ends.
    store_.stop();
    spdlog::info("ledgerbot stopped");
}

void Application::wait_for_signal(asio::signal_set& signals) {
    signals.async_wait([this, &signals](const boost::system::error_code& ec, int signal_number) {
        if (ec) {
            return;
        }
        if (signal_number != SIGHUP) {
            spdlog::info("signal {} received: shutting down gracefully", signal_number);
            shutdown_on_loop();
            return;
        }
        if (!settings_source_) {
            spdlog::warn("SIGHUP received: this process has no config to read again");
        } else {
            try {
                reload_on_loop(settings_source_());
            } catch (const std::exception& e) {
                // A broken edit must not stop a running service: it keeps what it had.
                spdlog::error("SIGHUP: the config was not reloaded, nothing changed: {}", e.what());
            }
        }
        wait_for_signal(signals);
    });
}

void Application::set_settings_source(std::function<config::Settings()> source) {
    settings_source_ = std::move(source);
}

void Application::reload(config::Settings fresh) {
    asio::post(io_, [this, fresh = std::move(fresh)] { reload_on_loop(fresh); });
}

void Application::reload_on_loop(const config::Settings& fresh) {
    std::vector<std::string> applied;
    if (fresh.log.level != settings_.log.level) {
        spdlog::set_level(spdlog::level::from_str(fresh.log.level));
        applied.push_back("log level " + settings_.log.level + " → " + fresh.log.level);
        settings_.log.level = fresh.log.level;
    }
    if (generic_secrets_ &&
        (fresh.generic.secret != settings_.generic.secret ||
         fresh.generic.previous_secrets != settings_.generic.previous_secrets)) {
        std::vector<std::string> secrets{fresh.generic.secret};
        secrets.insert(secrets.end(), fresh.generic.previous_secrets.begin(),
                       fresh.generic.previous_secrets.end());
        generic_secrets_->replace(std::move(secrets));
        settings_.generic.secret = fresh.generic.secret;
        settings_.generic.previous_secrets = fresh.generic.previous_secrets;
        applied.push_back("generic adapter secrets (" +
                          std::to_string(1 + fresh.generic.previous_secrets.size()) + " accepted)");
    }
    // The bearer-token route exists only when a token was set at start; its value can change.
    if (!settings_.server.metrics_token.empty() && !fresh.server.metrics_token.empty() &&
        fresh.server.metrics_token != settings_.server.metrics_token) {
        settings_.server.metrics_token = fresh.server.metrics_token;
        applied.push_back("metrics token");
    }
    std::vector<std::string> restart;
    if (fresh.server.listen_address != settings_.server.listen_address ||
        fresh.server.listen_port != settings_.server.listen_port ||
        fresh.server.ops_listen_port != settings_.server.ops_listen_port) {
        restart.push_back("[server] listeners");
    }
    if (fresh.storage.database_path != settings_.storage.database_path) {
        restart.push_back("[storage] database_path");
    }
    if (fresh.log.format != settings_.log.format) {
        restart.push_back("[log] format");
    }
    if (fresh.wecom.token != settings_.wecom.token ||
        fresh.wecom.encoding_aes_key != settings_.wecom.encoding_aes_key ||
        fresh.wecom.bot_token != settings_.wecom.bot_token ||
        fresh.wecom.bot_encoding_aes_key != settings_.wecom.bot_encoding_aes_key ||
        fresh.wecom.secret != settings_.wecom.secret) {
        restart.push_back("[adapters.wecom] keys");
    }
    if (fresh.server.metrics_token.empty() != settings_.server.metrics_token.empty()) {
        restart.push_back("[server] metrics_token on or off");
    }
    std::string applied_text;
    for (const auto& item : applied) {
        applied_text += (applied_text.empty() ? "" : "; ") + item;
    }
    std::string restart_text;
    for (const auto& item : restart) {
        restart_text += (restart_text.empty() ? "" : ", ") + item;
    }
    logging::log_fields(
        spdlog::level::info, "config reloaded",
        {{"applied", applied_text.empty() ? std::string("nothing changed") : applied_text},
         {"needs_restart", restart_text.empty() ? std::string("none") : restart_text}});
}

void Application::request_shutdown() {
    asio::post(io_, [this] { shutdown_on_loop(); });
}

void Application::shutdown_on_loop() {
    if (shutting_down_) {
        return;
    }
    shutting_down_ = true;
    server_.begin_shutdown();
    ops_server_.begin_shutdown();
    if (console_server_) {
        console_server_->begin_shutdown();
    }
    dispatcher_.stop();
    scheduler_.stop();
    if (group_sync_) {
        group_sync_->stop();
    }
    evidence_fetcher_->stop();
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(settings_.server.shutdown_grace_seconds);
    asio::co_spawn(
        io_,
        [this, deadline]() -> asio::awaitable<void> {
            asio::steady_timer timer(io_);
            while ((server_.active_sessions() > 0 || ops_server_.active_sessions() > 0 ||
                    (console_server_ && console_server_->active_sessions() > 0) ||
                    !dispatcher_.stopped() || !scheduler_.stopped() ||
                    !evidence_fetcher_->stopped() || (group_sync_ && !group_sync_->stopped())) &&
                   std::chrono::steady_clock::now() < deadline) {
                timer.expires_after(std::chrono::milliseconds(20));
                boost::system::error_code ec;
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            if (server_.active_sessions() > 0) {
                spdlog::warn("{} connections still open after the grace period; closing them",
                             server_.active_sessions());
            }
            io_.stop();
        },
        asio::detached);
}

}  // namespace ledgerbot::app
