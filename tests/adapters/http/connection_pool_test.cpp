#include "adapters/http/connection_pool.hpp"

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/http_client.hpp"
#include "tests/support/recording_http_server.hpp"
#include "tests/support/run_awaitable.hpp"

namespace asio = boost::asio;
using namespace ledgerbot::adapters::http_client;
using ledgerbot::testing::RecordedRequest;
using ledgerbot::testing::RecordingHttpServer;
using ledgerbot::testing::ScriptedReply;
using namespace std::chrono_literals;

namespace {

using Outcome = boost::outcome_v2::std_result<HttpResult>;

/// One request on `io`, through `pool` when it is set, waiting for the answer.
Outcome send(asio::io_context& io, Method method, const std::string& address,
             ConnectionPool* pool) {
    const auto url = parse_url(address);
    REQUIRE(url);
    RequestOptions options;
    options.timeout = 3000ms;
    options.pool = pool;
    const std::vector<Header> no_headers;
    const std::string body = method == Method::post ? R"({"touser":"zhangsan"})" : "";
    return ledgerbot::testing::run_awaitable(
        io, request(io.get_executor(), method, *url, no_headers, body, options));
}

std::set<std::uint16_t> connections_of(const std::vector<RecordedRequest>& requests) {
    std::set<std::uint16_t> ports;
    for (const auto& recorded : requests) {
        ports.insert(recorded.client_port);
    }
    return ports;
}

/// Answers every request at once, but the `n`th to arrive gets `reply`.
RecordingHttpServer::Responder nth_request_gets(int n, ScriptedReply reply) {
    auto arrived = std::make_shared<std::atomic<int>>(0);
    return [=](const RecordedRequest&) { return ++*arrived == n ? reply : ScriptedReply{}; };
}

}  // namespace

TEST_CASE("Requests through a pool share one connection while the server keeps it open",
          "[http][pool]") {
    RecordingHttpServer server;
    asio::io_context io;
    ConnectionPool pool;
    for (int i = 0; i < 3; ++i) {
        const auto answer = send(io, Method::post, server.url("/cgi-bin/message/send"), &pool);
        REQUIRE(answer);
        CHECK(answer.value().status == 200);
    }
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(connections_of(requests).size() == 1);
    for (const auto& recorded : requests) {
        CHECK(recorded.headers.count("Connection") == 0);  // HTTP/1.1 keeps it open by default
    }
    CHECK(pool.opened() == 1);
    CHECK(pool.reused() == 2);
    CHECK(pool.idle() == 1);
}

TEST_CASE("Without a pool every request has a connection of its own, closed after it",
          "[http][pool]") {
    RecordingHttpServer server;
    asio::io_context io;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(send(io, Method::post, server.url("/x"), nullptr));
    }
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(connections_of(requests).size() == 3);
    CHECK(requests.front().headers.at("Connection") == "close");
}

TEST_CASE("A connection the server answered with Connection: close is not kept", "[http][pool]") {
    RecordingHttpServer server([](const RecordedRequest&) {
        ScriptedReply reply;
        reply.close_after_reply = true;
        return reply;
    });
    asio::io_context io;
    ConnectionPool pool;
    REQUIRE(send(io, Method::post, server.url("/a"), &pool));
    REQUIRE(send(io, Method::post, server.url("/b"), &pool));
    CHECK(connections_of(server.requests()).size() == 2);
    CHECK(pool.opened() == 2);
    CHECK(pool.reused() == 0);
    CHECK(pool.idle() == 0);
}

TEST_CASE("A kept connection the server has closed is not used: the POST goes out on a new one",
          "[http][pool]") {
    // The server closes idle connections after 50 ms, as a server does at its keep-alive
    // timeout; the message sent after that must not fail on the closed connection.
    RecordingHttpServer server;
    server.close_idle_after(50ms);
    asio::io_context io;
    ConnectionPool pool;
    REQUIRE(send(io, Method::post, server.url("/cgi-bin/message/send"), &pool));
    std::this_thread::sleep_for(300ms);
    const auto second = send(io, Method::post, server.url("/cgi-bin/message/send"), &pool);
    REQUIRE(second);
    CHECK(second.value().status == 200);
    CHECK(server.requests().size() == 2);
    CHECK(connections_of(server.requests()).size() == 2);
    CHECK(pool.reused() == 0);
}

TEST_CASE("A kept connection idle longer than the pool's timeout is closed, not used",
          "[http][pool]") {
    RecordingHttpServer server;  // keeps connections open
    asio::io_context io;
    ConnectionPool::Limits limits;
    limits.idle_timeout = 50ms;
    ConnectionPool pool(limits);
    REQUIRE(send(io, Method::get, server.url("/a"), &pool));
    std::this_thread::sleep_for(150ms);
    REQUIRE(send(io, Method::get, server.url("/b"), &pool));
    CHECK(connections_of(server.requests()).size() == 2);
    CHECK(pool.opened() == 2);
    CHECK(pool.reused() == 0);
    CHECK(pool.idle() == 1);
}

TEST_CASE("A request that fails on a kept connection is sent again only when it is a GET",
          "[http][pool]") {
    // The second request to arrive is read and then dropped without an answer: the server may
    // have acted on it.
    ScriptedReply dropped;
    dropped.drop_connection = true;
    RecordingHttpServer server(nth_request_gets(2, dropped));
    asio::io_context io;
    ConnectionPool pool;

    SECTION("a POST fails and is not repeated: a message could go out twice") {
        REQUIRE(send(io, Method::post, server.url("/cgi-bin/message/send"), &pool));
        const auto second = send(io, Method::post, server.url("/cgi-bin/message/send"), &pool);
        CHECK_FALSE(second);
        CHECK(server.requests().size() == 2);
        CHECK(pool.opened() == 1);
    }
    SECTION("a GET is sent again on a new connection and succeeds") {
        REQUIRE(send(io, Method::get, server.url("/cgi-bin/gettoken"), &pool));
        const auto second = send(io, Method::get, server.url("/cgi-bin/media/get"), &pool);
        REQUIRE(second);
        CHECK(second.value().status == 200);
        const auto requests = server.requests();
        REQUIRE(requests.size() == 3);
        CHECK(requests[1].target == requests[2].target);
        CHECK(requests[1].client_port == requests[0].client_port);
        CHECK(requests[2].client_port != requests[1].client_port);
        CHECK(pool.opened() == 2);
    }
}

TEST_CASE("A kept connection that gets no answer ends at the deadline; nothing is sent again",
          "[http][pool]") {
    ScriptedReply slow;
    slow.delay = 1500ms;
    RecordingHttpServer server(nth_request_gets(2, slow));
    asio::io_context io;
    ConnectionPool pool;
    REQUIRE(send(io, Method::get, server.url("/a"), &pool));
    const auto url = parse_url(server.url("/b"));
    REQUIRE(url);
    RequestOptions options;
    options.timeout = 300ms;
    options.pool = &pool;
    const std::vector<Header> no_headers;
    const std::string no_body;
    const auto start = std::chrono::steady_clock::now();
    const auto second = ledgerbot::testing::run_awaitable(
        io, request(io.get_executor(), Method::get, *url, no_headers, no_body, options));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(second);
    CHECK(second.error() == std::errc::timed_out);
    CHECK(elapsed < 1000ms);
    std::this_thread::sleep_for(1700ms);  // past the slow answer: a resend would have arrived
    CHECK(server.requests().size() == 2);
    CHECK(pool.idle() == 0);
}

TEST_CASE("A pool keeps at most its limit of idle connections per origin", "[http][pool]") {
    RecordingHttpServer server([](const RecordedRequest&) {
        ScriptedReply reply;
        reply.delay = 100ms;  // so that the three requests overlap
        return reply;
    });
    asio::io_context io;
    ConnectionPool::Limits limits;
    limits.idle_per_origin = 2;
    ConnectionPool pool(limits);
    const auto url = parse_url(server.url("/x"));
    REQUIRE(url);
    RequestOptions options;
    options.timeout = 3000ms;
    options.pool = &pool;
    const std::vector<Header> no_headers;
    const std::string no_body;
    int answered = 0;
    const asio::any_io_executor executor = io.get_executor();
    for (int i = 0; i < 3; ++i) {
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                auto answer =
                    co_await request(executor, Method::get, *url, no_headers, no_body, options);
                answered += answer ? 1 : 0;
            },
            asio::detached);
    }
    io.run();
    CHECK(answered == 3);
    CHECK(pool.opened() == 3);
    CHECK(pool.idle() == 2);
}
