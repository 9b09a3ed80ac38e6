#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "adapters/http/connection_pool.hpp"
#include "adapters/http/http_client.hpp"
#include "tests/support/run_awaitable.hpp"
#include "tests/support/self_signed.hpp"

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace ledgerbot::adapters::http_client;
using ledgerbot::testing::SelfSigned;

namespace {

/// A TLS HTTP server on 127.0.0.1:0 answering each request with 200 and a fixed body; failed
/// handshakes (the client refusing our certificate) are counted and otherwise ignored.
class TlsServer {
public:
    explicit TlsServer(const SelfSigned& identity) {
        SSL_CTX_use_certificate(context_.native_handle(), static_cast<X509*>(identity.cert()));
        SSL_CTX_use_PrivateKey(context_.native_handle(), static_cast<EVP_PKEY*>(identity.key()));
        acceptor_.open(tcp::v4());
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { serve(); });
    }

    ~TlsServer() {
        stopping_ = true;
        // A connection a client keeps open would hold the serving thread in its read.
        if (const int active = active_; active >= 0) {
            ::shutdown(active, SHUT_RDWR);
        }
        beast::error_code ec;
        asio::io_context io;
        tcp::socket poke(io);
        poke.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
        poke.close(ec);
        thread_.join();
    }

    std::uint16_t port() const { return port_; }
    int served() const { return served_; }
    int handshakes() const { return handshakes_; }

private:
    void serve() {
        for (;;) {
            tcp::socket socket(io_);
            beast::error_code ec;
            acceptor_.accept(socket, ec);
            if (ec || stopping_) {
                return;
            }
            active_ = socket.native_handle();
            ssl::stream<tcp::socket> stream(std::move(socket), context_);
            stream.handshake(ssl::stream_base::server, ec);
            if (ec) {
                continue;
            }
            ++handshakes_;
            // One connection at a time, for as long as the client keeps it open.
            beast::flat_buffer buffer;
            for (;;) {
                http::request<http::string_body> request;
                http::read(stream, buffer, request, ec);
                if (ec) {
                    break;
                }
                http::response<http::string_body> response{http::status::ok, 11};
                response.set(http::field::content_type, "application/json");
                response.body() =
                    R"({"errcode":0,"path":")" + std::string(request.target()) + "\"}";
                response.keep_alive(request.keep_alive());
                response.prepare_payload();
                ++served_;  // before the answer: the client checks the count once it has it
                http::write(stream, response, ec);
                if (ec || !request.keep_alive()) {
                    break;
                }
            }
            active_ = -1;
            stream.shutdown(ec);
        }
    }

    asio::io_context io_;
    ssl::context context_{ssl::context::tls_server};
    tcp::acceptor acceptor_{io_};
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> served_{0};
    std::atomic<int> handshakes_{0};
    std::atomic<int> active_{-1};  // the connection being served, if any
    std::thread thread_;
};

ssl::context trusting(const SelfSigned& identity) {
    ssl::context context(ssl::context::tls_client);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(context.native_handle()),
                        static_cast<X509*>(identity.cert()));
    context.set_verify_mode(ssl::verify_peer);
    return context;
}

/// A pool's connections belong to `io`, which must outlive the pool.
boost::outcome_v2::std_result<HttpResult> get_over_tls(asio::io_context& io,
                                                       const std::string& address,
                                                       ssl::context* tls, ConnectionPool* pool) {
    const auto url = parse_url(address);
    REQUIRE(url);
    RequestOptions options;
    options.timeout = std::chrono::milliseconds(3000);
    options.tls = tls;
    options.pool = pool;
    const std::vector<Header> no_headers;
    const std::string no_body;
    return ledgerbot::testing::run_awaitable(
        io, request(io.get_executor(), Method::get, *url, no_headers, no_body, options));
}

boost::outcome_v2::std_result<HttpResult> get_over_tls(const std::string& address,
                                                       ssl::context* tls) {
    asio::io_context io;
    return get_over_tls(io, address, tls, nullptr);
}

}  // namespace

TEST_CASE("https requests complete against a server whose certificate is trusted", "[http][tls]") {
    SelfSigned identity;
    TlsServer server(identity);
    auto tls = trusting(identity);
    const auto result =
        get_over_tls("https://localhost:" + std::to_string(server.port()) + "/cgi-bin/x?a=1", &tls);
    REQUIRE(result);
    CHECK(result.value().status == 200);
    CHECK(result.value().body == R"({"errcode":0,"path":"/cgi-bin/x?a=1"})");
    CHECK(server.served() == 1);
}

TEST_CASE("https refuses a certificate the system store does not trust", "[http][tls]") {
    SelfSigned identity;
    TlsServer server(identity);
    // default_tls_context(): system CAs only, which never signed this certificate.
    const auto result =
        get_over_tls("https://localhost:" + std::to_string(server.port()) + "/", nullptr);
    REQUIRE_FALSE(result);
    CHECK(result.error() != std::errc::timed_out);
    CHECK(server.served() == 0);
}

TEST_CASE("https refuses a trusted certificate issued for another host name", "[http][tls]") {
    SelfSigned identity;  // valid for "localhost" only
    TlsServer server(identity);
    auto tls = trusting(identity);
    const auto result =
        get_over_tls("https://127.0.0.1:" + std::to_string(server.port()) + "/", &tls);
    REQUIRE_FALSE(result);
    CHECK(server.served() == 0);
}

TEST_CASE("https through a pool does one handshake for several requests", "[http][tls][pool]") {
    SelfSigned identity;
    TlsServer server(identity);
    auto tls = trusting(identity);
    asio::io_context io;
    ConnectionPool pool;
    const std::string base = "https://localhost:" + std::to_string(server.port());
    for (const std::string path : {"/cgi-bin/message/send", "/cgi-bin/webhook/send", "/x"}) {
        const auto result = get_over_tls(io, base + path, &tls, &pool);
        REQUIRE(result);
        CHECK(result.value().body == R"({"errcode":0,"path":")" + path + "\"}");
    }
    CHECK(server.served() == 3);
    CHECK(server.handshakes() == 1);
    CHECK(pool.reused() == 2);
}
