#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include <functional>
#include <memory>

#include "adapters/generic/secret_ring.hpp"
#include "adapters/wecom/api_client.hpp"
#include "app/clock.hpp"
#include "app/console/console_service.hpp"
#include "app/delivery/outbox_dispatcher.hpp"
#include "app/evidence/evidence_fetcher.hpp"
#include "app/http/http_server.hpp"
#include "app/http/router.hpp"
#include "app/ingress/wecom_group_sync.hpp"
#include "app/jobs/scheduler.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"
#include "bot/engine.hpp"
#include "config/settings.hpp"
#include "storage/database.hpp"
#include "storage/evidence_store.hpp"
#include "storage/service_lock.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app {

/// The running service: wires config, storage, the engine, adapters, the HTTP server and the
/// outbox dispatcher. Integration tests construct it in-process on port 0; main() runs it.
class Application {
public:
    Application(config::Settings settings, const Clock& clock);
    ~Application();

    /// Opens the listener and starts the store thread and the dispatcher. Returns the bound
    /// endpoint (the real port when configured with port 0).
    boost::asio::ip::tcp::endpoint start();
    /// Runs the event loop on the calling thread until shutdown has completed. SIGINT/SIGTERM
    /// start a graceful shutdown when `handle_signals` is true; SIGHUP reloads (see reload).
    void run(bool handle_signals = true);
    /// Where SIGHUP reads the settings again (the same files and environment as at start).
    void set_settings_source(std::function<config::Settings()> source);
    /// Thread-safe: applies what can change while running from `fresh` — the log level, the
    /// generic adapter's secrets and the metrics token; everything else is logged as needing a
    /// restart. Returns at once; the change happens on the event loop.
    void reload(config::Settings fresh);
    /// Thread-safe: begins a graceful shutdown (stop accepting, finish in-flight requests and
    /// deliveries, commit what is queued).
    void request_shutdown();

    /// The operations listener (/metrics, /healthz), bound by start().
    boost::asio::ip::tcp::endpoint ops_endpoint() const { return ops_endpoint_; }
    /// The web console's listener, bound by start() when [console] is enabled.
    boost::asio::ip::tcp::endpoint console_endpoint() const { return console_endpoint_; }

    Metrics& metrics() { return metrics_; }
    http::Router& router() { return router_; }
    jobs::Scheduler& scheduler() { return scheduler_; }
    evidence::EvidenceFetcher& evidence_fetcher() { return *evidence_fetcher_; }
    const config::Settings& settings() const { return settings_; }

private:
    void install_routes();
    void install_wecom_senders();
    void install_wecom_group_sync();
    void install_evidence_fetcher();
    void install_console();
    void shutdown_on_loop();
    void reload_on_loop(const config::Settings& fresh);
    void wait_for_signal(boost::asio::signal_set& signals);

    config::Settings settings_;
    const Clock& clock_;
    Metrics metrics_;
    storage::ServiceLock lock_;
    storage::Database database_;
    storage::EvidenceStore evidence_store_;
    bot::Engine engine_;
    templates::Renderer renderer_;
    boost::asio::io_context io_;
    StoreWorker store_;
    http::Router router_;
    http::HttpServer server_;
    http::Router ops_router_;
    http::HttpServer ops_server_;
    boost::asio::ip::tcp::endpoint ops_endpoint_;
    /// Set when [console] is enabled.
    std::unique_ptr<console::ConsoleService> console_;
    http::Router console_router_;
    std::unique_ptr<http::HttpServer> console_server_;
    boost::asio::ip::tcp::endpoint console_endpoint_;
    delivery::OutboxDispatcher dispatcher_;
    jobs::Scheduler scheduler_;
    std::shared_ptr<adapters::wecom::ApiClient> wecom_api_;
    /// Set when the app callback is on and the API is configured.
    std::unique_ptr<ingress::WecomGroupSync> group_sync_;
    std::unique_ptr<evidence::EvidenceFetcher> evidence_fetcher_;
    bool shutting_down_ = false;
    /// The generic adapter's secrets, shared by its hooks and its sender; reload replaces them.
    std::shared_ptr<adapters::generic::SecretRing> generic_secrets_;
    std::function<config::Settings()> settings_source_;
};

}  // namespace ledgerbot::app
