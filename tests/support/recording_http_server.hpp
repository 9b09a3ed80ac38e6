#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ledgerbot::testing {

struct RecordedRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;
    std::string body;
    std::uint16_t client_port = 0;  ///< the connection it came on: tests tell connections apart
};

struct ScriptedReply {
    unsigned status = 200;
    std::string body = "{}";
    std::string content_type = "application/json";
    std::chrono::milliseconds delay{0};
    bool drop_connection = false;    ///< close without answering
    bool close_after_reply = false;  ///< answer with `Connection: close`, then close
    std::vector<std::pair<std::string, std::string>> headers{};  ///< besides Content-Type
};

/// A real HTTP/1.1 server on 127.0.0.1:<ephemeral> that records every request and answers with
/// what the responder returns. The basis of the fake chat bridge and the fake WeCom API: tests
/// talk to it over real sockets, so nothing skips the wire.
class RecordingHttpServer {
public:
    using Responder = std::function<ScriptedReply(const RecordedRequest&)>;

    explicit RecordingHttpServer(Responder responder = {});
    ~RecordingHttpServer();

    std::uint16_t port() const { return port_; }
    /// http://127.0.0.1:<port>, or https:// after use_tls.
    std::string base_url() const;
    std::string url(const std::string& path) const;
    void set_responder(Responder responder);
    /// Closes a kept-alive connection once it has been idle this long, as servers do at their
    /// keep-alive timeout. Zero (the default) keeps it open until the client closes it.
    void close_idle_after(std::chrono::milliseconds idle);
    /// Speaks HTTPS with this certificate (PEM) from now on; call before the first request.
    void use_tls(const std::string& cert_pem, const std::string& key_pem);

    std::vector<RecordedRequest> requests() const;
    /// Blocks until at least `count` requests arrived or `timeout` passed; returns the count.
    std::size_t wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint16_t port_ = 0;
};

}  // namespace ledgerbot::testing
