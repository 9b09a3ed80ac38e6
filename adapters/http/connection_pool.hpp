#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ledgerbot::adapters::http_client {

struct PooledConnection;  // adapters/http/pooled_connection.hpp

/// Idle keep-alive connections, by origin, for a client that calls the same servers again and
/// again (the WeCom API, the chat bridge). Without it every call resolves the name, connects and,
/// for https, does a TLS handshake: some three round trips and a few milliseconds of the event
/// loop's CPU before the request itself.
///
/// A connection is put back only after a complete answer that did not say `Connection: close`.
/// Taking one skips connections idle longer than `idle_timeout` and those the peer has already
/// closed or written to unasked, so most connections a server closed at its own keep-alive
/// timeout are never used. The rest is the caller's rule: a request that failed on a reused
/// connection is sent again only when repeating it is harmless (see http_client::request).
/// Thread-safe; a connection is used by one request at a time.
class ConnectionPool {
public:
    struct Limits {
        /// Idle connections kept per origin; more are closed. The outbox sends at most 64
        /// notices at once.
        std::size_t idle_per_origin = 64;
        /// Below the keep-alive timeouts common servers use (nginx 75 s, many proxies 60 s),
        /// so that the server rarely closes a connection just as a request goes out on it.
        std::chrono::milliseconds idle_timeout{15000};
    };

    ConnectionPool();
    explicit ConnectionPool(Limits limits);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    /// The most recently used idle connection under `key` that is still usable, or nullptr.
    std::unique_ptr<PooledConnection> take(const std::string& key);
    /// Keeps a connection that just completed an exchange, for the next request under `key`.
    void put(const std::string& key, std::unique_ptr<PooledConnection> connection);
    void count_opened();

    /// Connections opened through the pool's requests, and requests sent on a kept one.
    std::uint64_t opened() const;
    std::uint64_t reused() const;
    std::size_t idle() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ledgerbot::adapters::http_client
