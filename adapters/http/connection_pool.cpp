#include "adapters/http/connection_pool.hpp"

#include <poll.h>

#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "adapters/http/pooled_connection.hpp"

namespace ledgerbot::adapters::http_client {

namespace {

/// An idle HTTP connection has nothing to read. Readable means the peer closed it (EOF), reset
/// it, or sent something unasked (a 408, a TLS alert): none of them can carry a request.
bool peer_left(PooledConnection& connection) {
    pollfd watched{};
    watched.fd = connection.lowest().socket().native_handle();
    watched.events = POLLIN;
    return ::poll(&watched, 1, 0) != 0;
}

}  // namespace

struct ConnectionPool::Impl {
    Limits limits;
    mutable std::mutex mutex;
    std::map<std::string, std::vector<std::unique_ptr<PooledConnection>>> idle;  // oldest first
    std::uint64_t opened = 0;
    std::uint64_t reused = 0;

    /// Moves every connection idle too long, under any key, into `out` (under `mutex`), so that
    /// a pool that stops being used does not keep closed sockets open for long.
    void expire(std::chrono::steady_clock::time_point now,
                std::vector<std::unique_ptr<PooledConnection>>& out) {
        for (auto it = idle.begin(); it != idle.end();) {
            auto& list = it->second;
            std::size_t expired = 0;
            while (expired < list.size() &&
                   now - list[expired]->idle_since >= limits.idle_timeout) {
                ++expired;
            }
            for (std::size_t i = 0; i < expired; ++i) {
                out.push_back(std::move(list[i]));
            }
            list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(expired));
            it = list.empty() ? idle.erase(it) : std::next(it);
        }
    }
};

ConnectionPool::ConnectionPool() : ConnectionPool(Limits{}) {}

ConnectionPool::ConnectionPool(Limits limits) : impl_(std::make_unique<Impl>()) {
    impl_->limits = limits;
}

ConnectionPool::~ConnectionPool() {
    for (auto& [key, list] : impl_->idle) {
        for (auto& connection : list) {
            connection->close();
        }
    }
}

std::unique_ptr<PooledConnection> ConnectionPool::take(const std::string& key) {
    std::vector<std::unique_ptr<PooledConnection>> discarded;
    std::unique_ptr<PooledConnection> found;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->expire(std::chrono::steady_clock::now(), discarded);
        const auto it = impl_->idle.find(key);
        while (it != impl_->idle.end() && !it->second.empty() && !found) {
            auto candidate = std::move(it->second.back());
            it->second.pop_back();
            if (peer_left(*candidate)) {
                discarded.push_back(std::move(candidate));
            } else {
                found = std::move(candidate);
                ++impl_->reused;
            }
        }
    }
    for (auto& connection : discarded) {
        connection->close();
    }
    return found;
}

void ConnectionPool::put(const std::string& key, std::unique_ptr<PooledConnection> connection) {
    std::vector<std::unique_ptr<PooledConnection>> discarded;
    const auto now = std::chrono::steady_clock::now();
    connection->idle_since = now;
    connection->lowest().expires_never();
    {
        std::lock_guard lock(impl_->mutex);
        impl_->expire(now, discarded);
        auto& list = impl_->idle[key];
        list.push_back(std::move(connection));
        while (list.size() > impl_->limits.idle_per_origin) {
            discarded.push_back(std::move(list.front()));
            list.erase(list.begin());
        }
    }
    for (auto& closing : discarded) {
        closing->close();
    }
}

void ConnectionPool::count_opened() {
    std::lock_guard lock(impl_->mutex);
    ++impl_->opened;
}

std::uint64_t ConnectionPool::opened() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->opened;
}

std::uint64_t ConnectionPool::reused() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->reused;
}

std::size_t ConnectionPool::idle() const {
    std::lock_guard lock(impl_->mutex);
    std::size_t count = 0;
    for (const auto& [key, list] : impl_->idle) {
        count += list.size();
    }
    return count;
}

}  // namespace ledgerbot::adapters::http_client
