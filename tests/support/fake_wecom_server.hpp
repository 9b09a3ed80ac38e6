#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/recording_http_server.hpp"

namespace ledgerbot::testing {

/// One request as the fake WeCom API saw it.
struct WecomCall {
    std::string method;
    std::string path;                          ///< without the query
    std::map<std::string, std::string> query;  ///< percent-decoded
    nlohmann::json body;                       ///< null when the body was empty or not JSON
    std::string raw_body;
    std::string content_type;
    std::uint16_t client_port = 0;  ///< the connection it came on
};

/// A temporary media file media/get serves (an image a staff member sent the app).
struct ServedMedia {
    std::string bytes;
    std::string content_type = "image/jpeg";
};

/// A file uploaded with media/upload.
struct UploadedMedia {
    std::string type;  ///< the query's type: file, image, voice, video
    std::string file_name;
    std::string bytes;
};

/// A fake WeCom server API on 127.0.0.1:<ephemeral>, speaking WeCom's wire format for the calls
/// ledgerbot makes: gettoken; externalcontact/groupchat/get and /list; message/send;
/// appchat/create, /update, /get, /send; media/upload; webhook/send and /upload_media; the
/// intelligent bot's response_url.
///
/// It keeps state (issued tokens, app chats, seeded customer groups, delivered messages),
/// checks what WeCom checks (corpid/secret, token validity with 40014/42001, agentid, members,
/// content limits, 20 webhook messages per minute per key with 45009) and records every request.
/// Faults are scripted per path and consumed in order: an errcode, a slow answer, or a dropped
/// connection for the next N calls. Thread-safe: requests are served on their own threads.
class FakeWecomServer {
public:
    struct Options {
        std::string corp_id = "ww-fake-corp";
        std::string secret = "fake-app-secret";
        std::int64_t agent_id = 1000002;
        std::string agent_name = "服务台账助手";
        /// agent/get's visible range (可见范围): users and departments.
        std::vector<std::string> visible_users{"zhangsan", "lisi"};
        std::vector<std::int64_t> visible_departments{2};
        int expires_in = 7200;
        int webhook_messages_per_minute = 20;
        /// Set both to speak HTTPS with this certificate, as WeCom does (base_url is https://).
        std::string tls_cert_pem;
        std::string tls_key_pem;
    };

    static constexpr const char* kAnyPath = "*";

    explicit FakeWecomServer(Options options);
    FakeWecomServer();
    ~FakeWecomServer();
    FakeWecomServer(const FakeWecomServer&) = delete;
    FakeWecomServer& operator=(const FakeWecomServer&) = delete;

    std::string base_url() const;
    std::uint16_t port() const;
    const Options& options() const { return options_; }

    // --- tokens ---
    void set_expires_in(int seconds);
    /// Every token issued so far answers 42001 (expired) from now on.
    void expire_tokens();
    /// Every token issued so far answers 40014 (invalid) from now on.
    void revoke_tokens();
    std::vector<std::string> issued_tokens() const;

    // --- directory and state ---
    /// The corp's staff userids. With none added every userid counts as valid.
    void add_staff(const std::vector<std::string>& userids);
    /// A customer group in groupchat/get's `group_chat` shape; `status` is what groupchat/list
    /// reports (0 normal, 1..3 owner left / inheritance). Seeding a chat_id again replaces that
    /// group, as a change in WeCom would.
    void seed_customer_group(const nlohmann::json& group_chat, int status = 0);
    /// An app chat that another app created: appchat calls on it answer 86008.
    void seed_foreign_app_chat(const std::string& chat_id);
    /// The `chat_info` of a chat created through appchat/create, as appchat/get would answer.
    std::optional<nlohmann::json> app_chat(const std::string& chat_id) const;
    void add_robot(const std::string& key);
    /// A fresh one-shot response_url on this server, as an intelligent-bot callback carries.
    std::string issue_response_url();
    /// media/get serves these bytes for `media_id` (Range requests answered 206, a file over
    /// 20 MB without a Range 830002); an unknown or expired id answers 40007 in JSON.
    void serve_media(const std::string& media_id, ServedMedia media);
    void expire_media(const std::string& media_id);
    /// Any other path GET serves these bytes as a file (the intelligent bot's encrypted image
    /// URLs, plain image URLs); returns the URL.
    std::string host_file(const std::string& path, std::string bytes,
                          std::string content_type = "application/octet-stream");

    // --- sign-in (web OAuth and QR login) ---
    /// Who "signs in" at the OAuth and QR login pages: they answer 302 to the redirect_uri with
    /// a fresh single-use code for this userid (5 minutes, as WeCom). `member` false: someone
    /// outside the corp, whose code auth/getuserinfo answers with an openid only. Empty userid
    /// (the default): the user refuses, the redirect carries no code.
    void set_sign_in_user(const std::string& userid, bool member = true);
    /// A code as the login pages would issue it, for tests that skip the browser part.
    std::string issue_sign_in_code(const std::string& userid, bool member = true);
    /// The host a redirect_uri must have (the app's 可信域名); empty = any.
    void set_trusted_domain(const std::string& host);

    // --- scripted faults, for the next `count` calls to `path` (or kAnyPath) ---
    void fail_next(const std::string& path, int count, int errcode);
    void delay_next(const std::string& path, int count, std::chrono::milliseconds delay);
    void drop_next(const std::string& path, int count);

    // --- what arrived ---
    std::vector<WecomCall> calls() const;
    std::vector<WecomCall> calls_to(const std::string& path) const;
    std::size_t count(const std::string& path) const;
    /// Blocks until `count` calls to `path` arrived or `timeout` passed; returns the count.
    std::size_t wait_for(const std::string& path, std::size_t count,
                         std::chrono::milliseconds timeout) const;
    /// Bodies of messages WeCom would have delivered (accepted sends only).
    std::vector<nlohmann::json> webhook_messages(const std::string& key) const;
    std::vector<nlohmann::json> app_messages() const;
    std::vector<nlohmann::json> appchat_messages(const std::string& chat_id) const;
    std::vector<nlohmann::json> bot_replies() const;
    /// A file uploaded with media/upload, by its media_id.
    std::optional<UploadedMedia> media(const std::string& media_id) const;

private:
    struct Fault {
        std::string path;
        int remaining = 0;
        std::optional<int> errcode;
        std::chrono::milliseconds delay{0};
        bool drop = false;
    };
    struct Token {
        std::chrono::steady_clock::time_point expires;
        bool expired = false;
        bool revoked = false;
    };
    struct AppChatState {
        nlohmann::json info;
        bool ours = true;
        std::vector<nlohmann::json> messages;
    };

    ScriptedReply handle(const RecordedRequest& request);
    nlohmann::json dispatch(const WecomCall& call);
    std::optional<int> check_token(const WecomCall& call) const;
    bool known_user(const std::string& userid) const;

    nlohmann::json gettoken(const WecomCall& call);
    nlohmann::json groupchat_get(const WecomCall& call) const;
    nlohmann::json groupchat_list(const WecomCall& call) const;
    nlohmann::json message_send(const WecomCall& call);
    nlohmann::json appchat_create(const WecomCall& call);
    nlohmann::json appchat_update(const WecomCall& call);
    nlohmann::json appchat_get(const WecomCall& call) const;
    nlohmann::json agent_get(const WecomCall& call) const;
    nlohmann::json appchat_send(const WecomCall& call);
    nlohmann::json webhook_send(const WecomCall& call);
    nlohmann::json media_upload(const WecomCall& call);
    /// 40007 for a file message whose media_id was never uploaded, else 0.
    int check_media(const nlohmann::json& body) const;
    nlohmann::json bot_response(const WecomCall& call);
    /// media/get and hosted files answer with bytes, not JSON.
    std::optional<ScriptedReply> file_reply(const WecomCall& call, const RecordedRequest& request);
    /// The OAuth authorize and QR login pages: 302 back to the redirect_uri.
    std::optional<ScriptedReply> login_page_reply(const WecomCall& call);
    nlohmann::json auth_getuserinfo(const WecomCall& call);
    std::string issue_code_locked(const std::string& userid, bool member);
    struct SignInCode {
        std::string userid;
        bool member = true;
        std::chrono::steady_clock::time_point expires;
        bool used = false;
    };

    Options options_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<WecomCall> calls_;
    std::vector<Fault> faults_;
    std::map<std::string, Token> tokens_;
    int next_token_ = 1;
    int next_chat_ = 1;
    int next_msgid_ = 1;
    int next_response_code_ = 1;
    std::set<std::string> staff_;
    std::vector<std::pair<nlohmann::json, int>> customer_groups_;
    std::map<std::string, AppChatState> app_chats_;
    std::set<std::string> robots_;
    std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> webhook_times_;
    std::map<std::string, std::vector<nlohmann::json>> webhook_messages_;
    std::vector<nlohmann::json> app_messages_;
    std::map<std::string, bool> response_codes_;  ///< code → used
    std::vector<nlohmann::json> bot_replies_;
    std::map<std::string, UploadedMedia> media_;
    std::map<std::string, ServedMedia> served_media_;
    std::map<std::string, std::pair<std::string, std::string>> hosted_files_;
    std::string sign_in_user_;
    bool sign_in_member_ = true;
    std::string trusted_domain_;
    std::map<std::string, SignInCode> sign_in_codes_;
    int next_sign_in_code_ = 1;
    std::unique_ptr<RecordingHttpServer> server_;  ///< declared last: destroyed (stopped) first
};

}  // namespace ledgerbot::testing
