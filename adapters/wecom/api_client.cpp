#include "adapters/wecom/api_client.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

namespace ledgerbot::adapters::wecom {

namespace asio = boost::asio;
using http_client::Method;
using nlohmann::json;

namespace {

constexpr std::int64_t kWebhookWindowMs = 60'000;

/// Eight hex digits of SHA-256: enough to tell tokens apart in logs, useless to an attacker.
std::string fingerprint(const std::string& secret) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(secret.data(), secret.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        return "?";
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < 4 && i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0F];
    }
    return out;
}

std::string string_field(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A call's answer reduced to one string it must carry (a created chat's id, an upload's
/// media_id); its absence is an invalid response.
Result<std::string> required_string(Result<json> answer, const char* key) {
    if (!answer) {
        return answer.error();
    }
    std::string value = string_field(answer.value(), key);
    if (value.empty()) {
        return make_error_code(ClientError::invalid_response);
    }
    return value;
}

std::int64_t integer_field(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::vector<std::string> string_list(const json& object, const char* key) {
    std::vector<std::string> out;
    const auto it = object.find(key);
    if (it != object.end() && it->is_array()) {
        for (const auto& item : *it) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

/// message/send answers refused recipients as one "a|b|c" string.
std::vector<std::string> split_bars(const std::string& joined) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < joined.size()) {
        const std::size_t bar = std::min(joined.find('|', start), joined.size());
        if (bar > start) {
            out.push_back(joined.substr(start, bar - start));
        }
        start = bar + 1;
    }
    return out;
}

std::string join_bars(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += '|';
        }
        out += item;
    }
    return out;
}

std::size_t app_limit(MessageFormat format) {
    return format == MessageFormat::text ? kTextLimitBytes : kAppMarkdownLimitBytes;
}

const char* msgtype(MessageFormat format) {
    switch (format) {
        case MessageFormat::text:
            return "text";
        case MessageFormat::markdown:
            return "markdown";
        case MessageFormat::file:
            return "file";
    }
    return "text";
}

/// Adds `"msgtype": …, "<msgtype>": {"content": …}` — the shape every send call shares; a
/// file message carries `{"media_id": …}` instead.
void put_content(json& body, MessageFormat format, const std::string& content) {
    body["msgtype"] = msgtype(format);
    body[msgtype(format)] = {{format == MessageFormat::file ? "media_id" : "content", content}};
}

std::error_code check_content(const MessageContent& content, std::size_t limit) {
    if (content.content.empty()) {
        return make_error_code(ClientError::empty_content);
    }
    if (content.content.size() > limit) {
        return make_error_code(ClientError::content_too_long);
    }
    return {};
}

GroupChatMember parse_member(const json& item) {
    GroupChatMember member;
    member.userid = string_field(item, "userid");
    member.type = static_cast<int>(integer_field(item, "type"));
    member.join_time = integer_field(item, "join_time");
    member.join_scene = static_cast<int>(integer_field(item, "join_scene"));
    if (const auto invitor = item.find("invitor"); invitor != item.end() && invitor->is_object()) {
        member.invitor = string_field(*invitor, "userid");
    }
    member.group_nickname = string_field(item, "group_nickname");
    member.name = string_field(item, "name");
    member.unionid = string_field(item, "unionid");
    return member;
}

}  // namespace

ApiClient::ApiClient(asio::any_io_executor executor, ApiClientSettings settings, MillisClock clock)
    : executor_(std::move(executor)),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      refresh_done_(executor_) {
    auto base = http_client::parse_url(settings_.base_url);
    if (!base) {
        throw std::invalid_argument("WeCom API base_url must be an http(s) URL: " +
                                    settings_.base_url);
    }
    base_ = *base;
    base_prefix_ = base_.target.substr(0, base_.target.find('?'));
    while (!base_prefix_.empty() && base_prefix_.back() == '/') {
        base_prefix_.pop_back();
    }
    request_options_.timeout = settings_.request_timeout;
    request_options_.tls = settings_.tls_context;
    if (settings_.keep_alive.count() > 0) {
        http_client::ConnectionPool::Limits limits;
        limits.idle_timeout = settings_.keep_alive;
        pool_ = std::make_unique<http_client::ConnectionPool>(limits);
        request_options_.pool = pool_.get();
    }
    if (!clock_) {
        clock_ = [] {
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                .count();
        };
    }
}

std::int64_t ApiClient::now_ms() const {
    return clock_();
}

http_client::Url ApiClient::api_url(const std::string& path, const std::string& query) const {
    http_client::Url url = base_;
    url.target = base_prefix_ + path + (query.empty() ? "" : "?" + query);
    return url;
}

asio::awaitable<Result<std::string>> ApiClient::access_token() {
    for (;;) {
        if (!token_.empty() && now_ms() < token_refresh_at_ms_) {
            co_return token_;
        }
        if (!refreshing_) {
            break;
        }
        // Single flight: wait for the refresh in progress instead of starting another one.
        const std::uint64_t generation = refresh_generation_;
        boost::system::error_code woken;
        co_await refresh_done_.async_wait(asio::redirect_error(asio::use_awaitable, woken));
        if (refresh_generation_ != generation && last_refresh_error_) {
            if (!token_.empty() && now_ms() < token_expires_at_ms_) {
                co_return token_;
            }
            co_return last_refresh_error_;
        }
    }
    auto refreshed = co_await refresh_token();
    if (!refreshed) {
        // A token due for refresh but not expired still works; use it while gettoken fails.
        if (!token_.empty() && now_ms() < token_expires_at_ms_) {
            co_return token_;
        }
        co_return refreshed.error();
    }
    co_return token_;
}

asio::awaitable<Result<void>> ApiClient::refresh_token() {
    refreshing_ = true;
    refresh_done_.expires_at(asio::steady_timer::time_point::max());
    const std::string query = "corpid=" + http_client::percent_encode(settings_.corp_id) +
                              "&corpsecret=" + http_client::percent_encode(settings_.secret);
    const http_client::Url url = api_url("/cgi-bin/gettoken", query);
    const std::string log_path = "/cgi-bin/gettoken";
    const std::string no_body;
    auto answer = co_await call(Method::get, url, log_path, no_body);

    std::error_code error;
    if (!answer) {
        error = answer.error();
    } else {
        const std::string token = string_field(answer.value(), "access_token");
        const std::int64_t expires_in = integer_field(answer.value(), "expires_in");
        if (token.empty() || expires_in <= 0) {
            error = make_error_code(ClientError::invalid_response);
        } else {
            const std::int64_t now = now_ms();
            const std::int64_t margin =
                std::min<std::int64_t>(settings_.token_refresh_margin.count(), expires_in / 2);
            token_ = token;
            token_expires_at_ms_ = now + expires_in * 1000;
            token_refresh_at_ms_ = now + (expires_in - margin) * 1000;
            spdlog::info("wecom access token refreshed (fingerprint {}, expires in {} s)",
                         fingerprint(token_), expires_in);
        }
    }
    if (error) {
        spdlog::warn("wecom gettoken failed: {}", error.message());
    }
    last_refresh_error_ = error;
    ++refresh_generation_;
    refreshing_ = false;
    refresh_done_.cancel();
    if (error) {
        co_return error;
    }
    co_return boost::outcome_v2::success();
}

void ApiClient::invalidate_token(const std::string& token) {
    if (token_ == token) {
        token_.clear();
        token_refresh_at_ms_ = 0;
        token_expires_at_ms_ = 0;
    }
}

asio::awaitable<Result<json>> ApiClient::call_with_token(
    Method method, const std::string& path, const std::string& query, const std::string& body,
    const std::vector<http_client::Header>& headers) {
    for (int attempt = 0;; ++attempt) {
        auto token = co_await access_token();
        if (!token) {
            co_return token.error();
        }
        const std::string full_query =
            "access_token=" + http_client::percent_encode(token.value()) +
            (query.empty() ? "" : "&" + query);
        const http_client::Url url = api_url(path, full_query);
        auto answer = co_await call(method, url, path, body, headers);
        if (!answer && answer.error() == ApiCondition::token_rejected && attempt == 0) {
            spdlog::warn("wecom {} rejected the access token (fingerprint {}): {}; refreshing",
                         path, fingerprint(token.value()), answer.error().message());
            invalidate_token(token.value());
            continue;
        }
        co_return answer;
    }
}

asio::awaitable<Result<json>> ApiClient::call(Method method, const http_client::Url& url,
                                              const std::string& log_path, const std::string& body,
                                              const std::vector<http_client::Header>& headers) {
    auto delay = settings_.busy_backoff;
    for (int attempt = 1;; ++attempt) {
        auto answer = co_await call_once(method, url, body, headers);
        if (answer || answer.error() != ApiCondition::system_busy ||
            attempt >= settings_.busy_attempts) {
            if (!answer) {
                // The path only: the query holds the token, the secret or a webhook key.
                spdlog::warn("wecom {} failed: {} ({})", log_path, answer.error().message(),
                             answer.error().category().name());
            }
            co_return answer;
        }
        spdlog::warn("wecom {} answered system busy; attempt {} in {} ms", log_path, attempt + 1,
                     delay.count());
        asio::steady_timer timer(executor_, delay);
        boost::system::error_code ignored;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        delay *= 2;
    }
}

asio::awaitable<Result<json>> ApiClient::call_once(
    Method method, const http_client::Url& url, const std::string& body,
    const std::vector<http_client::Header>& headers) {
    auto response =
        co_await http_client::request(executor_, method, url, headers, body, request_options_);
    if (!response) {
        co_return response.error();
    }
    if (response.value().status != 200) {
        co_return make_error_code(ClientError::http_status);
    }
    json answer = json::parse(response.value().body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
        co_return make_error_code(ClientError::invalid_response);
    }
    const auto code = answer.find("errcode");
    if (code == answer.end()) {
        // gettoken and every call here always carry errcode; without it we cannot tell
        // success from failure.
        co_return make_error_code(ClientError::invalid_response);
    }
    if (!code->is_number_integer()) {
        co_return make_error_code(ClientError::invalid_response);
    }
    const int errcode = code->get<int>();
    if (errcode != 0) {
        co_return make_api_error(errcode);
    }
    co_return answer;
}

asio::awaitable<Result<GroupChat>> ApiClient::groupchat_get(const std::string& chat_id,
                                                            bool need_name) {
    const json request{{"chat_id", chat_id}, {"need_name", need_name ? 1 : 0}};
    const std::string body = request.dump();
    const std::string path = "/cgi-bin/externalcontact/groupchat/get";
    const std::string no_query;
    auto answer = co_await call_with_token(Method::post, path, no_query, body);
    if (!answer) {
        co_return answer.error();
    }
    const auto group = answer.value().find("group_chat");
    if (group == answer.value().end() || !group->is_object()) {
        co_return make_error_code(ClientError::invalid_response);
    }
    GroupChat chat;
    chat.chat_id = string_field(*group, "chat_id");
    chat.name = string_field(*group, "name");
    chat.owner = string_field(*group, "owner");
    chat.create_time = integer_field(*group, "create_time");
    chat.notice = string_field(*group, "notice");
    chat.member_version = string_field(*group, "member_version");
    if (const auto members = group->find("member_list");
        members != group->end() && members->is_array()) {
        for (const auto& item : *members) {
            if (item.is_object()) {
                chat.members.push_back(parse_member(item));
            }
        }
    }
    if (const auto admins = group->find("admin_list");
        admins != group->end() && admins->is_array()) {
        for (const auto& item : *admins) {
            if (item.is_object()) {
                chat.admins.push_back(string_field(item, "userid"));
            }
        }
    }
    co_return chat;
}

asio::awaitable<Result<GroupChatPage>> ApiClient::groupchat_list(
    const GroupChatListRequest& request) {
    json payload{{"status_filter", request.status_filter}, {"limit", request.limit}};
    if (!request.owner_userids.empty()) {
        payload["owner_filter"] = {{"userid_list", request.owner_userids}};
    }
    if (!request.cursor.empty()) {
        payload["cursor"] = request.cursor;
    }
    const std::string body = payload.dump();
    const std::string path = "/cgi-bin/externalcontact/groupchat/list";
    const std::string no_query;
    auto answer = co_await call_with_token(Method::post, path, no_query, body);
    if (!answer) {
        co_return answer.error();
    }
    GroupChatPage page;
    page.next_cursor = string_field(answer.value(), "next_cursor");
    if (const auto list = answer.value().find("group_chat_list");
        list != answer.value().end() && list->is_array()) {
        for (const auto& item : *list) {
            if (item.is_object()) {
                page.chats.push_back({string_field(item, "chat_id"),
                                      static_cast<int>(integer_field(item, "status"))});
            }
        }
    }
    co_return page;
}

asio::awaitable<Result<MessageSendResult>> ApiClient::message_send(
    const std::vector<std::string>& to_users, const MessageContent& content) {
    if (settings_.agent_id == 0) {
        co_return make_error_code(ClientError::not_configured);
    }
    if (const auto invalid = check_content(content, app_limit(content.format))) {
        co_return invalid;
    }
    json payload{{"touser", join_bars(to_users)}, {"agentid", settings_.agent_id}, {"safe", 0}};
    put_content(payload, content.format, content.content);
    const std::string body = payload.dump();
    const std::string path = "/cgi-bin/message/send";
    const std::string no_query;
    auto answer = co_await call_with_token(Method::post, path, no_query, body);
    if (!answer) {
        co_return answer.error();
    }
    MessageSendResult result;
    result.msgid = string_field(answer.value(), "msgid");
    result.invalid_users = split_bars(string_field(answer.value(), "invaliduser"));
    co_return result;
}

asio::awaitable<Result<std::string>> ApiClient::appchat_create(const AppChatCreate& request) {
    json payload{{"name", request.name}, {"userlist", request.members}};
    if (!request.owner.empty()) {
        payload["owner"] = request.owner;
    }
    if (!request.chat_id.empty()) {
        payload["chatid"] = request.chat_id;
    }
    const std::string body = payload.dump();
    const std::string path = "/cgi-bin/appchat/create";
    const std::string no_query;
    auto answer = co_await call_with_token(Method::post, path, no_query, body);
    co_return required_string(std::move(answer), "chatid");
}

asio::awaitable<Result<void>> ApiClient::appchat_update(const AppChatUpdate& request) {
    json payload{{"chatid", request.chat_id}};
    if (request.name) {
        payload["name"] = *request.name;
    }
    if (request.owner) {
        payload["owner"] = *request.owner;
    }
    if (!request.add_members.empty()) {
        payload["add_user_list"] = request.add_members;
    }
    if (!request.remove_members.empty()) {
        payload["del_user_list"] = request.remove_members;
    }
    const std::string body = payload.dump();
    const std::string path = "/cgi-bin/appchat/update";
    const std::string no_query;
    auto answer = co_await call_with_token(Method::post, path, no_query, body);
    if (!answer) {
        co_return answer.error();
    }
    co_return boost::outcome_v2::success();
}

asio::awaitable<Result<AppChat>> ApiClient::appchat_get(const std::string& chat_id) {
    const std::string path = "/cgi-bin/appchat/get";
    const std::string query = "chatid=" + http_client::percent_encode(chat_id);
    const std::string no_body;
    auto answer = co_await call_with_token(Method::get, path, query, no_body);
    if (!answer) {
        co_return answer.error();
    }
    const auto info = answer.value().find("chat_info");
    if (info == answer.value().end() || !info->is_object()) {
        co_return make_error_code(ClientError::invalid_response);
    }
    AppChat chat;
    chat.chat_id = string_field(*info, "chatid");
    chat.name = string_field(*info, "name");
    chat.owner = string_field(*info, "owner");
    chat.members = string_list(*info, "userlist");
    chat.chat_type = static_cast<int>(integer_field(*info, "chat_type"));
    co_return chat;
}

asio::awaitable<Result<AgentInfo>> ApiClient::agent_get() {
    const std::string path = "/cgi-bin/agent/get";
    const std::string query = "agentid=" + std::to_string(settings_.agent_id);
    const std::string no_body;
    auto answer = co_await call_with_token(Method::get, path, query, no_body);
    if (!answer) {
        co_return answer.error();
    }
    const nlohmann::json& body = answer.value();
    AgentInfo info;
    info.agent_id = integer_field(body, "agentid");
    info.name = string_field(body, "name");
    const auto count = [&](const char* group, const char* list) -> const nlohmann::json* {
        const auto outer = body.find(group);
        if (outer == body.end() || !outer->is_object()) {
            return nullptr;
        }
        const auto inner = outer->find(list);
        return inner != outer->end() && inner->is_array() ? &*inner : nullptr;
    };
    if (const nlohmann::json* users = count("allow_userinfos", "user")) {
        for (const auto& user : *users) {
            if (user.is_object()) {
                info.visible_users.push_back(string_field(user, "userid"));
            }
        }
    }
    if (const nlohmann::json* parties = count("allow_partys", "partyid")) {
        info.visible_departments = parties->size();
    }
    if (const nlohmann::json* tags = count("allow_tags", "tagid")) {
        info.visible_tags = tags->size();
    }
    info.closed = integer_field(body, "close") != 0;
    co_return info;
}

asio::awaitable<Result<std::string>> ApiClient::auth_getuserinfo(const std::string& code) {
    const std::string path = "/cgi-bin/auth/getuserinfo";
    const std::string query = "code=" + code;
    const std::string no_body;
    auto answer = co_await call_with_token(Method::get, path, query, no_body);
    if (!answer) {
        co_return answer.error();
    }
    co_return string_field(answer.value(), "userid");
}

asio::awaitable<Result<void>> ApiClient::appchat_send(const std::string& chat_id,
                                                      const MessageContent& content) {
    if (const auto invalid = check_content(content, app_limit(content.format))) {
        co_return invalid;
    }
    json payload{{"chatid", chat_id}, {"safe", 0}};
    put_content(payload, content.format, content.content);
    const std::string body = payload.dump();
    const std::string path = "/cgi-bin/appchat/send";
    const std::string no_query;
    auto answer = co_await call_with_token(Method::post, path, no_query, body);
    if (!answer) {
        co_return answer.error();
    }
    co_return boost::outcome_v2::success();
}

ApiClient::Multipart ApiClient::multipart_media(const MediaFile& file) const {
    // A boundary that does not occur in the file.
    std::string boundary = "ledgerbot-media-" + std::to_string(now_ms());
    while (file.bytes.find(boundary) != std::string::npos) {
        boundary += "x";
    }
    std::string name = file.file_name;
    std::erase(name, '"');  // the name goes inside a quoted header parameter
    Multipart out;
    out.body.reserve(file.bytes.size() + 256);
    out.body += "--" + boundary + "\r\n";
    out.body += "Content-Disposition: form-data; name=\"media\"; filename=\"" + name +
                "\"; filelength=" + std::to_string(file.bytes.size()) + "\r\n";
    out.body += "Content-Type: application/octet-stream\r\n\r\n";
    out.body += file.bytes;
    out.body += "\r\n--" + boundary + "--\r\n";
    out.headers = {{"Content-Type", "multipart/form-data; boundary=" + boundary}};
    return out;
}

asio::awaitable<Result<std::string>> ApiClient::media_upload(const MediaFile& file) {
    if (file.bytes.empty() || file.file_name.empty()) {
        co_return make_error_code(ClientError::empty_content);
    }
    const Multipart upload = multipart_media(file);
    const std::string path = "/cgi-bin/media/upload";
    const std::string query = "type=file";
    auto answer = co_await call_with_token(Method::post, path, query, upload.body, upload.headers);
    co_return required_string(std::move(answer), "media_id");
}

namespace {

// "bytes 0-20971519/31457280" → the total, when the answer is a part.
std::optional<std::int64_t> content_range_total(const std::string& header) {
    const auto slash = header.rfind('/');
    if (slash == std::string::npos || slash + 1 >= header.size()) {
        return std::nullopt;
    }
    std::int64_t total = 0;
    const char* begin = header.data() + slash + 1;
    const char* end = header.data() + header.size();
    const auto [ptr, ec] = std::from_chars(begin, end, total);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return total;
}

bool is_json_answer(const std::string& content_type) {
    // WeCom labels its error answers application/json or text/plain; a file is anything else.
    return content_type.find("json") != std::string::npos ||
           content_type.find("text/plain") != std::string::npos;
}

}  // namespace

asio::awaitable<Result<MediaDownload>> ApiClient::media_get(const std::string& media_id,
                                                            std::int64_t max_bytes) {
    MediaDownload download;
    http_client::RequestOptions options = request_options_;
    options.response_body_limit = static_cast<std::size_t>(kMediaChunkBytes) + 4096;
    bool token_retried = false;
    for (;;) {
        auto token = co_await access_token();
        if (!token) {
            co_return token.error();
        }
        const std::int64_t from = static_cast<std::int64_t>(download.bytes.size());
        const std::vector<http_client::Header> range{
            {"Range",
             "bytes=" + std::to_string(from) + "-" + std::to_string(from + kMediaChunkBytes - 1)}};
        const http_client::Url url = api_url(
            "/cgi-bin/media/get", "access_token=" + http_client::percent_encode(token.value()) +
                                      "&media_id=" + http_client::percent_encode(media_id));
        const std::string no_body;
        auto response =
            co_await http_client::request(executor_, Method::get, url, range, no_body, options);
        if (!response) {
            co_return response.error();
        }
        const http_client::HttpResult& answer = response.value();
        const std::string content_type = answer.header("Content-Type");
        if (answer.status == 200 && is_json_answer(content_type)) {
            const json error = json::parse(answer.body, nullptr, false);
            const auto code = error.is_object() ? error.find("errcode") : error.end();
            if (code == error.end() || !code->is_number_integer() || code->get<int>() == 0) {
                co_return make_error_code(ClientError::invalid_response);
            }
            const std::error_code failed = make_api_error(code->get<int>());
            if (failed == ApiCondition::token_rejected && !token_retried) {
                token_retried = true;
                invalidate_token(token.value());
                continue;
            }
            spdlog::warn("wecom /cgi-bin/media/get failed: {}", failed.message());
            co_return failed;
        }
        if (answer.status != 200 && answer.status != 206) {
            co_return make_error_code(ClientError::http_status);
        }
        download.content_type = content_type;
        download.bytes += answer.body;
        if (static_cast<std::int64_t>(download.bytes.size()) > max_bytes) {
            co_return make_error_code(ClientError::media_too_large);
        }
        if (answer.status == 200) {
            co_return download;  // the whole file in one answer
        }
        const auto total = content_range_total(answer.header("Content-Range"));
        if (!total || answer.body.empty()) {
            co_return make_error_code(ClientError::invalid_response);
        }
        if (*total > max_bytes) {
            co_return make_error_code(ClientError::media_too_large);
        }
        if (static_cast<std::int64_t>(download.bytes.size()) >= *total) {
            co_return download;
        }
    }
}

asio::awaitable<Result<std::string>> ApiClient::webhook_upload_media(const std::string& key,
                                                                     const MediaFile& file) {
    if (file.bytes.empty() || file.file_name.empty()) {
        co_return make_error_code(ClientError::empty_content);
    }
    const Multipart upload = multipart_media(file);
    const std::string path = "/cgi-bin/webhook/upload_media";
    const http_client::Url url =
        api_url(path, "key=" + http_client::percent_encode(key) + "&type=file");
    auto answer = co_await call(Method::post, url, path, upload.body, upload.headers);
    co_return required_string(std::move(answer), "media_id");
}

int ApiClient::webhook_budget(const std::string& key) {
    auto& sends = webhook_sends_[key];
    const std::int64_t now = now_ms();
    while (!sends.empty() && now - sends.front() >= kWebhookWindowMs) {
        sends.pop_front();
    }
    return settings_.webhook_messages_per_minute - static_cast<int>(sends.size());
}

asio::awaitable<Result<void>> ApiClient::webhook_send(const std::string& key,
                                                      const MessageContent& content,
                                                      const std::vector<std::string>& mentions) {
    const std::size_t limit =
        content.format == MessageFormat::text ? kTextLimitBytes : kMarkdownLimitBytes;
    const std::vector<std::string> parts = split_message(content.content, limit);
    if (parts.empty()) {
        co_return make_error_code(ClientError::empty_content);
    }
    if (parts.size() > static_cast<std::size_t>(settings_.webhook_messages_per_minute)) {
        co_return make_error_code(ClientError::content_too_long);
    }
    // All parts or none: a notice cut off half-way reads worse than one that arrives later.
    if (webhook_budget(key) < static_cast<int>(parts.size())) {
        co_return make_error_code(ClientError::rate_limited_locally);
    }
    // The slots are taken before the first send: notices to other targets go out concurrently,
    // and one sharing this robot must not pass the check above while these parts are on the
    // wire. A later part's slot counts from when the notice began, a few round trips before
    // the part is sent.
    for (std::size_t i = 0; i < parts.size(); ++i) {
        webhook_sends_[key].push_back(now_ms());
    }
    const std::string path = "/cgi-bin/webhook/send";
    const http_client::Url url = api_url(path, "key=" + http_client::percent_encode(key));
    for (std::size_t i = 0; i < parts.size(); ++i) {
        json payload;
        put_content(payload, content.format, parts[i]);
        if (i == 0 && content.format == MessageFormat::text && !mentions.empty()) {
            payload["text"]["mentioned_list"] = mentions;
        }
        const std::string body = payload.dump();
        auto answer = co_await call(Method::post, url, path, body);
        if (!answer) {
            co_return answer.error();
        }
    }
    co_return boost::outcome_v2::success();
}

asio::awaitable<Result<void>> ApiClient::response_url_reply(const std::string& response_url,
                                                            const std::string& markdown) {
    const auto url = http_client::parse_url(response_url);
    if (!url || url->origin() != base_.origin()) {
        co_return make_error_code(ClientError::foreign_url);
    }
    if (markdown.empty()) {
        co_return make_error_code(ClientError::empty_content);
    }
    json payload;
    put_content(payload, MessageFormat::markdown, markdown);
    const std::string body = payload.dump();
    const std::string path = url->target.substr(0, url->target.find('?'));
    auto answer = co_await call(Method::post, *url, path, body);
    if (!answer) {
        co_return answer.error();
    }
    co_return boost::outcome_v2::success();
}

}  // namespace ledgerbot::adapters::wecom
