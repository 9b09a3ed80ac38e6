// Ingest benchmark: posts valid signed callbacks with unique ids over keep-alive connections to
// ledgerbot in a child process (temp SQLite file, real HTTP on 127.0.0.1) and reports callbacks/s
// and latency percentiles for the whole ingest path: verify + decrypt + parse + durable inbox
// commit + 200. Prints figures; asserts nothing.
//
// The messages are what staff post: the visit reports of the corpus
// (tests/fixtures/visit_reports/cases), from staff of the demo directory, so every callback is
// also a report the engine records and answers. Besides the acknowledgement latency it measures
// the end-to-end time from the scheduled send to the answer handed to the sender, by watching
// the outbox: by default until the answer's outbox row is written (decided and durably queued);
// with --deliver until WeCom accepted it (a fake WeCom API in a process of its own, answering
// message/send after --wecom-latency-ms, and the row marked sent). With --compare-node it runs a
// plain Node receiver
// (bench/node_receiver: @wecom/crypto + node:http + group-commit fsync, no processing) under the
// same load, interleaved with ledgerbot, and prints the ratio.
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
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "adapters/generic/generic_adapter.hpp"
#include "adapters/wecom/callback_crypto.hpp"
#include "app/application.hpp"
#include "app/clock.hpp"
#include "bench/bench_corpus.hpp"
#include "bench/thread_cpu.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/sqlite_process.hpp"
#ifdef LEDGERBOT_BENCH_FAKE_WECOM
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/self_signed.hpp"
#endif

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

using ledgerbot::bench::company_names;
using ledgerbot::bench::load_messages;
using ledgerbot::bench::Messages;
using ledgerbot::bench::read_text;

const std::string kSecret = "bench-secret";
// WeCom's published sample credentials (wecom-protocol.md §2, V2).
const std::string kCorpId = "ww1436e0e65a779aee";
const std::string kToken = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
const std::string kAesKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
const std::string kAppSecret = "bench-app-secret";

struct Options {
    int connections = 16;
    double seconds = 5;
    double rate = 0;                 // 0 = closed loop
    std::string mode = "wecom-app";  // or "generic"
    bool compare_node = false;
    int rounds = 2;
    int companies = 2000;
    int staff = 0;  // account managers besides the demo's eight
    bool deliver = false;
    int wecom_latency_ms = 40;
    int delivery_concurrency = 0;  // 0 = the service's default
    bool wecom_tls = false;
    int wecom_keep_alive_seconds = -1;  // -1 = the service's default
};

// When each event was scheduled, for the end-to-end time its answer took.
struct Schedule {
    std::mutex mutex;
    std::map<std::string, Clock::time_point> sent;  // event id → scheduled send
    bool enabled = false;

    void note(const std::string& id, Clock::time_point at) {
        if (enabled) {
            std::lock_guard lock(mutex);
            sent.emplace(id, at);
        }
    }
};

// A WeCom app callback as WeCom sends it: a text message encrypted into the XML envelope, the
// signature in the query string. Returns {target, body}.
std::pair<std::string, std::string> wecom_request(
    const ledgerbot::adapters::wecom::CallbackCrypto& crypto, const std::string& msg_id,
    const std::string& text, const std::string& sender) {
    const std::string timestamp = std::to_string(std::time(nullptr));
    const std::string plaintext =
        "<xml><ToUserName><![CDATA[" + kCorpId + "]]></ToUserName><FromUserName><![CDATA[" +
        sender + "]]></FromUserName><CreateTime>" + timestamp +
        "</CreateTime><MsgType><![CDATA[text]]>"
        "</MsgType><Content><![CDATA[" +
        text + "]]></Content><MsgId>" + msg_id + "</MsgId><AgentID>1000002</AgentID></xml>";
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

std::string make_body(const std::string& id, const std::string& text, const std::string& sender) {
    nlohmann::json event{{"id", id},
                         {"type", "message"},
                         {"time", ledgerbot::bot::time::format_rfc3339(std::time(nullptr))},
                         {"chat", {{"id", "dm-" + sender}, {"type", "direct"}}},
                         {"sender", {{"id", sender}, {"name", sender}}},
                         {"text", text}};
    return event.dump();
}

asio::awaitable<void> run_connection(std::uint16_t port, int index, const Options& options,
                                     const Messages& messages, Schedule& schedule,
                                     std::uint64_t id_base, Clock::time_point start,
                                     Clock::time_point end, ConnectionStats& stats) {
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
        const std::string id = std::to_string(id_base + 1000000 * (index + 1) + n);
        const std::size_t pick = static_cast<std::size_t>(index) * 7919 + n;
        const std::string text = messages.text_for(pick);
        const std::string& sender = messages.senders[pick % messages.senders.size()];
        schedule.note(id, scheduled);
        http::request<http::string_body> request;
        request.version(11);
        request.method(http::verb::post);
        request.set(http::field::host, "127.0.0.1");
        if (options.mode == "generic") {
            const std::string body = make_body(id, text, sender);
            const std::string ts = std::to_string(std::time(nullptr));
            request.target("/hooks/generic");
            request.set(http::field::content_type, "application/json");
            request.set(ledgerbot::adapters::generic::kTimestampHeader, ts);
            request.set(ledgerbot::adapters::generic::kSignatureHeader,
                        ledgerbot::adapters::generic::sign(kSecret, ts, body));
            request.body() = body;
        } else {
            auto [target, body] = wecom_request(crypto, id, text, sender);
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

double percentile_of(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
    return sorted[index];
}

using ledgerbot::bench::CpuTime;

// Where the CPU of a round went while the load ran: the receiver's by part, the load
// generator's (the benchmark's main thread) and the machine's.
struct RoundCpu {
    std::map<std::string, CpuTime> receiver;
    CpuTime load_generator;
    ledgerbot::bench::MachineCpu machine;
};

struct RunResult {
    std::string target;
    double elapsed = 0;
    std::vector<double> latencies;  // sorted
    std::size_t errors = 0;
    std::vector<double> end_to_end;  // sorted; ledgerbot only
    double peak_rss_mb = 0;
    RoundCpu cpu;
};

// The service's threads by what they are for: acknowledging (the event loop, which verifies,
// decrypts and answers the callback; the inbox writer, which commits it) or processing (the
// read-ahead and store threads).
std::string ledgerbot_part(pid_t service, pid_t tid, const std::string& name) {
    if (tid == service) {
        return "event loop";
    }
    if (name == "lb-ingest") {
        return "inbox writer";
    }
    if (name == "lb-store" || name == "lb-read") {
        return "processing";
    }
    return "other";
}

RunResult run_load(std::uint16_t port, const Options& options, const Messages& messages,
                   Schedule& schedule, std::uint64_t id_base, pid_t receiver,
                   const std::function<std::string(pid_t, const std::string&)>& part) {
    using ledgerbot::bench::machine_cpu;
    using ledgerbot::bench::threads_of;
    const auto receiver_before = threads_of(receiver);
    const auto self_before = threads_of(getpid());
    const auto machine_before = machine_cpu();
    asio::io_context client_io(1);
    std::vector<ConnectionStats> stats(static_cast<std::size_t>(options.connections));
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    const auto end = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(options.seconds));
    for (int i = 0; i < options.connections; ++i) {
        asio::co_spawn(client_io,
                       run_connection(port, i, options, messages, schedule, id_base, start, end,
                                      stats[static_cast<std::size_t>(i)]),
                       asio::detached);
    }
    client_io.run();
    RunResult result;
    result.elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const auto machine_after = machine_cpu();
    result.cpu.receiver =
        ledgerbot::bench::used_between(receiver_before, threads_of(receiver), part);
    // The load is generated on this thread; the answer watch has a thread of its own.
    const pid_t self = getpid();
    result.cpu.load_generator = ledgerbot::bench::used_between(
        self_before, threads_of(self),
        [self](pid_t tid, const std::string&) { return tid == self ? "load" : "other"; })["load"];
    result.cpu.machine = {machine_after.busy_s - machine_before.busy_s,
                          machine_after.steal_s - machine_before.steal_s};
    for (auto& s : stats) {
        result.latencies.insert(result.latencies.end(), s.latencies_ms.begin(),
                                s.latencies_ms.end());
        result.errors += s.errors;
    }
    std::sort(result.latencies.begin(), result.latencies.end());
    return result;
}

void run_service(const ledgerbot::config::Settings& settings, int port_pipe) {
    ledgerbot::app::SystemClock clock;
    ledgerbot::app::Application application(settings, clock);
    const std::uint16_t port = application.start().port();
    // The answers go to WeCom, which the benchmark does not reach: each one is parked with an
    // error line. Quiet them; the figures are the output.
    spdlog::set_level(spdlog::level::critical);
    const std::string line = std::to_string(port) + "\n";
    (void)!write(port_pipe, line.data(), line.size());
    close(port_pipe);
    application.run(true);
}

// A child process that writes the port it listens on, then a newline, to the descriptor it is
// given (with `prefix` before the port); the child dies with the benchmark. Returns its pid and
// that port, or throws `failure` when no such line came.
std::pair<pid_t, std::uint16_t> fork_listening(const std::function<void(int)>& run_child,
                                               const std::string& prefix,
                                               const std::string& failure) {
    int out[2];
    if (pipe(out) != 0) {
        throw std::runtime_error("pipe");
    }
    const pid_t pid = fork();
    if (pid == 0) {
        close(out[0]);
        // A benchmark stopped by Ctrl-C or a timeout takes its children with it.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        try {
            run_child(out[1]);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", failure.c_str(), e.what());
            _exit(1);
        }
        _exit(0);
    }
    close(out[1]);
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') {
        line.push_back(c);
    }
    close(out[0]);
    if (line.size() <= prefix.size() || line.rfind(prefix, 0) != 0) {
        throw std::runtime_error(failure);
    }
    return {pid, static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())))};
}

// ledgerbot in a child process: the real Application on 127.0.0.1, its port read from a pipe,
// stopped by SIGTERM as systemd stops it.
class ServiceProcess {
public:
    explicit ServiceProcess(const ledgerbot::config::Settings& settings) {
        std::tie(pid_, port_) =
            fork_listening([&settings](int port_pipe) { run_service(settings, port_pipe); }, "",
                           "the service did not start");
    }
    ~ServiceProcess() { stop(); }
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

    // The service's resident set high-water mark, in MiB.
    double peak_rss_mb() const {
        std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("VmHWM:", 0) == 0) {
                return std::stod(line.substr(6)) / 1024.0;
            }
        }
        return 0;
    }

    void stop() const {
        if (pid_ > 0 && !stopped_) {
            ::kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
            stopped_ = true;
        }
    }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    mutable bool stopped_ = false;
};

// Watches the outbox for each event's first answer. Without delivery an answer is handed over
// when its outbox row appears; with delivery, when the row is marked sent (WeCom accepted it).
// The event's scheduled send time gives the end-to-end time.
class AnswerWatch {
public:
    AnswerWatch(const std::filesystem::path& db, Schedule& schedule, bool delivered)
        : db_(db), schedule_(schedule), delivered_(delivered), thread_([this] { watch(); }) {}
    ~AnswerWatch() { stop(); }

    std::vector<double> stop() {
        stopping_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
        std::sort(end_to_end_.begin(), end_to_end_.end());
        return end_to_end_;
    }

private:
    void answered(const std::string& event) {
        const auto now = Clock::now();
        std::lock_guard lock(schedule_.mutex);
        if (auto it = schedule_.sent.find(event); it != schedule_.sent.end()) {
            end_to_end_.push_back(
                std::chrono::duration<double, std::milli>(now - it->second).count());
            schedule_.sent.erase(it);
        }
    }

    void watch() {
        std::int64_t last = 0;
        std::map<std::int64_t, std::string> unsent;  // outbox id → event id
        // Keep looking a little after the load stops: answers still on their way count.
        Clock::time_point quiet_since = Clock::now();
        while (!stopping_ || Clock::now() - quiet_since < std::chrono::seconds(2)) {
            try {
                SQLite::Database db(db_.string(), SQLite::OPEN_READONLY);
                db.setBusyTimeout(1000);
                SQLite::Statement written(db,
                                          "SELECT o.id, i.dedup_key FROM outbox o JOIN inbox i "
                                          "ON i.id = o.inbox_id WHERE o.id > ? ORDER BY o.id");
                SQLite::Statement sent(db,
                                       "SELECT id FROM outbox WHERE id BETWEEN ? AND ? AND "
                                       "status = 'sent'");
                for (;;) {
                    bool any = false;
                    written.bind(1, last);
                    while (written.executeStep()) {
                        any = true;
                        last = written.getColumn(0).getInt64();
                        const std::string key = written.getColumn(1).getString();
                        std::string event = key.substr(key.rfind(':') + 1);
                        if (delivered_) {
                            unsent.emplace(last, std::move(event));
                        } else {
                            answered(event);
                        }
                    }
                    written.reset();
                    if (!unsent.empty()) {
                        sent.bind(1, unsent.begin()->first);
                        sent.bind(2, unsent.rbegin()->first);
                        while (sent.executeStep()) {
                            if (auto it = unsent.find(sent.getColumn(0).getInt64());
                                it != unsent.end()) {
                                any = true;
                                answered(it->second);
                                unsent.erase(it);
                            }
                        }
                        sent.reset();
                    }
                    if (any) {
                        quiet_since = Clock::now();
                    }
                    if (stopping_ && Clock::now() - quiet_since >= std::chrono::seconds(2)) {
                        return;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            } catch (const std::exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    }

    std::filesystem::path db_;
    Schedule& schedule_;
    bool delivered_ = false;
    std::atomic<bool> stopping_{false};
    std::vector<double> end_to_end_;
    std::thread thread_;
};

#ifdef LEDGERBOT_BENCH_FAKE_WECOM
// The fake WeCom API (tests/support) in a process of its own, as the platform is: it checks
// tokens, agent id and content as WeCom does and answers each message/send after `latency`.
class FakeWecomProcess {
public:
    /// `identity` set: the fake speaks HTTPS with it, as WeCom does.
    FakeWecomProcess(std::chrono::milliseconds latency,
                     const ledgerbot::testing::SelfSigned* identity) {
        std::string cert_pem;
        std::string key_pem;
        if (identity != nullptr) {
            cert_pem = identity->cert_pem();
            key_pem = identity->key_pem();
        }
        std::tie(pid_, port_) = fork_listening(
            [latency, &cert_pem, &key_pem](int port_pipe) {
                ledgerbot::testing::FakeWecomServer::Options fake;
                fake.corp_id = kCorpId;
                fake.secret = kAppSecret;
                fake.tls_cert_pem = cert_pem;
                fake.tls_key_pem = key_pem;
                ledgerbot::testing::FakeWecomServer server(fake);
                server.delay_next("/cgi-bin/message/send", 1 << 30, latency);
                const std::string line = std::to_string(server.port()) + "\n";
                (void)!write(port_pipe, line.data(), line.size());
                close(port_pipe);
                for (;;) {
                    pause();
                }
            },
            "", "the fake WeCom API did not start");
    }
    ~FakeWecomProcess() {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    FakeWecomProcess(const FakeWecomProcess&) = delete;
    FakeWecomProcess& operator=(const FakeWecomProcess&) = delete;
    std::uint16_t port() const { return port_; }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};
#endif

// The Node receiver as a child process; its port read from its first line.
class NodeReceiver {
public:
    explicit NodeReceiver(const std::filesystem::path& file) {
        std::tie(pid_, port_) = fork_listening(
            [&file](int port_pipe) {
                dup2(port_pipe, STDOUT_FILENO);
                const std::string script =
                    std::string(LEDGERBOT_SOURCE_DIR) + "/bench/node_receiver/receiver.js";
                execlp("node", "node", script.c_str(), "--token", kToken.c_str(), "--key",
                       kAesKey.c_str(), "--file", file.c_str(), static_cast<char*>(nullptr));
                _exit(127);
            },
            "listening ",
            "the Node receiver did not start (npm ci --prefix tests/adapters/wecom/oracle)");
    }
    ~NodeReceiver() {
        ::kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }
    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

double per_callback_us(double seconds, std::size_t callbacks) {
    return callbacks == 0 ? 0 : seconds * 1e6 / static_cast<double>(callbacks);
}

// CPU per acknowledged callback, by part, and how busy the machine was: a closed loop with the
// cores near full is bound by CPU, so these say what a faster receiver could gain.
void print_cpu(const RunResult& r) {
    const std::size_t n = r.latencies.size();
    const auto us = [n](double seconds) { return per_callback_us(seconds, n); };
    std::printf("  cpu per callback while the load ran:");
    CpuTime acknowledging;
    for (const char* part : {"event loop", "inbox writer"}) {
        if (const auto it = r.cpu.receiver.find(part); it != r.cpu.receiver.end()) {
            acknowledging += it->second;
        }
    }
    if (acknowledging.total_s() > 0) {
        const auto part_us = [&](const char* part) {
            const auto it = r.cpu.receiver.find(part);
            return it == r.cpu.receiver.end() ? 0.0 : us(it->second.total_s());
        };
        std::printf(
            " acknowledging %.0f us (event loop %.0f, inbox writer %.0f; in the kernel %.0f),"
            " processing %.0f us, other %.0f us;",
            us(acknowledging.total_s()), part_us("event loop"), part_us("inbox writer"),
            us(acknowledging.system_s), part_us("processing"), part_us("other"));
    } else {
        CpuTime all;
        for (const auto& [part, time] : r.cpu.receiver) {
            all += time;
        }
        std::printf(" receiver %.0f us (in the kernel %.0f);", us(all.total_s()), us(all.system_s));
    }
    const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
    std::printf(" load generator %.0f us; machine %.2f of %.0f cores busy, steal %.2f\n",
                us(r.cpu.load_generator.total_s()), r.cpu.machine.busy_s / r.elapsed, cores,
                r.cpu.machine.steal_s / r.elapsed);
}

// The CPU of all rounds of one target, for the ratio's ceiling.
struct CpuTotals {
    std::size_t callbacks = 0;
    CpuTime acknowledging;  // ledgerbot: event loop and inbox writer
    CpuTime receiver;       // all of the receiver
    CpuTime load_generator;
    double elapsed_s = 0;

    void add(const RunResult& r) {
        callbacks += r.latencies.size();
        elapsed_s += r.elapsed;
        load_generator += r.cpu.load_generator;
        for (const auto& [part, time] : r.cpu.receiver) {
            receiver += time;
            if (part == "event loop" || part == "inbox writer") {
                acknowledging += time;
            }
        }
    }
};

// What the cores allow: with the load generator on the same cores, a receiver acknowledges
// at most cores / (load generator's + its own CPU per callback). For ledgerbot that bound is
// printed as if processing took no CPU (it can be put off while callbacks pour in), and as if
// acknowledging cost only its kernel time (TCP and fsync, which no user-space change removes).
// The Node receiver is one thread: it is bound by that thread, not by the cores.
void print_ceiling(const CpuTotals& ledgerbot, const CpuTotals& node) {
    if (ledgerbot.callbacks == 0 || node.callbacks == 0 || node.elapsed_s <= 0) {
        return;
    }
    const double load =
        per_callback_us(ledgerbot.load_generator.total_s() + node.load_generator.total_s(),
                        ledgerbot.callbacks + node.callbacks);
    const double node_us = per_callback_us(node.receiver.total_s(), node.callbacks);
    const double ack_us = per_callback_us(ledgerbot.acknowledging.total_s(), ledgerbot.callbacks);
    const double ack_kernel_us =
        per_callback_us(ledgerbot.acknowledging.system_s, ledgerbot.callbacks);
    const double node_rate = static_cast<double>(node.callbacks) / node.elapsed_s;
    const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
    std::printf(
        "cpu per callback, all rounds: load generator %.0f us; node %.0f us (%.2f cores while "
        "its load ran); ledgerbot acknowledging %.0f us (in the kernel %.0f)\n",
        load, node_us, node.receiver.total_s() / node.elapsed_s, ack_us, ack_kernel_us);
    const double free_processing = cores * 1e6 / (load + ack_us);
    const double kernel_only = cores * 1e6 / (load + ack_kernel_us);
    std::printf(
        "bound where the %.0f cores are the limit: ledgerbot %.0f/s (%.2f x node) with processing "
        "put off; %.0f/s (%.2f x node) if acknowledging also cost only its kernel time\n",
        cores, free_processing, free_processing / node_rate, kernel_only, kernel_only / node_rate);
}

void print(const RunResult& r, const Options& options) {
    const double rate = static_cast<double>(r.latencies.size()) / r.elapsed;
    std::printf(
        "%-10s acknowledged %7zu (%7.0f/s), errors %zu; ack ms p50 %6.2f p99 %7.2f max %7.2f",
        r.target.c_str(), r.latencies.size(), rate, r.errors, percentile_of(r.latencies, 50),
        percentile_of(r.latencies, 99), r.latencies.empty() ? 0.0 : r.latencies.back());
    if (!r.end_to_end.empty()) {
        std::printf("; answer ms p50 %7.1f p99 %7.1f (%zu answers)",
                    percentile_of(r.end_to_end, 50), percentile_of(r.end_to_end, 99),
                    r.end_to_end.size());
    }
    if (r.peak_rss_mb > 0) {
        std::printf("; peak RSS %.0f MiB", r.peak_rss_mb);
    }
    std::printf("\n");
    print_cpu(r);
    (void)options;
}

}  // namespace

int main(int argc, char** argv) {
    // As ledgerbot's main does; the service is forked from this process.
    if (!ledgerbot::storage::configure_sqlite_process()) {
        std::fprintf(stderr, "SQLite was initialised before it could be configured\n");
    }
    Options options;
    CLI::App cli{"ledgerbot ingest benchmark: signed callbacks over keep-alive connections"};
    cli.add_option("--connections", options.connections, "concurrent keep-alive connections");
    cli.add_option("--seconds", options.seconds, "how long to send, per round");
    cli.add_option("--rate", options.rate, "total requests per second (0 = as fast as possible)");
    cli.add_option("--mode", options.mode,
                   "wecom-app (encrypted XML callbacks) or generic (HMAC JSON)")
        ->check(CLI::IsMember({"wecom-app", "generic"}));
    cli.add_flag("--compare-node", options.compare_node,
                 "also run the plain Node receiver, interleaved, and print the ratio");
    cli.add_option("--rounds", options.rounds, "rounds per target with --compare-node")
        ->check(CLI::Range(1, 20));
    cli.add_option("--companies", options.companies,
                   "companies on the registry; the reports are spread over them")
        ->check(CLI::Range(0, 2400));
    cli.add_option("--staff", options.staff,
                   "account managers posting besides the demo's eight (each gets the answers "
                   "to what they sent, in order)")
        ->check(CLI::Range(0, 6400));
    cli.add_flag("--deliver", options.deliver,
                 "deliver the answers to a fake WeCom API and measure until WeCom accepted "
                 "them (needs the test support library: a build with tests)");
    cli.add_option("--wecom-latency-ms", options.wecom_latency_ms,
                   "with --deliver: how long the fake WeCom takes to answer message/send")
        ->check(CLI::Range(0, 10000));
    cli.add_option("--delivery-concurrency", options.delivery_concurrency,
                   "with --deliver: [outbox] concurrency (default: the service's)")
        ->check(CLI::Range(1, 64));
    cli.add_flag("--wecom-tls", options.wecom_tls,
                 "with --deliver: the fake WeCom speaks HTTPS (a throw-away certificate the "
                 "service trusts through SSL_CERT_FILE), as WeCom does");
    cli.add_option("--wecom-keep-alive-seconds", options.wecom_keep_alive_seconds,
                   "with --deliver: [adapters.wecom] api_keep_alive_seconds (0 = a new "
                   "connection per call; default: the service's)")
        ->check(CLI::Range(0, 300));
    CLI11_PARSE(cli, argc, argv);
    if (options.deliver && options.mode != "wecom-app") {
        std::fprintf(stderr, "--deliver needs --mode wecom-app\n");
        return 2;
    }
#ifndef LEDGERBOT_BENCH_FAKE_WECOM
    if (options.deliver) {
        std::fprintf(stderr, "--deliver needs a build with tests (the fake WeCom API)\n");
        return 2;
    }
#endif
    if (options.compare_node && options.mode != "wecom-app") {
        std::fprintf(stderr, "--compare-node needs --mode wecom-app\n");
        return 2;
    }

    spdlog::set_level(spdlog::level::warn);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ledgerbot-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    Messages messages = load_messages();
    messages.companies = company_names(options.companies);
    messages.extra_staff = ledgerbot::bench::staff_names(options.staff);
    for (const auto& [id, name] : messages.extra_staff) {
        messages.senders.push_back(id);
    }
    {
        // Staff of the demo directory, so that the reports are recorded and answered, and a
        // registry of companies, each with a department and account manager of the demo.
        ledgerbot::storage::Database db(dir / "bench.db");
        if (!ledgerbot::bench::import_registry(db.sql(), messages)) {
            std::fprintf(stderr, "cannot import the registry\n");
            return 1;
        }
    }
    std::string toml =
        "[server]\nlisten_port = 0\nops_listen_port = 0\n[storage]\ndatabase_path = \"" +
        (dir / "bench.db").string() +
        "\"\n[log]\nlevel = \"error\"\n[schedule]\nenabled = false\n[adapters.generic]\nsecret = "
        "\"" +
        kSecret +
        "\"\nconsole_sink = \"\"\n[adapters.wecom]\nenabled = true\n"
        "corp_id = \"" +
        kCorpId + "\"\ntoken = \"" + kToken + "\"\nencoding_aes_key = \"" + kAesKey + "\"\n";
#ifdef LEDGERBOT_BENCH_FAKE_WECOM
    std::unique_ptr<FakeWecomProcess> wecom;
    std::unique_ptr<ledgerbot::testing::SelfSigned> identity;
    if (options.deliver) {
        if (options.wecom_tls) {
            identity = std::make_unique<ledgerbot::testing::SelfSigned>("IP:127.0.0.1");
            // OpenSSL's default verify paths read SSL_CERT_FILE: the service, forked below,
            // trusts this certificate alone, as it trusts the system store in production.
            const auto ca_file = dir / "wecom-ca.pem";
            std::ofstream(ca_file) << identity->cert_pem();
            setenv("SSL_CERT_FILE", ca_file.c_str(), 1);
        }
        // Forked before any thread exists, like the service.
        wecom = std::make_unique<FakeWecomProcess>(
            std::chrono::milliseconds(options.wecom_latency_ms), identity.get());
        toml += "secret = \"" + kAppSecret + "\"\nagent_id = 1000002\napi_base_url = " + "\"" +
                (identity ? "https" : "http") + "://127.0.0.1:" + std::to_string(wecom->port()) +
                "\"\n";
        if (options.wecom_keep_alive_seconds >= 0) {
            toml += "api_keep_alive_seconds = " + std::to_string(options.wecom_keep_alive_seconds) +
                    "\n";
        }
        // Eight people cannot be sent thousands of answers a minute; the limit per person is
        // lifted so that the figures show the service, not the limit.
        toml += "[outbox]\nrate_per_minute = 100000\n";
        if (options.delivery_concurrency > 0) {
            toml += "concurrency = " + std::to_string(options.delivery_concurrency) + "\n";
        }
    }
#endif
    auto settings = ledgerbot::config::load_settings_from_string(
        toml, "bench", [](std::string_view) { return std::nullopt; });
    // The service runs in its own process, as in production, so the load generator's CPU and
    // memory are not counted as the service's. Forked before any thread exists.
    const ServiceProcess service(settings);
    const std::uint16_t port = service.port();

    std::printf("ingest path: %s\n",
                options.mode == "generic"
                    ? "generic adapter (HMAC verify + JSON parse + durable inbox commit + 200)"
                    : "WeCom app callback (SHA1 verify + AES decrypt + XML parse + durable inbox "
                      "commit + 200)");
    std::printf(
        "messages: %zu visit reports of the corpus from %zu staff about %zu companies; %s, "
        "%d connections, %.1f s per round\n",
        messages.reports.size(), messages.senders.size(), messages.companies.size(),
        options.rate > 0 ? "open loop" : "closed loop", options.connections, options.seconds);
    if (options.rate > 0) {
        std::printf("offered rate: %.0f/s (latency from the scheduled send time)\n", options.rate);
    }
    std::printf(
        "answers: %s\n",
        options.deliver
            ? ("delivered to a fake WeCom API (" +
               std::string(options.wecom_tls ? "HTTPS" : "HTTP") + ", connections kept " +
               (options.wecom_keep_alive_seconds < 0
                    ? std::string("by default")
                    : std::to_string(options.wecom_keep_alive_seconds) + " s") +
               ") answering message/send in " + std::to_string(options.wecom_latency_ms) + " ms, " +
               (options.delivery_concurrency > 0 ? std::to_string(options.delivery_concurrency)
                                                 : std::string("default")) +
               " in flight; answer time until the notice is marked sent; no limit per "
               "person")
                  .c_str()
            : "until the answer's outbox row is written (not delivered: they park)");

    std::unique_ptr<NodeReceiver> node;
    if (options.compare_node) {
        node = std::make_unique<NodeReceiver>(dir / "node-received.jsonl");
    }
    double ledgerbot_rate = 0;
    double node_rate = 0;
    CpuTotals ledgerbot_cpu;
    CpuTotals node_cpu;
    std::uint64_t id_base = 0;
    const int rounds = options.compare_node ? options.rounds : 1;
    for (int round = 0; round < rounds; ++round) {
        {
            Schedule schedule;
            schedule.enabled = true;
            AnswerWatch watch(dir / "bench.db", schedule, options.deliver);
            const pid_t service_pid = service.pid();
            RunResult r = run_load(port, options, messages, schedule, id_base, service_pid,
                                   [service_pid](pid_t tid, const std::string& name) {
                                       return ledgerbot_part(service_pid, tid, name);
                                   });
            id_base += 100000000;
            r.target = "ledgerbot";
            r.end_to_end = watch.stop();
            r.peak_rss_mb = service.peak_rss_mb();
            ledgerbot_rate += static_cast<double>(r.latencies.size()) / r.elapsed;
            ledgerbot_cpu.add(r);
            print(r, options);
        }
        if (node) {
            Schedule schedule;
            RunResult r = run_load(node->port(), options, messages, schedule, id_base, node->pid(),
                                   [](pid_t, const std::string&) { return "node"; });
            id_base += 100000000;
            r.target = "node";
            node_rate += static_cast<double>(r.latencies.size()) / r.elapsed;
            node_cpu.add(r);
            print(r, options);
        }
    }
    if (node) {
        std::printf("mean acknowledged/s: ledgerbot %.0f, node %.0f; ratio %.2f\n",
                    ledgerbot_rate / rounds, node_rate / rounds,
                    node_rate > 0 ? ledgerbot_rate / node_rate : 0.0);
        print_ceiling(ledgerbot_cpu, node_cpu);
    }
    node.reset();
    service.stop();
    std::filesystem::remove_all(dir);
    return 0;
}
