#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "bot/engine.hpp"

namespace ledgerbot::config {

struct ServerSettings {
    std::string listen_address;
    std::uint16_t listen_port = 0;
    std::size_t body_limit_bytes = 0;
    int read_timeout_seconds = 0;
    int shutdown_grace_seconds = 0;
};

struct StorageSettings {
    std::string database_path;
};

struct LogSettings {
    std::string level;
};

struct GenericAdapterSettings {
    bool enabled = true;
    std::string path;
    std::string secret;
    bool secret_is_development_default = false;  ///< the shipped demo secret is in use
    std::int64_t max_clock_skew_seconds = 0;
    std::string outbound_url;
    std::string console_sink;
};

struct OutboxSettings {
    int max_attempts = 0;
    int initial_backoff_seconds = 0;
    int max_backoff_seconds = 0;
    int poll_interval_ms = 0;
    int rate_per_minute = 0;
    std::map<std::string, int> channel_rate_per_minute;

    int rate_for_channel(const std::string& channel) const;
};

/// Every setting of the service, as plain values. Only config/ fills it.
struct Settings {
    ServerSettings server;
    StorageSettings storage;
    LogSettings log;
    GenericAdapterSettings generic;
    OutboxSettings outbox;
    bot::EngineSettings engine;
};

}  // namespace ledgerbot::config
