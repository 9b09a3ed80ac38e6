#include "app/console/console_service.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "adapters/http/hmac.hpp"
#include "adapters/wecom/api_error.hpp"
#include "app/console/console_request.hpp"
#include "app/console/console_tokens.hpp"
#include "app/http/form_data.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/score_period.hpp"
#include "storage/console_answers.hpp"
#include "storage/console_sessions.hpp"
#include "storage/group_repository.hpp"
#include "storage/inbox.hpp"
#include "storage/sqlite_state.hpp"

namespace ledgerbot::app::console {
namespace asio = boost::asio;

namespace {

constexpr const char* kSessionCookie = "__Host-lb_session";
constexpr const char* kLoginCookie = "__Host-lb_login";
constexpr const char* kSource = "console";
// Closed risks shown under the open ones.
constexpr int kClosedDays = 90;
// How long an action waits for the engine before the page says "processing".
constexpr auto kAnswerWait = std::chrono::milliseconds(3000);
constexpr auto kAnswerPoll = std::chrono::milliseconds(40);
constexpr std::size_t kMaxNoteCharacters = 200;

std::string cookie(const char* name, const std::string& value, std::optional<int> max_age) {
    std::string out = std::string(name) + "=" + value + "; Path=/";
    if (max_age) {
        out += "; Max-Age=" + std::to_string(*max_age);
    }
    return out + "; Secure; HttpOnly; SameSite=Lax";
}

/// A WeCom sign-in code: URL-safe, so it can go into the getuserinfo query as it is.
bool is_sign_in_code(std::string_view text) {
    return !text.empty() && text.size() <= 512 &&
           text.find_first_not_of(
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
               std::string::npos;
}

/// One line of text for a chat command: line breaks become spaces, trimmed, capped.
std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    std::u32string characters = bot::text::decode_utf8(bot::text::trim(text));
    characters.resize(std::min(characters.size(), kMaxNoteCharacters));
    return bot::text::encode_utf8(characters);
}

}  // namespace

void add_console_headers(http::Response& response) {
    response.set("Content-Security-Policy",
                 "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    response.set("X-Frame-Options", "DENY");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set(http::field::cache_control, "no-store");
}

ConsoleService::ConsoleService(StoreWorker& store, const Clock& clock, Metrics& metrics,
                               const config::Settings& settings,
                               std::shared_ptr<adapters::wecom::ApiClient> wecom_api,
                               const templates::Renderer& chat_renderer,
                               const storage::EvidenceStore& evidence_store)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      settings_(settings),
      wecom_api_(std::move(wecom_api)),
      chat_renderer_(chat_renderer),
      evidence_store_(evidence_store) {}

void ConsoleService::install(http::Router& router) {
    const auto bind = [this](auto member) {
        return [this, member](const http::Request& request) -> asio::awaitable<http::Response> {
            http::Response response = co_await (this->*member)(request);
            add_console_headers(response);
            co_return response;
        };
    };
    // A page for signed-in users only: without a live session, the sign-in.
    const auto page = [this](auto member) {
        return [this, member](const http::Request& request) -> asio::awaitable<http::Response> {
            auto guarded = co_await require_session(request, nullptr);
            http::Response response;
            if (auto* refused = std::get_if<http::Response>(&guarded)) {
                response = std::move(*refused);
            } else {
                response = co_await (this->*member)(request, std::get<SignedIn>(guarded));
            }
            add_console_headers(response);
            co_return response;
        };
    };
    router.add(http::verb::get, "/console/login", bind(&ConsoleService::login));
    router.add(http::verb::get, "/console/auth/callback", bind(&ConsoleService::callback));
    router.add(http::verb::get, "/console/auth/link", bind(&ConsoleService::link_page));
    router.add(http::verb::post, "/console/auth/link", bind(&ConsoleService::link_sign_in));
    router.add(http::verb::post, "/console/logout", bind(&ConsoleService::logout));
    router.add(http::verb::get, "/console/risks", page(&ConsoleService::risks));
    router.add(http::verb::get, "/console/scores", page(&ConsoleService::scores));
    router.add(http::verb::post, "/console/actions", bind(&ConsoleService::action));
    router.add(http::verb::get, "/console/ledger", page(&ConsoleService::ledger));
    router.add(http::verb::get, "/console/ledger/export", page(&ConsoleService::ledger_export));
    router.add(http::verb::get, "/console/visits", page(&ConsoleService::visits));
    router.add(http::verb::get, "/console/evidence", page(&ConsoleService::evidence));
    router.add(http::verb::get, "/console/coverage", page(&ConsoleService::coverage));
    router.add(http::verb::get, "/console/groups", page(&ConsoleService::groups));
    router.add(http::verb::get, "/console/audit", page(&ConsoleService::audit_trail));
    router.add(http::verb::get, "/console/operations", page(&ConsoleService::operations));
    router.add(http::verb::post, "/console/operations/retry",
               bind(&ConsoleService::operations_retry));
    const auto home = [this](const http::Request& request) -> asio::awaitable<http::Response> {
        http::Response response = redirect(request, kConsoleHome);
        add_console_headers(response);
        co_return response;
    };
    router.add(http::verb::get, "/console/", home);
    router.add(http::verb::get, "/console", home);
    const auto stylesheet =
        [this](const http::Request& request) -> asio::awaitable<http::Response> {
        const auto css = pages_.asset("console.css");
        http::Response response = http::make_response(
            request, http::status::ok, std::string(css.value_or("")), "text/css; charset=utf-8");
        add_console_headers(response);
        response.set(http::field::cache_control, "max-age=3600");
        co_return response;
    };
    router.add(http::verb::get, "/console/static/console.css", stylesheet);
}

// ---------------------------------------------------------------- sign-in

asio::awaitable<http::Response> ConsoleService::login(const http::Request& request) {
    const auto query = query_fields(request.target());
    const std::string next = safe_next(form_value(query, "next"));
    const std::string state = random_token();
    const std::int64_t now = clock_.now_seconds();
    const std::int64_t expires = now + settings_.console.login_minutes * 60LL;
    const auto begin = [&state, &next, now, expires](SQLite::Database& db) {
        storage::ConsoleSessions(db).begin_login(state, next, now, expires).value();
        return true;
    };
    co_await store_.run<bool>(begin);

    const std::string redirect_uri = http::encode_query_value(base_url_ + "/console/auth/callback");
    const std::string corp = http::encode_query_value(settings_.wecom.corp_id);
    const std::string agent = std::to_string(settings_.wecom.agent_id);
    const std::string oauth_url = settings_.console.oauth_authorize_url + "?appid=" + corp +
                                  "&redirect_uri=" + redirect_uri +
                                  "&response_type=code&scope=snsapi_base&state=" + state +
                                  "&agentid=" + agent + "#wechat_redirect";
    const std::string qr_url = settings_.console.sso_login_url +
                               "?login_type=CorpApp&appid=" + corp + "&agentid=" + agent +
                               "&redirect_uri=" + redirect_uri + "&state=" + state + "&lang=zh";
    const std::string login_cookie =
        cookie(kLoginCookie, state, settings_.console.login_minutes * 60);
    // Inside the WeCom client the OAuth page signs in without a scan.
    const bool in_wecom =
        std::string_view(request[http::field::user_agent]).find("wxwork") != std::string_view::npos;
    http::Response response =
        in_wecom ? redirect(request, oauth_url)
                 : html(request, http::status::ok, "sign_in",
                        {{"signing_in", true}, {"qr_url", qr_url}, {"oauth_url", oauth_url}});
    response.set(http::field::set_cookie, login_cookie);
    co_return response;
}

asio::awaitable<http::Response> ConsoleService::callback(const http::Request& request) {
    const auto query = query_fields(request.target());
    const std::string state = form_value(query, "state");
    const std::string code = form_value(query, "code");
    const auto cookies = http::parse_cookies(request[http::field::cookie]);
    const auto bound = cookies.find(kLoginCookie);
    // The state must be the one this browser was given: otherwise someone else's sign-in
    // (a login CSRF) would sign this browser in as them.
    if (!is_token(state) || bound == cookies.end() ||
        !adapters::constant_time_equal(bound->second, state)) {
        co_return co_await refuse_sign_in(request, http::status::bad_request, "state_mismatch", "");
    }
    const std::int64_t now = clock_.now_seconds();
    const auto take = [&state, now](SQLite::Database& db) {
        return storage::ConsoleSessions(db).take_login(state, now).value();
    };
    const storage::TakenLogin taken = co_await store_.run<storage::TakenLogin>(take);
    if (taken.use != storage::OneTimeUse::taken) {
        co_return co_await refuse_sign_in(
            request, http::status::bad_request,
            taken.use == storage::OneTimeUse::expired ? "state_expired" : "state_unknown", "");
    }
    if (code.empty()) {
        co_return co_await refuse_sign_in(request, http::status::bad_request, "cancelled", "");
    }
    if (!is_sign_in_code(code)) {
        co_return co_await refuse_sign_in(request, http::status::bad_request, "bad_code", "");
    }
    if (!wecom_api_) {
        co_return message(request, http::status::service_unavailable, "no_wecom", true);
    }
    const auto user = co_await wecom_api_->auth_getuserinfo(code);
    if (!user) {
        if (user.error() ==
            adapters::wecom::make_api_error(adapters::wecom::errcode::kInvalidCode)) {
            co_return co_await refuse_sign_in(request, http::status::unauthorized, "code_invalid",
                                              "");
        }
        spdlog::warn("console sign-in: auth/getuserinfo failed: {}", user.error().message());
        co_return message(request, http::status::bad_gateway, "wecom_unavailable", true);
    }
    if (user.value().empty()) {
        co_return co_await refuse_sign_in(request, http::status::forbidden, "not_member", "");
    }
    const bool in_wecom =
        std::string_view(request[http::field::user_agent]).find("wxwork") != std::string_view::npos;
    http::Response response =
        co_await sign_in(request, user.value(), in_wecom ? "oauth" : "qr", taken.next);
    response.insert(http::field::set_cookie, cookie(kLoginCookie, "", 0));
    co_return response;
}

asio::awaitable<http::Response> ConsoleService::link_page(const http::Request& request) {
    // A GET never signs in: link previews in chat would use the one-time link up.
    const std::string token = form_value(query_fields(request.target()), "token");
    if (!is_token(token)) {
        co_return co_await refuse_sign_in(request, http::status::bad_request, "link_malformed", "");
    }
    co_return html(request, http::status::ok, "link_sign_in",
                   {{"signing_in", true}, {"token", token}});
}

asio::awaitable<http::Response> ConsoleService::link_sign_in(const http::Request& request) {
    const auto form = http::parse_form(request.body());
    const std::string token = form ? form_value(*form, "token") : std::string{};
    if (!same_origin(request)) {
        co_return co_await refuse_sign_in(request, http::status::forbidden, "cross_site", "");
    }
    if (!is_token(token)) {
        co_return co_await refuse_sign_in(request, http::status::bad_request, "link_malformed", "");
    }
    const std::int64_t now = clock_.now_seconds();
    const auto take = [&token, now](SQLite::Database& db) {
        return storage::ConsoleSessions(db).take_link(token, now).value();
    };
    const storage::TakenLink taken = co_await store_.run<storage::TakenLink>(take);
    switch (taken.use) {
        case storage::OneTimeUse::taken:
            co_return co_await sign_in(request, taken.user_id, "link", kConsoleHome);
        case storage::OneTimeUse::used:
            co_return co_await refuse_sign_in(request, http::status::unauthorized, "link_used",
                                              taken.user_id);
        case storage::OneTimeUse::expired:
            co_return co_await refuse_sign_in(request, http::status::unauthorized, "link_expired",
                                              taken.user_id);
        case storage::OneTimeUse::unknown:
            break;
    }
    co_return co_await refuse_sign_in(request, http::status::unauthorized, "link_unknown", "");
}

asio::awaitable<http::Response> ConsoleService::sign_in(const http::Request& request,
                                                        const std::string& user_id,
                                                        const std::string& via,
                                                        const std::string& next) {
    const std::string session_id = random_token();
    const std::int64_t now = clock_.now_seconds();
    const auto open = [this, &user_id, &via, &session_id, now](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        if (!bot::console::console_viewer(user_id, state, settings_.engine)) {
            return false;
        }
        storage::ConsoleSessions(db).open(session_id, user_id, via, now).value();
        return true;
    };
    if (!co_await store_.run<bool>(open)) {
        co_return co_await refuse_sign_in(request, http::status::forbidden, "not_staff", user_id);
    }
    spdlog::info("console: {} signed in ({})", user_id, via);
    http::Response response = redirect(request, safe_next(next));
    response.set(http::field::set_cookie, cookie(kSessionCookie, session_id, std::nullopt));
    co_return response;
}

asio::awaitable<http::Response> ConsoleService::logout(const http::Request& request) {
    const auto form = http::parse_form(request.body());
    auto guarded = co_await require_session(request, form ? &*form : nullptr);
    if (auto* refused = std::get_if<http::Response>(&guarded)) {
        co_return std::move(*refused);
    }
    const std::string session_id = std::get<SignedIn>(guarded).session_id;
    const std::int64_t now = clock_.now_seconds();
    const auto end = [&session_id, now](SQLite::Database& db) {
        return storage::ConsoleSessions(db).end(session_id, now).value();
    };
    co_await store_.run<bool>(end);
    http::Response response = message(request, http::status::ok, "signed_out", true);
    response.set(http::field::set_cookie, cookie(kSessionCookie, "", 0));
    co_return response;
}

asio::awaitable<void> ConsoleService::audit(bot::AuditEntry entry) {
    const std::int64_t now = clock_.now_seconds();
    const auto write = [&entry, now](SQLite::Database& db) {
        storage::ConsoleSessions(db).audit(entry, now).value();
        return true;
    };
    try {
        co_await store_.run<bool>(write);
    } catch (const std::exception& e) {
        spdlog::error("console: audit entry {} not written: {}", entry.action, e.what());
    }
}

asio::awaitable<http::Response> ConsoleService::refuse_sign_in(const http::Request& request,
                                                               http::status status,
                                                               const std::string& reason,
                                                               const std::string& user_id) {
    spdlog::warn("console: sign-in refused ({}){}", reason,
                 user_id.empty() ? std::string{} : " for " + user_id);
    metrics_.count_refused("console_" + reason);
    bot::AuditEntry entry{user_id.empty() ? std::string(kSource) : user_id,
                          "console.sign_in_refused",
                          user_id,
                          {{"reason", reason}}};
    co_await audit(std::move(entry));
    co_return message(request, status, reason, true);
}

// ---------------------------------------------------------------- sessions

bool ConsoleService::same_origin(const http::Request& request) const {
    const std::string_view site = request["Sec-Fetch-Site"];
    if (!site.empty()) {
        return site == "same-origin";
    }
    const std::string_view origin = request[http::field::origin];
    // Neither header: an old browser. The CSRF token still has to match.
    return origin.empty() || origin == base_url_;
}

asio::awaitable<ConsoleService::Guarded> ConsoleService::require_session(
    const http::Request& request, const std::map<std::string, std::string>* form) {
    const auto cookies = http::parse_cookies(request[http::field::cookie]);
    const auto found = cookies.find(kSessionCookie);
    const std::string next = safe_next(std::string(request.target()));
    const auto to_sign_in = [&] {
        http::Response response =
            request.method() == http::verb::get
                ? redirect(request, "/console/login?next=" + http::encode_query_value(next))
                : message(request, http::status::unauthorized, "session_ended", true);
        if (found != cookies.end()) {
            response.set(http::field::set_cookie, cookie(kSessionCookie, "", 0));
        }
        return response;
    };
    if (found == cookies.end() || !is_token(found->second)) {
        co_return to_sign_in();
    }
    const std::string session_id = found->second;
    const std::int64_t now = clock_.now_seconds();
    const storage::SessionLimits limits{settings_.console.session_idle_minutes * 60LL,
                                        settings_.console.session_hours * 3600LL};
    struct Found {
        std::optional<storage::ConsoleSession> session;
        std::optional<bot::console::ConsoleViewer> viewer;
    };
    const auto touch = [this, &session_id, now, &limits](SQLite::Database& db) {
        Found out;
        out.session = storage::ConsoleSessions(db).touch(session_id, now, limits).value();
        if (out.session) {
            storage::SqliteState state(db);
            state.refresh();
            out.viewer =
                bot::console::console_viewer(out.session->user_id, state, settings_.engine);
        }
        return out;
    };
    Found current = co_await store_.run<Found>(touch);
    if (!current.session) {
        co_return to_sign_in();
    }
    if (!current.viewer) {
        bot::AuditEntry entry{
            current.session->user_id,
            "console.refused",
            current.session->user_id,
            {{"reason", "not_staff"}, {"path", std::string(http::path_of(request.target()))}}};
        co_await audit(std::move(entry));
        co_return message(request, http::status::forbidden, "no_longer_staff", false);
    }
    SignedIn signed_in{session_id, csrf_token(session_id), std::move(*current.viewer)};
    if (request.method() != http::verb::get) {
        const std::string sent = form != nullptr ? form_value(*form, "csrf") : std::string{};
        const bool token_ok = adapters::constant_time_equal(sent, signed_in.csrf);
        if (!token_ok || !same_origin(request)) {
            const std::string reason = token_ok ? "cross_site" : "csrf";
            spdlog::warn("console: {} refused for {} ({})", http::path_of(request.target()),
                         signed_in.viewer.id, reason);
            metrics_.count_refused("console_" + reason);
            bot::AuditEntry entry{
                signed_in.viewer.id,
                "console.refused",
                signed_in.viewer.id,
                {{"reason", reason}, {"path", std::string(http::path_of(request.target()))}}};
            co_await audit(std::move(entry));
            co_return message(request, http::status::forbidden, reason, false);
        }
    }
    co_return signed_in;
}

// ---------------------------------------------------------------- pages

asio::awaitable<nlohmann::json> ConsoleService::flash_fields(const std::string& done,
                                                             const std::string& user_id) {
    nlohmann::json out = nlohmann::json::object();
    if (!is_token(done)) {
        co_return out;
    }
    const std::string key = std::string(kSource) + ":" + done;
    const auto read = [&key, &user_id](SQLite::Database& db) {
        return storage::console_answer(db, key, user_id).value();
    };
    const storage::ConsoleAnswer answer = co_await store_.run<storage::ConsoleAnswer>(read);
    if (answer.state == storage::ConsoleAnswer::State::waiting) {
        out["pending"] = true;
        co_return out;
    }
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& [template_id, fields] : answer.notices) {
        try {
            const std::string text = chat_renderer_.render(template_id, fields);
            for (const std::string& line : bot::text::split_lines(text)) {
                if (!bot::text::trim(line).empty()) {
                    lines.push_back(line);
                }
            }
        } catch (const std::exception& e) {
            spdlog::error("console: answer {} not rendered: {}", template_id, e.what());
        }
    }
    out["failed"] = answer.state == storage::ConsoleAnswer::State::failed;
    out["flash_lines"] = lines;
    out["has_flash"] = !lines.empty();
    co_return out;
}

asio::awaitable<nlohmann::json> ConsoleService::page_fields(const SignedIn& user,
                                                            const http::Request& request,
                                                            const char* nav) {
    nlohmann::json fields =
        co_await flash_fields(form_value(query_fields(request.target()), "done"), user.viewer.id);
    fields[nav] = true;
    fields["csrf"] = user.csrf;
    fields["viewer"] = bot::console::viewer_fields(user.viewer);
    fields["viewer"]["csrf"] = user.csrf;
    co_return fields;
}

asio::awaitable<http::Response> ConsoleService::risks(const http::Request& request,
                                                      const SignedIn& user) {
    const std::int64_t now = clock_.now_seconds();
    const auto read = [this, &user, now](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        return bot::console::risks_view(storage::GroupRepository(db).risks(), user.viewer, state,
                                        settings_.engine, now, now - kClosedDays * 86400LL);
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    // The rule and the summary in the chat answers' words.
    for (const char* list : {"open", "closed"}) {
        for (nlohmann::json& risk : fields[list]) {
            risk["rule_text"] = chat_renderer_.render("risk_rule", risk);
            risk["summary_text"] = chat_renderer_.render("risk_summary", risk);
            risk["nonce"] = random_token();
            risk["close_nonce"] = random_token();
            risk["csrf"] = user.csrf;
        }
    }
    fields.update(co_await page_fields(user, request, "nav_risks"));
    fields["closed_days"] = kClosedDays;
    bot::AuditEntry entry{user.viewer.id,
                          "console.viewed",
                          "risks",
                          {{"open", fields["open_count"]}, {"closed", fields["closed_count"]}}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "risks", fields);
}

asio::awaitable<http::Response> ConsoleService::scores(const http::Request& request,
                                                       const SignedIn& user) {
    const auto query = query_fields(request.target());
    const std::int64_t now = clock_.now_seconds();
    const bot::time::ScorePeriod this_week = bot::time::week_of(now);
    std::optional<bot::time::ScorePeriod> week = bot::time::parse_week(form_value(query, "week"));
    if (!week || week->from > this_week.from) {
        week = bot::time::previous_week(now);  // the week the Monday review is about
    }
    const auto read = [this, &user, &week](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        return bot::console::scores_view(user.viewer, state, settings_.engine, *week);
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    for (nlohmann::json& table : fields["tables"]) {
        table["nonce"] = random_token();
        table["csrf"] = user.csrf;
        table["week"] = week->label;
    }
    fields["previous_week"] = bot::time::previous_week(week->from).label;
    if (week->from < this_week.from) {
        fields["next_week"] = bot::time::week_of(week->to + 1).label;
    }
    fields.update(co_await page_fields(user, request, "nav_scores"));
    bot::AuditEntry entry{user.viewer.id, "console.viewed", "scores:" + week->label, {}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "scores", fields);
}

// ---------------------------------------------------------------- actions

asio::awaitable<http::Response> ConsoleService::action(const http::Request& request) {
    const auto form = http::parse_form(request.body());
    if (!form) {
        spdlog::warn("console: action refused: the form is not valid form data");
        co_return message(request, http::status::bad_request, "bad_form", false);
    }
    auto guarded = co_await require_session(request, &*form);
    if (auto* refused = std::get_if<http::Response>(&guarded)) {
        co_return std::move(*refused);
    }
    const SignedIn& user = std::get<SignedIn>(guarded);
    const std::string kind = form_value(*form, "action");
    const std::string nonce = form_value(*form, "nonce");
    const std::string back = safe_next(form_value(*form, "back"));
    const ActionCommand command = command_of(*form);
    if (!command.refusal.empty()) {
        co_return message(request, http::status::bad_request, command.refusal, user);
    }
    if (!is_token(nonce)) {
        co_return message(request, http::status::bad_request, "stale_page", user);
    }
    const std::string text = command.text;

    // The same path as a chat command: stored durably, then decided by the engine.
    bot::model::InboundEvent event;
    event.id = nonce;
    event.source = kSource;
    event.type = bot::model::EventType::message;
    event.time = clock_.now_seconds();
    event.chat = {kSource, kSource, bot::model::ChatKind::direct, "", 0};
    event.sender = {user.viewer.id, user.viewer.name, "", false, 0};
    event.text = text;
    try {
        co_await store_.store(std::move(event));
    } catch (const std::system_error& e) {
        spdlog::error("console: action not stored: {}", e.what());
        co_return message(request, http::status::service_unavailable, "not_stored", user);
    }
    store_.wake();
    spdlog::info("console: {} by {}", kind, user.viewer.id);

    // Usually the engine answers within milliseconds; show the answer when it has.
    const std::string key = std::string(kSource) + ":" + nonce;
    const std::string user_id = user.viewer.id;
    const auto read = [&key, &user_id](SQLite::Database& db) {
        return storage::console_answer(db, key, user_id).value().state;
    };
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + kAnswerWait;
    while (std::chrono::steady_clock::now() < deadline) {
        if (co_await store_.run<storage::ConsoleAnswer::State>(read) !=
            storage::ConsoleAnswer::State::waiting) {
            break;
        }
        timer.expires_after(kAnswerPoll);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return redirect(request,
                       back + (back.find('?') == std::string::npos ? "?" : "&") + "done=" + nonce);
}

ConsoleService::ActionCommand ConsoleService::command_of(
    const std::map<std::string, std::string>& form) const {
    const auto& settings = settings_.engine;
    const std::string kind = form_value(form, "action");
    const std::string note = one_line(form_value(form, "note"));
    if (kind == "acknowledge" || kind == "close") {
        const std::string risk = form_value(form, "risk");
        if (!bot::text::parse_numbered_id(risk, 'R')) {
            return {"", "bad_risk"};
        }
        const auto& words = kind == "acknowledge" ? settings.risk_notices.acknowledge_commands
                                                  : settings.risk_notices.close_commands;
        return {"/" + words.front() + " " + risk + (note.empty() ? "" : " " + note), ""};
    }
    if (kind == "approve") {
        const auto week = bot::time::parse_week(form_value(form, "week"));
        if (!week) {
            return {"", "bad_week"};
        }
        // The version on the page: the engine approves it only if the table is still that one.
        const std::string version = form_value(form, "version");
        if (version.size() != 8 ||
            version.find_first_not_of("0123456789abcdef") != std::string::npos) {
            return {"", "stale_page"};
        }
        return {"/" + settings.scores.review_commands.front() + " " +
                    settings.scores.approve_words.front() + " " + week->label + " " + version,
                ""};
    }
    if (kind == "check" || kind == "void") {
        const std::string visit = form_value(form, "visit");
        if (!bot::text::parse_numbered_id(visit, 'V')) {
            return {"", "bad_visit"};
        }
        if (note.empty()) {
            return {"", "reason_needed"};
        }
        if (kind == "void") {
            return {"/" + settings.scores.review_commands.front() + " " +
                        settings.scores.void_words.front() + " " + visit + " " + note,
                    ""};
        }
        const std::string finding = form_value(form, "finding");
        if (finding != "inaccurate" && finding != "omission") {
            return {"", "bad_action"};
        }
        const auto& words = finding == "inaccurate" ? settings.scores.inaccurate_words
                                                    : settings.scores.omission_words;
        return {"/" + settings.scores.check_commands.front() + " " + visit + " " + words.front() +
                    " " + note,
                ""};
    }
    return {"", "bad_action"};
}

// ---------------------------------------------------------------- responses

http::Response ConsoleService::html(const http::Request& request, http::status status,
                                    std::string_view page, const nlohmann::json& fields) const {
    return http::make_response(request, status, pages_.render(page, fields),
                               "text/html; charset=utf-8");
}

http::Response ConsoleService::message(const http::Request& request, http::status status,
                                       const std::string& reason, bool sign_in_link) const {
    return html(request, status, "message",
                {{"reason_" + reason, true}, {"sign_in", sign_in_link}});
}

http::Response ConsoleService::message(const http::Request& request, http::status status,
                                       const std::string& reason, const SignedIn& user) const {
    nlohmann::json viewer = bot::console::viewer_fields(user.viewer);
    viewer["csrf"] = user.csrf;
    return html(request, status, "message",
                {{"reason_" + reason, true}, {"csrf", user.csrf}, {"viewer", std::move(viewer)}});
}

http::Response ConsoleService::redirect(const http::Request& request,
                                        const std::string& location) const {
    http::Response response = http::make_response(request, http::status::see_other, "");
    response.set(http::field::location, location);
    return response;
}

}  // namespace ledgerbot::app::console
