// Ingest benchmark: posts valid signed callbacks with unique ids over keep-alive connections to
// an in-process ledgerbot (temp SQLite file, real HTTP on 127.0.0.1) and reports callbacks/s and
// latency percentiles for the whole ingest path: verify + decrypt + parse + durable inbox
// commit + 200. Prints figures; asserts nothing.
//
// Closed loop (default): every connection sends its next request as soon as the previous one
// is answered — the maximum sustainable throughput. Open loop (--rate R): requests are scheduled
// at R per second in total and latency is measured from the scheduled send time, so a stalled
// server shows up in the percentiles instead of silently slowing the load (coordinated
// omission).
#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/generic/generic_adapter.hpp"
#include "adapters/wecom/callback_crypto.hpp"
#include "app/application.hpp"
#include "app/clock.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSecret = "bench-secret";
// WeCom's published sample credentials (wecom-protocol.md §2, V2).
const std::string kCorpId = "ww1436e0e65a779aee";
const std::string kToken = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
const std::string kAesKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

struct Options {
    int connections = 16;
    double seconds = 5;
    double rate = 0;  // 0 = closed loop
    std::string text = "benchmark message";
    std::string mode = "wecom-app";  // or "generic"
};

// A WeCom app callback as WeCom sends it: a text message encrypted into the XML envelope, the
// signature in the query string. Returns {target, body}.
std::pair<std::string, std::string> wecom_request(
    const ledgerbot::adapters::wecom::CallbackCrypto& crypto, const std::string& msg_id,
    const std::string& text) {
    const std::string timestamp = std::to_string(std::time(nullptr));
    const std::string plaintext = "<xml><ToUserName><![CDATA[" + kCorpId +
                                  "]]></ToUserName><FromUserName><![CDATA[bench]]>"
                                  "</FromUserName><CreateTime>" +
                                  timestamp +
                                  "</CreateTime><MsgType><![CDATA[text]]>"
                                  "</MsgType><Content><![CDATA[" +
                                  text + "]]></Content><MsgId>" + msg_id +
                                  "</MsgId><AgentID>1000002</AgentID></xml>";
    const std::string encrypt = crypto.encrypt(plaintext);
    const std::string nonce = "bench" + msg_id;
    const std::string signature = crypto.signature(timestamp, nonce, encrypt);
    return {"/wecom/app?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce,
            "<xml><ToUserName><![CDATA[" + kCorpId + "]]></ToUserName><Encrypt><![CDATA[" +
                encrypt + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"};
}

struct ConnectionStats {
    std::vector<double> latencies_ms;
    std::size_t errors = 0;
};

std::string make_body(const std::string& id, const std::string& text) {
    nlohmann::json event{{"id", id},
                         {"type", "message"},
                         {"time", ledgerbot::bot::time::format_rfc3339(std::time(nullptr))},
                         {"chat", {{"id", "bench-chat"}, {"name", "bench"}}},
                         {"sender", {{"id", "bench-user"}, {"name", "bench"}}},
                         {"text", text}};
    return event.dump();
}

asio::awaitable<void> run_connection(std::uint16_t port, int index, const Options& options,
                                     Clock::time_point start, Clock::time_point end,
                                     ConnectionStats& stats) {
    auto executor = co_await asio::this_coro::executor;
    beast::tcp_stream stream(executor);
    beast::error_code ec;
    const asio::ip::tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), port};
    co_await stream.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        ++stats.errors;
        co_return;
    }
    beast::flat_buffer buffer;
    asio::steady_timer timer(executor);
    const auto crypto =
        ledgerbot::adapters::wecom::CallbackCrypto::create(kToken, kAesKey, kCorpId).value();
    const double per_connection_rate = options.rate / options.connections;
    const auto interval = per_connection_rate > 0
                              ? std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(1.0 / per_connection_rate))
                              : Clock::duration::zero();
    // Spread the connections' schedules over one interval so they do not fire in lockstep.
    auto next = start + interval * index / std::max(1, options.connections);
    for (std::uint64_t n = 0;; ++n) {
        Clock::time_point scheduled = Clock::now();
        if (interval.count() > 0) {
            scheduled = next;
            next += interval;
            if (scheduled > Clock::now()) {
                timer.expires_at(scheduled);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
        }
        if (scheduled >= end) {
            break;
        }
        const std::string id = std::to_string(1000000 * (index + 1) + n);
        http::request<http::string_body> request;
        request.version(11);
        request.method(http::verb::post);
        request.set(http::field::host, "127.0.0.1");
        if (options.mode == "generic") {
            const std::string body = make_body(id, options.text);
            const std::string ts = std::to_string(std::time(nullptr));
            request.target("/hooks/generic");
            request.set(http::field::content_type, "application/json");
            request.set(ledgerbot::adapters::generic::kTimestampHeader, ts);
            request.set(ledgerbot::adapters::generic::kSignatureHeader,
                        ledgerbot::adapters::generic::sign(kSecret, ts, body));
            request.body() = body;
        } else {
            auto [target, body] = wecom_request(crypto, id, options.text);
            request.target(target);
            request.set(http::field::content_type, "text/xml");
            request.body() = std::move(body);
        }
        request.prepare_payload();
        co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
        http::response<http::string_body> response;
        if (!ec) {
            co_await http::async_read(stream, buffer, response,
                                      asio::redirect_error(asio::use_awaitable, ec));
        }
        if (ec || response.result_int() != 200) {
            ++stats.errors;
            if (ec) {
                co_return;
            }
            continue;
        }
        stats.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - scheduled).count());
    }
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
    return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App cli{"ledgerbot ingest benchmark: signed callbacks over keep-alive connections"};
    cli.add_option("--connections", options.connections, "concurrent keep-alive connections");
    cli.add_option("--seconds", options.seconds, "how long to send");
    cli.add_option("--rate", options.rate, "total requests per second (0 = as fast as possible)");
    cli.add_option("--mode", options.mode,
                   "wecom-app (encrypted XML callbacks) or generic (HMAC JSON)")
        ->check(CLI::IsMember({"wecom-app", "generic"}));
    CLI11_PARSE(cli, argc, argv);

    spdlog::set_level(spdlog::level::warn);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ledgerbot-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    const std::string toml =
        "[server]\nlisten_port = 0\n[storage]\ndatabase_path = \"" + (dir / "bench.db").string() +
        "\"\n[log]\nlevel = \"warn\"\n[adapters.generic]\nsecret = \"" + kSecret +
        "\"\nconsole_sink = \"\"\n[adapters.wecom]\nenabled = true\n"
        "corp_id = \"" +
        kCorpId + "\"\ntoken = \"" + kToken + "\"\nencoding_aes_key = \"" + kAesKey + "\"\n";
    auto settings = ledgerbot::config::load_settings_from_string(
        toml, "bench", [](std::string_view) { return std::nullopt; });
    ledgerbot::app::SystemClock clock;
    ledgerbot::app::Application application(settings, clock);
    const std::uint16_t port = application.start().port();
    std::thread server([&] { application.run(false); });

    asio::io_context client_io(1);
    std::vector<ConnectionStats> stats(static_cast<std::size_t>(options.connections));
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    const auto end = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(options.seconds));
    for (int i = 0; i < options.connections; ++i) {
        asio::co_spawn(
            client_io,
            run_connection(port, i, options, start, end, stats[static_cast<std::size_t>(i)]),
            asio::detached);
    }
    client_io.run();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    std::vector<double> all;
    std::size_t errors = 0;
    for (auto& s : stats) {
        all.insert(all.end(), s.latencies_ms.begin(), s.latencies_ms.end());
        errors += s.errors;
    }
    std::sort(all.begin(), all.end());
    application.request_shutdown();
    server.join();

    std::printf("ingest path: %s\n",
                options.mode == "generic"
                    ? "generic adapter (HMAC verify + JSON parse + durable inbox commit + 200)"
                    : "WeCom app callback (SHA1 verify + AES decrypt + XML parse + durable inbox "
                      "commit + 200)");
    std::printf("mode: %s, %d connections, %.1f s\n",
                options.rate > 0 ? "open loop" : "closed loop", options.connections, elapsed);
    if (options.rate > 0) {
        std::printf("target rate: %.0f/s\n", options.rate);
    }
    std::printf("acknowledged: %zu (%.0f callbacks/s), errors: %zu\n", all.size(),
                static_cast<double>(all.size()) / elapsed, errors);
    std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", percentile(all, 50),
                percentile(all, 90), percentile(all, 99), all.empty() ? 0.0 : all.back());
    std::filesystem::remove_all(dir);
    return 0;
}
