#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/outcome.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/http/connection_pool.hpp"
#include "adapters/http/http_client.hpp"
#include "adapters/wecom/api_error.hpp"
#include "adapters/wecom/message_splitter.hpp"

namespace ledgerbot::adapters::wecom {

template <class T>
using Result = boost::outcome_v2::std_result<T>;

struct ApiClientSettings {
    /// Tests point this at the fake server; a path prefix is kept (`http://127.0.0.1:9/x`).
    std::string base_url = "https://qyapi.weixin.qq.com";
    std::string corp_id;
    std::string secret;  ///< the self-built app's secret; never logged
    /// The app the secret belongs to; message/send needs it, the other calls do not.
    std::int64_t agent_id = 0;
    std::chrono::milliseconds request_timeout{10000};
    /// How long a connection may idle and still be used again; zero: a new one per call.
    std::chrono::milliseconds keep_alive{15000};
    /// errcode -1: attempts in all (WeCom: retry at most 3 times) and the first backoff,
    /// doubled after each attempt.
    int busy_attempts = 3;
    std::chrono::milliseconds busy_backoff{1000};
    /// Refresh this long before the token expires (at most half its lifetime).
    std::chrono::seconds token_refresh_margin{60};
    int webhook_messages_per_minute = 20;
    /// TLS settings for https; nullptr means http_client::default_tls_context().
    boost::asio::ssl::context* tls_context = nullptr;
};

/// Milliseconds since an arbitrary fixed point; only differences matter.
using MillisClock = std::function<std::int64_t()>;

/// `file`: content is the media_id of an uploaded file (media/upload).
enum class MessageFormat { text, markdown, file };

struct MessageContent {
    MessageFormat format = MessageFormat::text;
    std::string content;
};

/// A downloaded media file (media/get).
struct MediaDownload {
    std::string content_type;  ///< as WeCom labels it; the bytes decide what it is
    std::string bytes;
};

/// media/get refuses files over 20 MB without a Range header (830002).
inline constexpr std::int64_t kMediaChunkBytes = 20LL << 20;

/// A file to upload as temporary media (media/upload, valid three days).
struct MediaFile {
    std::string file_name;  ///< UTF-8, shown to the people who receive it
    std::string bytes;
};

/// externalcontact/groupchat/get member_list[] (doc 96338).
struct GroupChatMember {
    std::string userid;
    int type = 0;  ///< 1 enterprise member, 2 external contact
    std::int64_t join_time = 0;
    int join_scene = 0;   ///< 1 invited directly, 2 invite link, 3 QR code; others are possible
    std::string invitor;  ///< empty when WeCom does not say (QR joins)
    std::string group_nickname;
    std::string name;  ///< only with need_name
    std::string unionid;

    bool operator==(const GroupChatMember&) const = default;
};

struct GroupChat {
    std::string chat_id;
    std::string name;
    std::string owner;
    std::int64_t create_time = 0;
    std::string notice;
    std::vector<GroupChatMember> members;
    std::vector<std::string> admins;
    std::string member_version;  ///< equals the change event's CurMemVer after that change
};

struct GroupChatListRequest {
    /// 0 all, 1 owner left (awaiting inheritance), 2 inheritance in progress, 3 inherited.
    int status_filter = 0;
    std::vector<std::string> owner_userids;  ///< empty: every owner in the app's scope
    std::string cursor;                      ///< empty for the first page
    int limit = 100;                         ///< 1..1000
};

struct GroupChatSummary {
    std::string chat_id;
    int status = 0;
};

struct GroupChatPage {
    std::vector<GroupChatSummary> chats;
    std::string next_cursor;  ///< empty on the last page
};

struct MessageSendResult {
    std::string msgid;
    /// Recipients WeCom refused while accepting the rest (errcode 0 with `invaliduser`).
    std::vector<std::string> invalid_users;
};

/// agent/get: the app as the admin console set it up.
struct AgentInfo {
    std::int64_t agent_id = 0;
    std::string name;
    std::vector<std::string> visible_users;  ///< 可见范围: users named one by one
    std::size_t visible_departments = 0;     ///< … and whole departments
    std::size_t visible_tags = 0;
    bool closed = false;  ///< the app is disabled (停用)
};

struct AppChat {
    std::string chat_id;
    std::string name;
    std::string owner;
    std::vector<std::string> members;
    int chat_type = 0;
};

struct AppChatCreate {
    std::string name;
    std::string owner;                 ///< empty: WeCom picks one of the members
    std::vector<std::string> members;  ///< 2..2000 userids
    std::string chat_id;               ///< empty: WeCom assigns one
};

struct AppChatUpdate {
    std::string chat_id;
    std::optional<std::string> name;
    std::optional<std::string> owner;
    std::vector<std::string> add_members;
    std::vector<std::string> remove_members;
};

/// The WeCom server API for one self-built app (one corp_id + secret): access-token cache,
/// errcode handling and the typed calls the bot uses.
///
/// - The access token is fetched on first use, reused, and refreshed `token_refresh_margin`
///   before it expires. Concurrent callers share one in-flight gettoken (single flight).
/// - errcode 40014/42001/40001 on a call: the token is dropped, refreshed, and the call retried
///   once. errcode -1: retried with exponential backoff, `busy_attempts` in all.
///   45009/45033: returned at once (`== ApiCondition::rate_limited`) for the caller to back off.
///   Everything else: returned as an error in api_category() whose value is the errcode.
/// - Network errors are returned, not retried here: the outbox dispatcher retries deliveries
///   with its own backoff, and a send that timed out may have been delivered.
///
/// Not thread-safe: use it from one thread (the service's io_context runs on one). It must
/// outlive every call in flight. Arguments are references the caller keeps alive across the
/// co_await (GCC 12: no temporaries inside co_await expressions).
class ApiClient {
public:
    /// Throws std::invalid_argument for a base_url that is not http(s) (a startup error).
    ApiClient(boost::asio::any_io_executor executor, ApiClientSettings settings,
              MillisClock clock = {});
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    const ApiClientSettings& settings() const { return settings_; }

    /// A valid access token, fetched or refreshed when needed.
    boost::asio::awaitable<Result<std::string>> access_token();
    /// Forgets the cached token if it is still `token`, so the next call fetches a new one.
    void invalidate_token(const std::string& token);

    /// externalcontact/groupchat/get: a customer group with members (names with need_name).
    boost::asio::awaitable<Result<GroupChat>> groupchat_get(const std::string& chat_id,
                                                            bool need_name);
    /// externalcontact/groupchat/list: one page of customer groups, for the periodic full
    /// re-sync (change callbacks can be lost).
    boost::asio::awaitable<Result<GroupChatPage>> groupchat_list(
        const GroupChatListRequest& request);

    /// message/send: an app message to staff (agent_id from the settings). Content must fit
    /// kTextLimitBytes / kAppMarkdownLimitBytes; split longer texts before calling.
    boost::asio::awaitable<Result<MessageSendResult>> message_send(
        const std::vector<std::string>& to_users, const MessageContent& content);

    /// appchat/create: a group owned by this app; returns its chatid.
    boost::asio::awaitable<Result<std::string>> appchat_create(const AppChatCreate& request);
    boost::asio::awaitable<Result<void>> appchat_update(const AppChatUpdate& request);
    boost::asio::awaitable<Result<AppChat>> appchat_get(const std::string& chat_id);
    /// agent/get for the configured agent_id (doctor: the app exists, is on, who can see it).
    boost::asio::awaitable<Result<AgentInfo>> agent_get();
    /// auth/getuserinfo: the member a sign-in code (web OAuth or QR login) stands for. A code is
    /// good once, for five minutes (40029 otherwise). Someone outside the corp has only an
    /// openid: their userid comes back empty. `code` must be URL-safe (the caller checks).
    boost::asio::awaitable<Result<std::string>> auth_getuserinfo(const std::string& code);
    /// appchat/send to a group this app created. Same limits as message_send.
    boost::asio::awaitable<Result<void>> appchat_send(const std::string& chat_id,
                                                      const MessageContent& content);

    /// media/upload?type=file: a temporary file (multipart/form-data, field "media"), for a
    /// `file` message; returns its media_id.
    boost::asio::awaitable<Result<std::string>> media_upload(const MediaFile& file);
    /// media/get: a temporary media file's bytes (a media id is valid three days). Files over
    /// 20 MB are read in Range chunks of at most kMediaChunkBytes. An answer in JSON is an
    /// error, recognised by its content type: 40007 when the media id has expired. More than
    /// `max_bytes` is ClientError::media_too_large.
    boost::asio::awaitable<Result<MediaDownload>> media_get(const std::string& media_id,
                                                            std::int64_t max_bytes);
    /// webhook/upload_media?key=…&type=file: a file for the robot's own `file` message (a
    /// robot cannot send media uploaded by the app).
    boost::asio::awaitable<Result<std::string>> webhook_upload_media(const std::string& key,
                                                                     const MediaFile& file);

    /// webhook/send for the robot with `key` (no access token). Content over the type's limit
    /// (2048 bytes text, 4096 markdown) is split with split_message and sent in order; the
    /// mentions go with the first text part (markdown mentions are inline `<@userid>`).
    /// Refuses with ClientError::rate_limited_locally, before sending anything, when the
    /// parts do not fit the robot's budget for the last minute.
    boost::asio::awaitable<Result<void>> webhook_send(const std::string& key,
                                                      const MessageContent& content,
                                                      const std::vector<std::string>& mentions);

    /// Intelligent-bot reply through a callback's response_url (usable once, valid one hour).
    /// The URL must be on the configured API origin: it comes from a callback, and posting to
    /// wherever a callback points would make the bot a request forwarder.
    boost::asio::awaitable<Result<void>> response_url_reply(const std::string& response_url,
                                                            const std::string& markdown);

private:
    boost::asio::awaitable<Result<void>> refresh_token();
    /// An API call with `?access_token=…&query`, with the token-rejection retry.
    /// `headers` replace the JSON content type where a call sends something else.
    boost::asio::awaitable<Result<nlohmann::json>> call_with_token(
        http_client::Method method, const std::string& path, const std::string& query,
        const std::string& body, const std::vector<http_client::Header>& headers = kJsonBody);
    /// One call to `url` with the system-busy retries.
    boost::asio::awaitable<Result<nlohmann::json>> call(
        http_client::Method method, const http_client::Url& url, const std::string& log_path,
        const std::string& body, const std::vector<http_client::Header>& headers = kJsonBody);
    boost::asio::awaitable<Result<nlohmann::json>> call_once(
        http_client::Method method, const http_client::Url& url, const std::string& body,
        const std::vector<http_client::Header>& headers);
    /// No extra headers: the client's default JSON content type.
    static inline const std::vector<http_client::Header> kJsonBody{};
    http_client::Url api_url(const std::string& path, const std::string& query) const;
    /// media/upload's body: one multipart/form-data part named "media" with the file, and the
    /// content type that names its boundary.
    struct Multipart {
        std::string body;
        std::vector<http_client::Header> headers;
    };
    Multipart multipart_media(const MediaFile& file) const;
    std::int64_t now_ms() const;
    /// Messages left in the webhook budget for `key`, after forgetting sends older than 60 s.
    int webhook_budget(const std::string& key);

    boost::asio::any_io_executor executor_;
    ApiClientSettings settings_;
    MillisClock clock_;
    http_client::Url base_;
    std::string base_prefix_;  ///< base_url's path without the trailing slash
    /// Kept connections to WeCom: an answer does not wait for a TLS handshake. Null when
    /// settings_.keep_alive is zero.
    std::unique_ptr<http_client::ConnectionPool> pool_;
    http_client::RequestOptions request_options_;

    std::string token_;
    std::int64_t token_refresh_at_ms_ = 0;
    std::int64_t token_expires_at_ms_ = 0;
    bool refreshing_ = false;
    std::uint64_t refresh_generation_ = 0;
    std::error_code last_refresh_error_;
    /// Never expires; cancelled when a refresh ends, which wakes every waiting caller.
    boost::asio::steady_timer refresh_done_;

    std::map<std::string, std::deque<std::int64_t>> webhook_sends_;
};

}  // namespace ledgerbot::adapters::wecom
