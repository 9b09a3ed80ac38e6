#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>

namespace ledgerbot::adapters::http_client {

/// An open HTTP/1.1 connection, plain or TLS (exactly one of the two is set).
struct PooledConnection {
    std::unique_ptr<boost::beast::tcp_stream> plain;
    std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
    std::chrono::steady_clock::time_point idle_since{};

    boost::beast::tcp_stream& lowest() {
        return plain ? *plain : boost::beast::get_lowest_layer(*tls);
    }

    /// Closes the socket without a TLS close_notify exchange: a response is complete by HTTP
    /// framing, so truncation cannot go unnoticed, and many servers never answer close_notify,
    /// which would hold every request until its deadline.
    void close() {
        boost::system::error_code ignored;
        lowest().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        lowest().socket().close(ignored);
    }
};

}  // namespace ledgerbot::adapters::http_client
