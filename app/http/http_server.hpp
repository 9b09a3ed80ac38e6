#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <set>

#include "app/http/router.hpp"
#include "app/metrics.hpp"

namespace ledgerbot::app::http {

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
    std::size_t body_limit = 1 << 20;
    std::chrono::seconds read_timeout{30};
};

/// HTTP/1.1 listener on Beast with C++20 coroutines, after Beast's awaitable server example:
/// a plain read → handle → write loop per connection, a fresh parser with a body limit for each
/// request, a timeout before each read, keep-alive. All sessions run on one io_context thread.
class HttpServer {
public:
    HttpServer(boost::asio::io_context& io, HttpServerOptions options, const Router& router,
               Metrics& metrics);

    /// Binds and listens; throws on failure (a startup error). Port 0 picks a free port.
    boost::asio::ip::tcp::endpoint listen();
    void start();
    /// Stops accepting, closes idle keep-alive connections; busy ones finish their request and
    /// then close. Must run on the io_context's thread.
    void begin_shutdown();
    std::size_t active_sessions() const { return sessions_.size(); }

private:
    struct Session {
        boost::beast::tcp_stream* stream = nullptr;
        bool busy = false;
    };

    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(boost::beast::tcp_stream stream);
    boost::asio::awaitable<Response> dispatch(const Request& request);

    boost::asio::io_context& io_;
    HttpServerOptions options_;
    const Router& router_;
    Metrics& metrics_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::set<Session*> sessions_;
    bool stopping_ = false;
};

}  // namespace ledgerbot::app::http
