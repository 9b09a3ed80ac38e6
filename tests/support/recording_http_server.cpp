#include "tests/support/recording_http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <poll.h>
#include <sys/socket.h>

#include <list>

namespace ledgerbot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct RecordingHttpServer::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread accept_thread;
    struct Connection {
        std::thread thread;
        bool done = false;  // under `mutex`: the thread has finished serving and may be joined
    };
    std::list<Connection> connections;
    std::list<int> open_sockets;  // native handles, to unblock reads on shutdown
    std::atomic<bool> stopping{false};
    std::atomic<int> idle_close_ms{0};
    std::unique_ptr<ssl::context> tls;  // set before the first connection
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::vector<RecordedRequest> requests;
    Responder responder;

    void serve(tcp::socket socket, bool& done) {
        beast::error_code ec;
        if (tls) {
            ssl::stream<tcp::socket&> stream(socket, *tls);
            stream.handshake(ssl::stream_base::server, ec);
            if (!ec) {
                exchange(stream, socket);
            }
        } else {
            exchange(socket, socket);
        }
        std::lock_guard lock(mutex);
        open_sockets.remove(socket.native_handle());
        // Closed without a TLS close_notify, as the client does.
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
        done = true;
    }

    /// Reads requests and writes answers on `stream` (the socket, or TLS over it) for as long as
    /// the connection is kept alive.
    template <class Stream>
    void exchange(Stream& stream, tcp::socket& socket) {
        beast::flat_buffer buffer;
        beast::error_code ec;
        const std::uint16_t client_port = socket.remote_endpoint(ec).port();
        for (;;) {
            if (const int idle = idle_close_ms; idle > 0 && buffer.size() == 0) {
                pollfd watched{socket.native_handle(), POLLIN, 0};
                if (::poll(&watched, 1, idle) == 0) {
                    return;
                }
            }
            http::request<http::string_body> request;
            http::read(stream, buffer, request, ec);
            if (ec) {
                return;
            }
            RecordedRequest recorded;
            recorded.method = std::string(request.method_string());
            recorded.target = std::string(request.target());
            recorded.body = request.body();
            recorded.client_port = client_port;
            for (const auto& field : request) {
                recorded.headers[std::string(field.name_string())] = std::string(field.value());
            }
            Responder current;
            {
                std::lock_guard lock(mutex);
                requests.push_back(recorded);
                current = responder;
            }
            arrived.notify_all();
            ScriptedReply reply = current ? current(recorded) : ScriptedReply{};
            if (reply.delay.count() > 0) {
                std::this_thread::sleep_for(reply.delay);
            }
            if (reply.drop_connection) {
                return;
            }
            http::response<http::string_body> response{static_cast<http::status>(reply.status),
                                                       request.version()};
            response.set(http::field::content_type, reply.content_type);
            for (const auto& [name, value] : reply.headers) {
                response.set(name, value);
            }
            response.body() = reply.body;
            response.keep_alive(request.keep_alive() && !reply.close_after_reply);
            response.prepare_payload();
            http::write(stream, response, ec);
            if (ec || !response.keep_alive()) {
                return;
            }
        }
    }
};

RecordingHttpServer::RecordingHttpServer(Responder responder) : impl_(std::make_unique<Impl>()) {
    impl_->responder = std::move(responder);
    tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), 0};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    port_ = impl_->acceptor.local_endpoint().port();
    impl_->accept_thread = std::thread([impl = impl_.get()] {
        for (;;) {
            beast::error_code ec;
            tcp::socket socket(impl->io);
            impl->acceptor.accept(socket, ec);
            if (ec || impl->stopping) {
                return;
            }
            // A server a benchmark sends thousands of one-request connections keeps no thread
            // of a finished one.
            std::list<Impl::Connection> finished;
            {
                std::lock_guard lock(impl->mutex);
                for (auto it = impl->connections.begin(); it != impl->connections.end();) {
                    const auto next = std::next(it);
                    if (it->done) {
                        finished.splice(finished.end(), impl->connections, it);
                    }
                    it = next;
                }
                impl->open_sockets.push_back(socket.native_handle());
                Impl::Connection& connection = impl->connections.emplace_back();
                connection.thread =
                    std::thread([impl, &connection, s = std::move(socket)]() mutable {
                        impl->serve(std::move(s), connection.done);
                    });
            }
            for (auto& connection : finished) {
                connection.thread.join();
            }
        }
    });
}

RecordingHttpServer::~RecordingHttpServer() {
    impl_->stopping = true;
    beast::error_code ec;
    // Wake the blocking accept with a connection of our own, then close.
    {
        asio::io_context io;
        tcp::socket poke(io);
        poke.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    }
    impl_->acceptor.close(ec);
    impl_->accept_thread.join();
    std::list<Impl::Connection> connections;
    {
        std::lock_guard lock(impl_->mutex);
        connections.swap(impl_->connections);
        // shutdown(2) on the raw handle wakes a blocked read in the connection thread; closing
        // is left to that thread, which owns the socket.
        for (int handle : impl_->open_sockets) {
            ::shutdown(handle, SHUT_RDWR);
        }
    }
    for (auto& connection : connections) {
        connection.thread.join();
    }
}

std::string RecordingHttpServer::url(const std::string& path) const {
    return base_url() + path;
}

void RecordingHttpServer::use_tls(const std::string& cert_pem, const std::string& key_pem) {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->use_certificate_chain(asio::buffer(cert_pem));
    context->use_private_key(asio::buffer(key_pem), ssl::context::pem);
    std::lock_guard lock(impl_->mutex);
    impl_->tls = std::move(context);
}

std::string RecordingHttpServer::base_url() const {
    return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void RecordingHttpServer::close_idle_after(std::chrono::milliseconds idle) {
    impl_->idle_close_ms = static_cast<int>(idle.count());
}

void RecordingHttpServer::set_responder(Responder responder) {
    std::lock_guard lock(impl_->mutex);
    impl_->responder = std::move(responder);
}

std::vector<RecordedRequest> RecordingHttpServer::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->requests;
}

std::size_t RecordingHttpServer::wait_for(std::size_t count,
                                          std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    impl_->arrived.wait_for(lock, timeout, [&] { return impl_->requests.size() >= count; });
    return impl_->requests.size();
}

}  // namespace ledgerbot::testing
