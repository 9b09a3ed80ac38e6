#include "tests/support/fake_wecom_server.hpp"

#include <strings.h>

#include <algorithm>

namespace ledgerbot::testing {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// WeCom's errcodes (global error-code table, doc 90313), spelled out here rather than taken
// from the client's header so that a wrong constant there cannot hide behind the same one here.
constexpr int kInvalidSecret = 40001;
constexpr int kInvalidCorpId = 40013;
constexpr int kInvalidAccessToken = 40014;
constexpr int kChatIdNotFound = 40050;
constexpr int kInvalidAgentId = 40056;
constexpr int kInvalidParameter = 40058;
constexpr int kMissingAccessToken = 41001;
constexpr int kAccessTokenExpired = 42001;
constexpr int kApiFrequencyLimit = 45009;
constexpr int kAllRecipientsInvalid = 81013;
constexpr int kAppChatNotFound = 86003;
constexpr int kAppChatMemberCount = 86006;
constexpr int kAppChatNotCreatedByApp = 86008;
constexpr int kAppChatNeedsName = 86202;
constexpr int kAppChatOwnerNotMember = 86207;
constexpr int kAppChatIdExists = 86215;
constexpr int kAppChatInvalidMember = 86216;
constexpr int kWebhookInvalid = 93000;
constexpr int kInvalidMediaType = 40004;
constexpr int kInvalidMediaId = 40007;
constexpr int kMediaNeedsRange = 830002;
constexpr int kEmptyMedia = 44001;
constexpr int kInvalidCode = 40029;
constexpr int kRedirectUriMismatch = 50001;

constexpr std::size_t kTextLimit = 2048;
constexpr std::size_t kWebhookMarkdownLimit = 4096;
constexpr std::size_t kAppMarkdownLimit = 2048;

json ok() {
    return {{"errcode", 0}, {"errmsg", "ok"}};
}

/// Real errmsg texts carry hints and a help link and may change; the client must never read
/// them, so the fake's say so.
json error(int errcode) {
    return {{"errcode", errcode},
            {"errmsg", "fake wecom errcode " + std::to_string(errcode) +
                           ", hint: [errmsg is for humans, match on errcode]"}};
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const std::size_t eq = pair.find('=');
        if (!pair.empty()) {
            out[percent_decode(pair.substr(0, eq))] =
                eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::string string_at(const json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_at(const json& object, const char* key) {
    std::vector<std::string> out;
    if (!object.is_object()) {
        return out;
    }
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

/// The errcode a text/markdown send body earns: 40058 for a missing, empty or too long content
/// (WeCom answers 40058 "markdown.content exceed max length" for long markdown).
int check_message(const json& body, std::size_t markdown_limit) {
    const std::string type = string_at(body, "msgtype");
    if (type == "file") {
        return string_at(body.value("file", json::object()), "media_id").empty() ? kInvalidMediaId
                                                                                 : 0;
    }
    if (type != "text" && type != "markdown") {
        return kInvalidParameter;
    }
    const std::string content = string_at(body.value(type, json::object()), "content");
    const std::size_t limit = type == "text" ? kTextLimit : markdown_limit;
    if (content.empty() || content.size() > limit) {
        return kInvalidParameter;
    }
    return 0;
}

}  // namespace

FakeWecomServer::FakeWecomServer() : FakeWecomServer(Options{}) {}

FakeWecomServer::FakeWecomServer(Options options) : options_(std::move(options)) {
    server_ = std::make_unique<RecordingHttpServer>(
        [this](const RecordedRequest& request) { return handle(request); });
    if (!options_.tls_cert_pem.empty()) {
        server_->use_tls(options_.tls_cert_pem, options_.tls_key_pem);
    }
}

FakeWecomServer::~FakeWecomServer() {
    server_.reset();
}

std::string FakeWecomServer::base_url() const {
    return server_->url("");
}

std::uint16_t FakeWecomServer::port() const {
    return server_->port();
}

void FakeWecomServer::set_expires_in(int seconds) {
    std::lock_guard lock(mutex_);
    options_.expires_in = seconds;
}

void FakeWecomServer::expire_tokens() {
    std::lock_guard lock(mutex_);
    for (auto& [_, token] : tokens_) {
        token.expired = true;
    }
}

void FakeWecomServer::revoke_tokens() {
    std::lock_guard lock(mutex_);
    for (auto& [_, token] : tokens_) {
        token.revoked = true;
    }
}

std::vector<std::string> FakeWecomServer::issued_tokens() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (int i = 1; i < next_token_; ++i) {
        out.push_back("tok-" + std::to_string(i));
    }
    return out;
}

void FakeWecomServer::add_staff(const std::vector<std::string>& userids) {
    std::lock_guard lock(mutex_);
    staff_.insert(userids.begin(), userids.end());
}

void FakeWecomServer::seed_customer_group(const json& group_chat, int status) {
    std::lock_guard lock(mutex_);
    const std::string chat_id = string_at(group_chat, "chat_id");
    for (auto& [group, group_status] : customer_groups_) {
        if (string_at(group, "chat_id") == chat_id) {
            group = group_chat;
            group_status = status;
            return;
        }
    }
    customer_groups_.emplace_back(group_chat, status);
}

void FakeWecomServer::seed_foreign_app_chat(const std::string& chat_id) {
    std::lock_guard lock(mutex_);
    AppChatState state;
    state.info = {{"chatid", chat_id},
                  {"name", "foreign"},
                  {"owner", ""},
                  {"userlist", json::array()},
                  {"chat_type", 0}};
    state.ours = false;
    app_chats_[chat_id] = std::move(state);
}

std::optional<json> FakeWecomServer::app_chat(const std::string& chat_id) const {
    std::lock_guard lock(mutex_);
    const auto it = app_chats_.find(chat_id);
    if (it == app_chats_.end() || !it->second.ours) {
        return std::nullopt;
    }
    return it->second.info;
}

void FakeWecomServer::add_robot(const std::string& key) {
    std::lock_guard lock(mutex_);
    robots_.insert(key);
}

std::string FakeWecomServer::issue_response_url() {
    std::lock_guard lock(mutex_);
    const std::string code = "rc-" + std::to_string(next_response_code_++);
    response_codes_[code] = false;
    return server_->url("/cgi-bin/aibot/response?response_code=" + code);
}

void FakeWecomServer::fail_next(const std::string& path, int count, int errcode) {
    std::lock_guard lock(mutex_);
    faults_.push_back({path, count, errcode, std::chrono::milliseconds(0), false});
}

void FakeWecomServer::delay_next(const std::string& path, int count,
                                 std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    faults_.push_back({path, count, std::nullopt, delay, false});
}

void FakeWecomServer::drop_next(const std::string& path, int count) {
    std::lock_guard lock(mutex_);
    faults_.push_back({path, count, std::nullopt, std::chrono::milliseconds(0), true});
}

std::vector<WecomCall> FakeWecomServer::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

std::vector<WecomCall> FakeWecomServer::calls_to(const std::string& path) const {
    std::lock_guard lock(mutex_);
    std::vector<WecomCall> out;
    std::copy_if(calls_.begin(), calls_.end(), std::back_inserter(out),
                 [&](const WecomCall& call) { return call.path == path; });
    return out;
}

std::size_t FakeWecomServer::count(const std::string& path) const {
    return calls_to(path).size();
}

std::size_t FakeWecomServer::wait_for(const std::string& path, std::size_t count,
                                      std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    const auto matching = [&] {
        return static_cast<std::size_t>(
            std::count_if(calls_.begin(), calls_.end(),
                          [&](const WecomCall& call) { return call.path == path; }));
    };
    arrived_.wait_for(lock, timeout, [&] { return matching() >= count; });
    return matching();
}

std::vector<json> FakeWecomServer::webhook_messages(const std::string& key) const {
    std::lock_guard lock(mutex_);
    const auto it = webhook_messages_.find(key);
    return it == webhook_messages_.end() ? std::vector<json>{} : it->second;
}

std::vector<json> FakeWecomServer::app_messages() const {
    std::lock_guard lock(mutex_);
    return app_messages_;
}

std::vector<json> FakeWecomServer::appchat_messages(const std::string& chat_id) const {
    std::lock_guard lock(mutex_);
    const auto it = app_chats_.find(chat_id);
    return it == app_chats_.end() ? std::vector<json>{} : it->second.messages;
}

std::vector<json> FakeWecomServer::bot_replies() const {
    std::lock_guard lock(mutex_);
    return bot_replies_;
}

ScriptedReply FakeWecomServer::handle(const RecordedRequest& request) {
    WecomCall call;
    call.method = request.method;
    const std::size_t question = request.target.find('?');
    call.path = request.target.substr(0, question);
    if (question != std::string::npos) {
        call.query = parse_query(std::string_view(request.target).substr(question + 1));
    }
    call.raw_body = request.body;
    call.client_port = request.client_port;
    for (const auto& [name, value] : request.headers) {
        if (name.size() == 12 && strncasecmp(name.c_str(), "content-type", 12) == 0) {
            call.content_type = value;
        }
    }
    if (!request.body.empty()) {
        call.body = json::parse(request.body, nullptr, false);
        if (call.body.is_discarded()) {
            call.body = nullptr;
        }
    }

    ScriptedReply reply;
    std::unique_lock lock(mutex_);
    calls_.push_back(call);
    arrived_.notify_all();

    const auto fault = std::find_if(faults_.begin(), faults_.end(), [&](const Fault& f) {
        return f.remaining > 0 && (f.path == call.path || f.path == kAnyPath);
    });
    if (fault != faults_.end()) {
        --fault->remaining;
        if (fault->drop) {
            reply.drop_connection = true;
            return reply;
        }
        if (fault->errcode) {
            reply.body = error(*fault->errcode).dump();
            return reply;
        }
        reply.delay = fault->delay;
    }
    if (auto file = file_reply(call, request)) {
        return *file;
    }
    if (auto login = login_page_reply(call)) {
        return *login;
    }
    json answer = dispatch(call);
    if (answer.is_null()) {
        reply.status = 404;
        answer = error(kInvalidParameter);
    }
    reply.body = answer.dump();
    return reply;
}

void FakeWecomServer::set_sign_in_user(const std::string& userid, bool member) {
    std::lock_guard lock(mutex_);
    sign_in_user_ = userid;
    sign_in_member_ = member;
}

std::string FakeWecomServer::issue_sign_in_code(const std::string& userid, bool member) {
    std::lock_guard lock(mutex_);
    return issue_code_locked(userid, member);
}

void FakeWecomServer::set_trusted_domain(const std::string& host) {
    std::lock_guard lock(mutex_);
    trusted_domain_ = host;
}

std::string FakeWecomServer::issue_code_locked(const std::string& userid, bool member) {
    std::string code = "code" + std::to_string(next_sign_in_code_++) + "x" +
                       std::to_string(std::hash<std::string>{}(userid) % 100000);
    sign_in_codes_[code] = {userid, member, Clock::now() + std::chrono::minutes(5), false};
    return code;
}

std::optional<ScriptedReply> FakeWecomServer::login_page_reply(const WecomCall& call) {
    const bool oauth = call.path == "/connect/oauth2/authorize";
    const bool sso = call.path == "/wwlogin/sso/login";
    if (!oauth && !sso) {
        return std::nullopt;
    }
    const auto param = [&](const char* name) {
        const auto found = call.query.find(name);
        return found == call.query.end() ? std::string{} : found->second;
    };
    ScriptedReply reply;
    reply.content_type = "text/plain; charset=utf-8";
    const std::string redirect = param("redirect_uri");
    const std::string state = param("state");
    // What WeCom checks before it shows the page: the corp, the app, the scope, the domain.
    std::string problem;
    if (param("appid") != options_.corp_id) {
        problem = "appid";
    } else if (param("agentid") != std::to_string(options_.agent_id)) {
        problem = "agentid";
    } else if (oauth && (param("scope") != "snsapi_base" || param("response_type") != "code")) {
        problem = "scope";
    } else if (sso && param("login_type") != "CorpApp") {
        problem = "login_type";
    } else if (!redirect.starts_with("http://") && !redirect.starts_with("https://")) {
        problem = "redirect_uri";
    } else if (!trusted_domain_.empty()) {
        const std::string rest = redirect.substr(redirect.find("://") + 3);
        const std::string host = rest.substr(0, rest.find_first_of(":/"));
        if (host != trusted_domain_) {
            problem = "redirect_uri";
        }
    }
    if (!problem.empty()) {
        reply.status = 400;
        reply.body =
            error(problem == "redirect_uri" ? kRedirectUriMismatch : kInvalidParameter).dump();
        return reply;
    }
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&");
    if (!sign_in_user_.empty()) {
        location += "code=" + issue_code_locked(sign_in_user_, sign_in_member_) + "&";
    }
    location += "state=" + state;  // [A-Za-z0-9] by WeCom's rule: nothing to encode
    reply.status = 302;
    reply.body.clear();
    reply.headers.emplace_back("Location", location);
    return reply;
}

json FakeWecomServer::auth_getuserinfo(const WecomCall& call) {
    const auto param = call.query.find("code");
    const auto code =
        param == call.query.end() ? sign_in_codes_.end() : sign_in_codes_.find(param->second);
    if (code == sign_in_codes_.end() || code->second.used || Clock::now() >= code->second.expires) {
        return error(kInvalidCode);
    }
    code->second.used = true;
    json answer = ok();
    if (code->second.member) {
        answer["userid"] = code->second.userid;
        answer["user_ticket"] = "ticket-" + param->second;
        answer["expires_in"] = 1800;
    } else {
        answer["openid"] = "o-" + code->second.userid;
    }
    return answer;
}

void FakeWecomServer::serve_media(const std::string& media_id, ServedMedia media) {
    std::lock_guard lock(mutex_);
    served_media_[media_id] = std::move(media);
}

void FakeWecomServer::expire_media(const std::string& media_id) {
    std::lock_guard lock(mutex_);
    served_media_.erase(media_id);
}

std::string FakeWecomServer::host_file(const std::string& path, std::string bytes,
                                       std::string content_type) {
    std::lock_guard lock(mutex_);
    hosted_files_[path] = {std::move(bytes), std::move(content_type)};
    return base_url() + path;
}

std::optional<ScriptedReply> FakeWecomServer::file_reply(const WecomCall& call,
                                                         const RecordedRequest& request) {
    if (const auto hosted = hosted_files_.find(call.path);
        hosted != hosted_files_.end() && call.method == "GET") {
        ScriptedReply reply;
        reply.body = hosted->second.first;
        reply.content_type = hosted->second.second;
        return reply;
    }
    if (call.path != "/cgi-bin/media/get" || call.method != "GET") {
        return std::nullopt;
    }
    ScriptedReply reply;
    reply.content_type = "application/json; charset=utf-8";
    if (const auto rejected = check_token(call)) {
        reply.body = error(*rejected).dump();
        return reply;
    }
    const auto media_id = call.query.find("media_id");
    const auto media =
        media_id == call.query.end() ? served_media_.end() : served_media_.find(media_id->second);
    if (media == served_media_.end()) {
        reply.body = error(kInvalidMediaId).dump();
        return reply;
    }
    const std::string& bytes = media->second.bytes;
    std::string range;
    for (const auto& [name, value] : request.headers) {
        if (strcasecmp(name.c_str(), "range") == 0) {
            range = value;
        }
    }
    constexpr std::size_t kChunk = 20u << 20;
    if (range.empty()) {
        if (bytes.size() > kChunk) {
            reply.body = error(kMediaNeedsRange).dump();
            return reply;
        }
        reply.body = bytes;
        reply.content_type = media->second.content_type;
        reply.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"" + media_id->second + ".jpg\"");
        return reply;
    }
    // bytes=FROM-TO, as WeCom answers it: 206 with Content-Range, at most 20 MB per part.
    std::size_t from = 0;
    std::size_t to = 0;
    if (std::sscanf(range.c_str(), "bytes=%zu-%zu", &from, &to) != 2 || from > to ||
        from >= bytes.size() || to - from + 1 > kChunk) {
        reply.status = 416;
        reply.body = "";
        return reply;
    }
    to = std::min(to, bytes.size() - 1);
    reply.status = 206;
    reply.body = bytes.substr(from, to - from + 1);
    reply.content_type = media->second.content_type;
    reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(from) + "-" +
                                                    std::to_string(to) + "/" +
                                                    std::to_string(bytes.size()));
    return reply;
}

json FakeWecomServer::dispatch(const WecomCall& call) {
    // Paths that do not take an access token.
    if (call.path == "/cgi-bin/gettoken") {
        return call.method == "GET" ? gettoken(call) : error(kInvalidParameter);
    }
    if (call.path == "/cgi-bin/webhook/send") {
        return webhook_send(call);
    }
    if (call.path == "/cgi-bin/webhook/upload_media") {
        // A robot's own upload: its key instead of a token; files only.
        const auto key = call.query.find("key");
        if (call.method != "POST" || key == call.query.end() || robots_.count(key->second) == 0) {
            return error(kWebhookInvalid);
        }
        return media_upload(call);
    }
    if (call.path == "/cgi-bin/aibot/response") {
        return bot_response(call);
    }
    using Handler = json (FakeWecomServer::*)(const WecomCall&);
    using ConstHandler = json (FakeWecomServer::*)(const WecomCall&) const;
    static const std::map<std::string, std::pair<std::string, Handler>> handlers{
        {"/cgi-bin/message/send", {"POST", &FakeWecomServer::message_send}},
        {"/cgi-bin/appchat/create", {"POST", &FakeWecomServer::appchat_create}},
        {"/cgi-bin/appchat/update", {"POST", &FakeWecomServer::appchat_update}},
        {"/cgi-bin/appchat/send", {"POST", &FakeWecomServer::appchat_send}},
        {"/cgi-bin/media/upload", {"POST", &FakeWecomServer::media_upload}},
        {"/cgi-bin/auth/getuserinfo", {"GET", &FakeWecomServer::auth_getuserinfo}},
    };
    static const std::map<std::string, std::pair<std::string, ConstHandler>> const_handlers{
        {"/cgi-bin/externalcontact/groupchat/get", {"POST", &FakeWecomServer::groupchat_get}},
        {"/cgi-bin/externalcontact/groupchat/list", {"POST", &FakeWecomServer::groupchat_list}},
        {"/cgi-bin/appchat/get", {"GET", &FakeWecomServer::appchat_get}},
        {"/cgi-bin/agent/get", {"GET", &FakeWecomServer::agent_get}},
    };
    const auto handler = handlers.find(call.path);
    const auto const_handler = const_handlers.find(call.path);
    if (handler == handlers.end() && const_handler == const_handlers.end()) {
        return nullptr;
    }
    if (const auto rejected = check_token(call)) {
        return error(*rejected);
    }
    const std::string& method =
        handler != handlers.end() ? handler->second.first : const_handler->second.first;
    if (call.method != method) {
        return error(kInvalidParameter);
    }
    if (method == "POST" && call.body.is_null() && call.path != "/cgi-bin/media/upload") {
        return error(kInvalidParameter);  // WeCom: "json不合法"
    }
    return handler != handlers.end() ? (this->*handler->second.second)(call)
                                     : (this->*const_handler->second.second)(call);
}

std::optional<int> FakeWecomServer::check_token(const WecomCall& call) const {
    const auto param = call.query.find("access_token");
    if (param == call.query.end() || param->second.empty()) {
        return kMissingAccessToken;
    }
    const auto token = tokens_.find(param->second);
    if (token == tokens_.end() || token->second.revoked) {
        return kInvalidAccessToken;
    }
    if (token->second.expired || Clock::now() >= token->second.expires) {
        return kAccessTokenExpired;
    }
    return std::nullopt;
}

bool FakeWecomServer::known_user(const std::string& userid) const {
    return staff_.empty() ? !userid.empty() : staff_.count(userid) > 0;
}

json FakeWecomServer::gettoken(const WecomCall& call) {
    const auto corp = call.query.find("corpid");
    const auto secret = call.query.find("corpsecret");
    if (corp == call.query.end() || corp->second != options_.corp_id) {
        return error(kInvalidCorpId);
    }
    if (secret == call.query.end() || secret->second != options_.secret) {
        return error(kInvalidSecret);
    }
    const std::string token = "tok-" + std::to_string(next_token_++);
    tokens_[token] = Token{Clock::now() + std::chrono::seconds(options_.expires_in), false, false};
    json answer = ok();
    answer["access_token"] = token;
    answer["expires_in"] = options_.expires_in;
    return answer;
}

json FakeWecomServer::groupchat_get(const WecomCall& call) const {
    const std::string chat_id = string_at(call.body, "chat_id");
    const bool need_name = call.body.value("need_name", 0) == 1;
    for (const auto& [group, _] : customer_groups_) {
        if (string_at(group, "chat_id") != chat_id) {
            continue;
        }
        json copy = group;
        if (!need_name && copy.contains("member_list")) {
            for (auto& member : copy["member_list"]) {
                member.erase("name");
            }
        }
        json answer = ok();
        answer["group_chat"] = copy;
        return answer;
    }
    return error(kChatIdNotFound);
}

json FakeWecomServer::groupchat_list(const WecomCall& call) const {
    const int status_filter = call.body.value("status_filter", 0);
    const int limit = call.body.value("limit", 0);
    if (limit < 1 || limit > 1000) {
        return error(kInvalidParameter);
    }
    std::vector<std::string> owners;
    if (call.body.contains("owner_filter")) {
        owners = strings_at(call.body["owner_filter"], "userid_list");
    }
    std::vector<std::pair<std::string, int>> matching;
    for (const auto& [group, status] : customer_groups_) {
        if (status_filter != 0 && status != status_filter) {
            continue;
        }
        if (!owners.empty() &&
            std::find(owners.begin(), owners.end(), string_at(group, "owner")) == owners.end()) {
            continue;
        }
        matching.emplace_back(string_at(group, "chat_id"), status);
    }
    // The cursor is opaque to clients; here it is the index of the next entry.
    std::size_t start = 0;
    if (const std::string cursor = string_at(call.body, "cursor"); !cursor.empty()) {
        if (cursor.rfind("cur-", 0) != 0) {
            return error(kInvalidParameter);
        }
        start = std::stoul(cursor.substr(4));
    }
    json list = json::array();
    std::size_t i = start;
    for (; i < matching.size() && list.size() < static_cast<std::size_t>(limit); ++i) {
        list.push_back({{"chat_id", matching[i].first}, {"status", matching[i].second}});
    }
    json answer = ok();
    answer["group_chat_list"] = list;
    if (i < matching.size()) {
        answer["next_cursor"] = "cur-" + std::to_string(i);
    }
    return answer;
}

json FakeWecomServer::message_send(const WecomCall& call) {
    if (!call.body.contains("agentid") || !call.body["agentid"].is_number_integer() ||
        call.body["agentid"].get<std::int64_t>() != options_.agent_id) {
        return error(kInvalidAgentId);
    }
    if (const int invalid = check_message(call.body, kAppMarkdownLimit)) {
        return error(invalid);
    }
    if (const int invalid = check_media(call.body)) {
        return error(invalid);
    }
    std::string invalid_users;
    int valid = 0;
    std::string touser = string_at(call.body, "touser");
    std::size_t start = 0;
    while (start <= touser.size()) {
        const std::size_t bar = std::min(touser.find('|', start), touser.size());
        const std::string user = touser.substr(start, bar - start);
        if (known_user(user)) {
            ++valid;
        } else if (!user.empty()) {
            invalid_users += (invalid_users.empty() ? "" : "|") + user;
        }
        start = bar + 1;
    }
    if (valid == 0) {
        return error(kAllRecipientsInvalid);
    }
    app_messages_.push_back(call.body);
    json answer = ok();
    answer["invaliduser"] = invalid_users;
    answer["msgid"] = "msg-" + std::to_string(next_msgid_++);
    return answer;
}

json FakeWecomServer::appchat_create(const WecomCall& call) {
    const std::string name = string_at(call.body, "name");
    const std::vector<std::string> members = strings_at(call.body, "userlist");
    std::string owner = string_at(call.body, "owner");
    std::string chat_id = string_at(call.body, "chatid");
    if (name.empty()) {
        return error(kAppChatNeedsName);
    }
    if (members.size() < 2 || members.size() > 2000) {
        return error(kAppChatMemberCount);
    }
    for (const auto& member : members) {
        if (!known_user(member)) {
            return error(kAppChatInvalidMember);
        }
    }
    if (owner.empty()) {
        owner = members.front();
    } else if (std::find(members.begin(), members.end(), owner) == members.end()) {
        return error(kAppChatOwnerNotMember);
    }
    if (chat_id.empty()) {
        chat_id = "chat" + std::to_string(next_chat_++);
    } else if (app_chats_.count(chat_id) > 0) {
        return error(kAppChatIdExists);
    }
    AppChatState state;
    state.info = {{"chatid", chat_id},
                  {"name", name},
                  {"owner", owner},
                  {"userlist", members},
                  {"chat_type", 0}};
    app_chats_[chat_id] = std::move(state);
    json answer = ok();
    answer["chatid"] = chat_id;
    return answer;
}

json FakeWecomServer::appchat_update(const WecomCall& call) {
    const auto chat = app_chats_.find(string_at(call.body, "chatid"));
    if (chat == app_chats_.end()) {
        return error(kAppChatNotFound);
    }
    if (!chat->second.ours) {
        return error(kAppChatNotCreatedByApp);
    }
    json info = chat->second.info;
    std::vector<std::string> members = info["userlist"].get<std::vector<std::string>>();
    for (const auto& added : strings_at(call.body, "add_user_list")) {
        if (!known_user(added)) {
            return error(kAppChatInvalidMember);
        }
        if (std::find(members.begin(), members.end(), added) == members.end()) {
            members.push_back(added);
        }
    }
    for (const auto& removed : strings_at(call.body, "del_user_list")) {
        const auto it = std::find(members.begin(), members.end(), removed);
        if (it == members.end()) {
            return error(kAppChatInvalidMember);
        }
        members.erase(it);
    }
    if (const std::string name = string_at(call.body, "name"); !name.empty()) {
        info["name"] = name;
    }
    if (const std::string owner = string_at(call.body, "owner"); !owner.empty()) {
        if (std::find(members.begin(), members.end(), owner) == members.end()) {
            return error(kAppChatOwnerNotMember);
        }
        info["owner"] = owner;
    }
    info["userlist"] = members;
    // All checks passed: apply the change as one, as WeCom does.
    chat->second.info = info;
    return ok();
}

json FakeWecomServer::agent_get(const WecomCall& call) const {
    const auto param = call.query.find("agentid");
    if (param == call.query.end() || param->second != std::to_string(options_.agent_id)) {
        return error(kInvalidAgentId);
    }
    json users = json::array();
    for (const auto& user : options_.visible_users) {
        users.push_back({{"userid", user}});
    }
    return {{"errcode", 0},
            {"errmsg", "ok"},
            {"agentid", options_.agent_id},
            {"name", options_.agent_name},
            {"allow_userinfos", {{"user", users}}},
            {"allow_partys", {{"partyid", options_.visible_departments}}},
            {"allow_tags", {{"tagid", json::array()}}},
            {"close", 0}};
}

json FakeWecomServer::appchat_get(const WecomCall& call) const {
    const auto param = call.query.find("chatid");
    const auto chat = param == call.query.end() ? app_chats_.end() : app_chats_.find(param->second);
    if (chat == app_chats_.end()) {
        return error(kAppChatNotFound);
    }
    if (!chat->second.ours) {
        return error(kAppChatNotCreatedByApp);
    }
    json answer = ok();
    answer["chat_info"] = chat->second.info;
    return answer;
}

json FakeWecomServer::appchat_send(const WecomCall& call) {
    const auto chat = app_chats_.find(string_at(call.body, "chatid"));
    if (chat == app_chats_.end()) {
        return error(kAppChatNotFound);
    }
    if (!chat->second.ours) {
        return error(kAppChatNotCreatedByApp);
    }
    if (const int invalid = check_message(call.body, kAppMarkdownLimit)) {
        return error(invalid);
    }
    if (const int invalid = check_media(call.body)) {
        return error(invalid);
    }
    chat->second.messages.push_back(call.body);
    return ok();
}

int FakeWecomServer::check_media(const json& body) const {
    if (string_at(body, "msgtype") != "file") {
        return 0;
    }
    return media_.count(string_at(body.value("file", json::object()), "media_id")) != 0
               ? 0
               : kInvalidMediaId;
}

// multipart/form-data with one part named "media" carrying filename= and the bytes, as WeCom's
// media/upload documents it.
json FakeWecomServer::media_upload(const WecomCall& call) {
    const auto type = call.query.find("type");
    static const std::set<std::string> kTypes{"file", "image", "voice", "video"};
    if (type == call.query.end() || kTypes.count(type->second) == 0) {
        return error(kInvalidMediaType);
    }
    const std::string marker = "boundary=";
    const std::size_t at = call.content_type.find(marker);
    if (call.content_type.rfind("multipart/form-data", 0) != 0 || at == std::string::npos) {
        return error(kEmptyMedia);
    }
    const std::string boundary = "--" + call.content_type.substr(at + marker.size());
    const std::string& body = call.raw_body;
    const std::size_t part = body.find(boundary);
    const std::size_t headers_end = body.find("\r\n\r\n", part);
    const std::size_t end = body.find("\r\n" + boundary, headers_end);
    if (part == std::string::npos || headers_end == std::string::npos || end == std::string::npos) {
        return error(kEmptyMedia);
    }
    const std::string headers = body.substr(part, headers_end - part);
    const std::string name_marker = "filename=\"";
    const std::size_t name_at = headers.find(name_marker);
    if (headers.find("name=\"media\"") == std::string::npos || name_at == std::string::npos) {
        return error(kEmptyMedia);
    }
    const std::size_t name_start = name_at + name_marker.size();
    UploadedMedia media;
    media.type = type->second;
    media.file_name = headers.substr(name_start, headers.find('"', name_start) - name_start);
    media.bytes = body.substr(headers_end + 4, end - headers_end - 4);
    if (media.bytes.empty()) {
        return error(kEmptyMedia);
    }
    const std::string id = "media-" + std::to_string(media_.size() + 1);
    media_[id] = std::move(media);
    json answer = ok();
    answer["type"] = type->second;
    answer["media_id"] = id;
    answer["created_at"] = "1700000000";
    return answer;
}

std::optional<UploadedMedia> FakeWecomServer::media(const std::string& media_id) const {
    std::lock_guard lock(mutex_);
    const auto it = media_.find(media_id);
    return it == media_.end() ? std::nullopt : std::optional(it->second);
}

json FakeWecomServer::webhook_send(const WecomCall& call) {
    const auto key = call.query.find("key");
    if (call.method != "POST" || key == call.query.end() || robots_.count(key->second) == 0) {
        return error(kWebhookInvalid);
    }
    // 20 messages per minute per robot, counted over a sliding minute of real time; refused
    // sends count too, as a client hammering a blocked robot would find out.
    auto& times = webhook_times_[key->second];
    const auto now = Clock::now();
    std::erase_if(times, [&](Clock::time_point t) { return now - t >= std::chrono::minutes(1); });
    times.push_back(now);
    if (static_cast<int>(times.size()) > options_.webhook_messages_per_minute) {
        return error(kApiFrequencyLimit);
    }
    if (call.body.is_null()) {
        return error(kInvalidParameter);
    }
    if (const int invalid = check_message(call.body, kWebhookMarkdownLimit)) {
        return error(invalid);
    }
    if (const int invalid = check_media(call.body)) {
        return error(invalid);
    }
    webhook_messages_[key->second].push_back(call.body);
    return ok();
}

json FakeWecomServer::bot_response(const WecomCall& call) {
    const auto code = call.query.find("response_code");
    const auto known =
        code == call.query.end() ? response_codes_.end() : response_codes_.find(code->second);
    // The doc says a response_url works once; the errcode for a second use is not in our
    // sources, so the fake answers the generic "invalid parameter".
    if (call.method != "POST" || known == response_codes_.end() || known->second) {
        return error(kInvalidParameter);
    }
    if (string_at(call.body, "msgtype") != "markdown" || check_message(call.body, 20480) != 0) {
        return error(kInvalidParameter);
    }
    known->second = true;
    bot_replies_.push_back(call.body);
    return ok();
}

}  // namespace ledgerbot::testing
