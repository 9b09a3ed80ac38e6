// The web console's sign-in and its guards, over real sockets: the console listener, the fake
// WeCom API (its OAuth and QR login pages and auth/getuserinfo), the SQLite file.
#include <catch2/catch.hpp>

#include "app/application.hpp"

#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "bot/time/civil_time.hpp"
#include "storage/console_sessions.hpp"
#include "storage/sha256.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"

namespace {

using namespace ledgerbot::testing;
using Catch::Matchers::Contains;

constexpr const char* kDesktop = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0";
constexpr const char* kWecomClient =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) wxwork/4.1.30 MicroMessenger/7.0.1";

std::string header(const TestResponse& response, const std::string& name) {
    const auto it = response.headers.find(name);
    return it == response.headers.end() ? std::string{} : it->second;
}

/// The value `name` is set to by the response's Set-Cookie headers ("" when not set).
std::string set_cookie_value(const TestResponse& response, const std::string& name) {
    std::smatch match;
    const std::string cookies = header(response, "Set-Cookie");
    const std::regex pattern(name + "=([^;]*)");
    return std::regex_search(cookies, match, pattern) ? match[1].str() : std::string{};
}

std::string html_unescape(std::string text) {
    for (std::size_t at = text.find("&amp;"); at != std::string::npos;
         at = text.find("&amp;", at + 1)) {
        text.replace(at, 5, "&");
    }
    return text;
}

/// The path and query of an absolute URL on 127.0.0.1.
std::string target_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto path = url.find('/', scheme + 3);
    return url.substr(path);
}

struct Console {
    explicit Console(const ledgerbot::app::Clock* clock = nullptr)
        : service("", "",
                  "[adapters.wecom]\nenabled = false\ncorp_id = \"" + fake.options().corp_id +
                      "\"\nsecret = \"" + fake.options().secret +
                      "\"\nagent_id = " + std::to_string(fake.options().agent_id) +
                      "\napi_base_url = \"" + fake.base_url() +
                      "\"\ngroup_resync_minutes = 0\n[console]\nenabled = true\nlisten_port = "
                      "0\noauth_authorize_url = \"" +
                      fake.base_url() + "/connect/oauth2/authorize\"\nsso_login_url = \"" +
                      fake.base_url() + "/wwlogin/sso/login\"\n",
                  clock) {
        service.import_demo_directory();
        port = service.application().console_endpoint().port();
        fake.set_trusted_domain("127.0.0.1");
    }

    struct Started {
        std::string state;  ///< from the __Host-lb_login cookie
        std::string wecom;  ///< the WeCom login URL the browser is sent to
        TestResponse response;
    };

    /// GET /console/login as a desktop browser (the page links the QR login) or inside WeCom
    /// (a redirect to OAuth).
    Started start(const std::string& user_agent) {
        HttpTestClient client(port);
        Started out;
        out.response =
            client.get("/console/login?next=/console/scores", {{"User-Agent", user_agent}});
        out.state = set_cookie_value(out.response, "__Host-lb_login");
        if (out.response.status == 303) {
            out.wecom = header(out.response, "Location");
        } else {
            std::smatch match;
            const std::regex link("id=\"qr-login\" href=\"([^\"]*)\"");
            if (std::regex_search(out.response.body, match, link)) {
                out.wecom = html_unescape(match[1].str());
            }
        }
        return out;
    }

    /// What WeCom's page answers: 302 back to the console with a code.
    std::string through_wecom(const std::string& wecom_url) {
        HttpTestClient client(fake.port());
        std::string target = target_of(wecom_url);
        target = target.substr(0, target.find('#'));  // the fragment never reaches a server
        const TestResponse answer = client.get(target);
        REQUIRE(answer.status == 302);
        return header(answer, "Location");
    }

    TestResponse callback(const std::string& callback_url, const std::string& login_cookie,
                          const std::string& user_agent = kDesktop) {
        HttpTestClient client(port);
        HeaderList headers{{"User-Agent", user_agent}};
        if (!login_cookie.empty()) {
            headers.emplace_back("Cookie", "__Host-lb_login=" + login_cookie);
        }
        return client.get(target_of(callback_url), headers);
    }

    /// Signs `user` in by the QR login and returns the session cookie's value.
    std::string sign_in(const std::string& user) {
        fake.set_sign_in_user(user);
        const Started started = start(kDesktop);
        const TestResponse done = callback(through_wecom(started.wecom), started.state);
        REQUIRE(done.status == 303);
        return set_cookie_value(done, "__Host-lb_session");
    }

    TestResponse get(const std::string& target, const std::string& session) {
        HttpTestClient client(port);
        return client.get(target, {{"Cookie", "__Host-lb_session=" + session}});
    }

    TestResponse post(const std::string& target, const std::string& body,
                      const std::string& session, HeaderList headers = {}) {
        HttpTestClient client(port);
        headers.emplace_back("Cookie", "__Host-lb_session=" + session);
        headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        return client.post(target, body, headers);
    }

    std::int64_t audits(const std::string& action, const std::string& detail_like = "%") const {
        return service.count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action +
                             "' AND detail_json LIKE '" + detail_like + "'");
    }

    FakeWecomServer fake;
    RunningService service;
    std::uint16_t port = 0;
};

/// A form field's value in a page (the first input with that name).
std::string form_field(const std::string& html, const std::string& name) {
    std::smatch match;
    const std::regex field("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(html, match, field) ? match[1].str() : std::string{};
}

/// Compliance (周八) raises a 【风险提示】 about 星河新材 (account manager 李四) in a direct chat.
void raise_risk(RunningService& service) {
    nlohmann::json event{
        {"id", "risk-1"},
        {"type", "message"},
        {"time", ledgerbot::bot::time::format_rfc3339(now_seconds())},
        {"chat", {{"id", "dm-zhouba"}, {"type", "direct"}}},
        {"sender", {{"id", "zhouba"}, {"name", "周八"}}},
        {"text", "【风险提示】星河新材控股股东股权质押比例超过80%，请暂停推荐融资并核实。"}};
    const std::string body = event.dump();
    HttpTestClient client(service.port());
    REQUIRE(client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM risks WHERE status = 'open'", 1));
}

}  // namespace

TEST_CASE("Console sign-in by the WeCom QR login sets a __Host- session cookie and audits it",
          "[integration][console]") {
    Console console;
    console.fake.set_sign_in_user("zhouba");
    const Console::Started started = console.start(kDesktop);
    REQUIRE(started.response.status == 200);
    CHECK_THAT(started.response.body, Contains("企业微信扫码登录"));
    CHECK(started.state.size() == 64);
    const std::string login_cookie = header(started.response, "Set-Cookie");
    CHECK_THAT(login_cookie, Contains("Secure") && Contains("HttpOnly") &&
                                 Contains("SameSite=Lax") && Contains("Path=/"));
    CHECK_THAT(started.wecom, Contains("/wwlogin/sso/login?login_type=CorpApp") &&
                                  Contains("agentid=1000002") &&
                                  Contains("state=" + started.state));

    const std::string back = console.through_wecom(started.wecom);
    CHECK_THAT(back, Contains("/console/auth/callback?code="));
    const TestResponse done = console.callback(back, started.state);
    REQUIRE(done.status == 303);
    CHECK(header(done, "Location") == "/console/scores");  // where the user was going
    const std::string session = set_cookie_value(done, "__Host-lb_session");
    REQUIRE(session.size() == 64);
    const std::string cookies = header(done, "Set-Cookie");
    CHECK_THAT(cookies, Contains("__Host-lb_session=" + session +
                                 "; Path=/; Secure; HttpOnly; SameSite=Lax"));
    CHECK_THAT(cookies, !Contains("Domain="));
    CHECK_THAT(cookies, Contains("__Host-lb_login=; Path=/; Max-Age=0"));  // state cleared

    // Only the hash of the session id is stored.
    CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions WHERE id_hash = '" +
                                ledgerbot::storage::sha256_hex(session) +
                                "' AND user_id = 'zhouba' AND via = 'qr'") == 1);
    CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions WHERE id_hash = '" +
                                session + "'") == 0);
    CHECK(console.audits("console.signed_in", "%qr%") == 1);

    const TestResponse page = console.get("/console/risks", session);
    REQUIRE(page.status == 200);
    CHECK_THAT(page.body, Contains("周八") && Contains("合规风控部"));
    CHECK_THAT(header(page, "Content-Security-Policy"), Contains("default-src 'self'"));
    CHECK(header(page, "X-Frame-Options") == "DENY");
    CHECK(header(page, "Cache-Control") == "no-store");
    CHECK(console.audits("console.viewed") == 1);
}

TEST_CASE("Inside the WeCom client the console signs in by OAuth (snsapi_base) without a scan",
          "[integration][console]") {
    Console console;
    console.fake.set_sign_in_user("zhengshi");
    const Console::Started started = console.start(kWecomClient);
    REQUIRE(started.response.status == 303);
    CHECK_THAT(started.wecom, Contains("/connect/oauth2/authorize?appid=") &&
                                  Contains("scope=snsapi_base") && Contains("#wechat_redirect"));
    const TestResponse done =
        console.callback(console.through_wecom(started.wecom), started.state, kWecomClient);
    REQUIRE(done.status == 303);
    CHECK(console.service.count(
              "SELECT COUNT(*) FROM console_sessions WHERE user_id = 'zhengshi' AND via = "
              "'oauth'") == 1);
}

TEST_CASE(
    "Console sign-in refuses a state that is not this browser's, a code used twice, "
    "and people outside the staff list",
    "[integration][console]") {
    Console console;

    SECTION("state mismatch: 400, no session") {
        console.fake.set_sign_in_user("zhouba");
        const Console::Started mine = console.start(kDesktop);
        const Console::Started other = console.start(kDesktop);
        const std::string back = console.through_wecom(other.wecom);
        // This browser holds the first state; the callback carries the second.
        const TestResponse refused = console.callback(back, mine.state);
        CHECK(refused.status == 400);
        CHECK_THAT(refused.body, Contains("登录请求与本浏览器不符"));
        // Without the login cookie at all (a link sent by someone else).
        CHECK(console.callback(back, "").status == 400);
        CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions") == 0);
        CHECK(console.audits("console.sign_in_refused", "%state_mismatch%") == 2);
    }

    SECTION("a code used twice: 401") {
        console.fake.set_sign_in_user("zhouba");
        const Console::Started first = console.start(kDesktop);
        const std::string back = console.through_wecom(first.wecom);
        REQUIRE(console.callback(back, first.state).status == 303);
        // The same code again, under a fresh login of this browser.
        const Console::Started second = console.start(kDesktop);
        const std::string replay =
            std::regex_replace(back, std::regex("state=[0-9a-f]+"), "state=" + second.state);
        const TestResponse refused = console.callback(replay, second.state);
        CHECK(refused.status == 401);
        CHECK_THAT(refused.body, Contains("登录码无效或已使用"));
        CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions") == 1);
        CHECK(console.audits("console.sign_in_refused", "%code_invalid%") == 1);
        // The state itself is single-use too.
        CHECK(console.callback(back, first.state).status == 400);
    }

    SECTION("a corp member who is not on the staff list: 403") {
        console.fake.set_sign_in_user("stranger");
        const Console::Started started = console.start(kDesktop);
        const TestResponse refused =
            console.callback(console.through_wecom(started.wecom), started.state);
        CHECK(refused.status == 403);
        CHECK_THAT(refused.body, Contains("不在员工名单中"));
        CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions") == 0);
        CHECK(console.audits("console.sign_in_refused", "%not_staff%") == 1);
    }

    SECTION("someone outside the corp (an openid only): 403") {
        console.fake.set_sign_in_user("outsider", false);
        const Console::Started started = console.start(kDesktop);
        CHECK(console.callback(console.through_wecom(started.wecom), started.state).status == 403);
        CHECK(console.audits("console.sign_in_refused", "%not_member%") == 1);
    }

    SECTION("the user cancels at WeCom: 400, nothing signed in") {
        console.fake.set_sign_in_user("");
        const Console::Started started = console.start(kDesktop);
        const std::string back = console.through_wecom(started.wecom);
        CHECK_THAT(back, !Contains("code="));
        CHECK(console.callback(back, started.state).status == 400);
    }
}

TEST_CASE("Console sessions end after the idle and the absolute timeout, and at sign-out",
          "[integration][console]") {
    ledgerbot::app::ManualClock clock(now_seconds());
    Console console(&clock);

    SECTION("idle") {
        const std::string session = console.sign_in("zhouba");
        clock.advance_seconds(29 * 60);
        CHECK(console.get("/console/risks", session).status == 200);
        clock.advance_seconds(31 * 60);
        const TestResponse expired = console.get("/console/risks", session);
        CHECK(expired.status == 303);
        CHECK_THAT(header(expired, "Location"), Contains("/console/login?next="));
        CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions WHERE end_reason = "
                                    "'idle'") == 1);
    }

    SECTION("absolute, however active") {
        const std::string session = console.sign_in("zhouba");
        for (int i = 0; i < 20; ++i) {  // 20 × 29 minutes = 9 h 40 min
            clock.advance_seconds(29 * 60);
            REQUIRE(console.get("/console/risks", session).status == 200);
        }
        clock.advance_seconds(25 * 60);
        CHECK(console.get("/console/risks", session).status == 303);
        CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions WHERE end_reason = "
                                    "'expired'") == 1);
    }

    SECTION("sign-out") {
        const std::string session = console.sign_in("zhouba");
        const std::string csrf = form_field(console.get("/console/risks", session).body, "csrf");
        REQUIRE(!csrf.empty());
        const TestResponse out = console.post("/console/logout", "csrf=" + csrf, session,
                                              {{"Sec-Fetch-Site", "same-origin"}});
        CHECK(out.status == 200);
        CHECK_THAT(header(out, "Set-Cookie"), Contains("__Host-lb_session=; Path=/; Max-Age=0"));
        CHECK(console.get("/console/risks", session).status == 303);
        CHECK(console.audits("console.signed_out") == 1);
    }
}

TEST_CASE(
    "Console actions need the session's CSRF token and a same-origin request, and go "
    "through the inbox like a chat command",
    "[integration][console]") {
    Console console;
    raise_risk(console.service);
    const std::string session = console.sign_in("lisi");  // 星河新材's account manager
    const TestResponse page = console.get("/console/risks", session);
    REQUIRE(page.status == 200);
    CHECK_THAT(page.body, Contains("R1") && Contains("股权质押比例超过80%"));
    const std::string csrf = form_field(page.body, "csrf");
    const std::string nonce = form_field(page.body, "nonce");
    REQUIRE(csrf.size() == 64);
    REQUIRE(nonce.size() == 64);
    const std::string form = "nonce=" + nonce +
                             "&action=acknowledge&risk=R1&back=%2Fconsole%2Frisks&note=" +
                             "%E5%B7%B2%E6%9A%82%E5%81%9C%E6%8E%A8%E8%8D%90";  // 已暂停推荐
    const HeaderList same_origin{{"Sec-Fetch-Site", "same-origin"}};

    CHECK(console.post("/console/actions", form, session, same_origin).status == 403);
    CHECK(
        console
            .post("/console/actions", form + "&csrf=" + std::string(64, 'a'), session, same_origin)
            .status == 403);
    CHECK(console
              .post("/console/actions", form + "&csrf=" + csrf, session,
                    {{"Sec-Fetch-Site", "cross-site"}})
              .status == 403);
    CHECK(console
              .post("/console/actions", form + "&csrf=" + csrf, session,
                    {{"Origin", "https://evil.example"}})
              .status == 403);
    CHECK(console.audits("console.refused", "%csrf%") == 2);
    CHECK(console.audits("console.refused", "%cross_site%") == 2);
    CHECK(console.service.count("SELECT COUNT(*) FROM inbox WHERE source = 'console'") == 0);

    const TestResponse done =
        console.post("/console/actions", form + "&csrf=" + csrf, session, same_origin);
    REQUIRE(done.status == 303);
    CHECK(header(done, "Location") == "/console/risks?done=" + nonce);
    CHECK(console.service.count("SELECT COUNT(*) FROM risks WHERE acknowledged_by = 'lisi' AND "
                                "ack_note = '已暂停推荐'") == 1);
    // A second submit of the same form (a double click, a reload) counts once.
    REQUIRE(console.post("/console/actions", form + "&csrf=" + csrf, session, same_origin).status ==
            303);
    CHECK(console.service.count("SELECT COUNT(*) FROM inbox WHERE source = 'console'") == 1);
    CHECK(console.service.count("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'risk.acknowledged' AND actor = 'lisi'") == 1);
    // The engine's answer is shown on the page; compliance is told on their own channel.
    const TestResponse answered = console.get("/console/risks?done=" + nonce, session);
    CHECK_THAT(answered.body, Contains("已由 李四") && Contains("确认"));
    CHECK(console.service.wait_for_sent("risk_acknowledged", "zhouba"));
}

TEST_CASE("A one-time console link signs in once, by a POST, within its time",
          "[integration][console]") {
    ledgerbot::app::ManualClock clock(now_seconds());
    Console console(&clock);
    const auto link = [&](const std::string& user) {
        const std::string token(64, static_cast<char>('0' + (user.size() % 10)));
        SQLite::Database db(console.service.database_path().string(), SQLite::OPEN_READWRITE);
        // The service is building its journal at start; wait for its write lock, not fail.
        db.setBusyTimeout(5000);
        ledgerbot::storage::ConsoleSessions(db)
            .create_link(token, user, "operator:test", clock.now_seconds(),
                         clock.now_seconds() + 600)
            .value();
        return token;
    };
    const std::string token = link("zhouba");
    HttpTestClient client(console.port);
    // Opening the link (or a chat preview fetching it) does not use it up.
    const TestResponse page = client.get("/console/auth/link?token=" + token);
    CHECK(page.status == 200);
    CHECK_THAT(page.body, Contains("一次性登录链接"));
    const HeaderList form{{"Content-Type", "application/x-www-form-urlencoded"},
                          {"Sec-Fetch-Site", "same-origin"}};
    const TestResponse first = client.post("/console/auth/link", "token=" + token, form);
    CHECK(first.status == 303);
    CHECK(set_cookie_value(first, "__Host-lb_session").size() == 64);
    const TestResponse second = client.post("/console/auth/link", "token=" + token, form);
    CHECK(second.status == 401);
    CHECK_THAT(second.body, Contains("已使用过"));
    CHECK(console.service.count("SELECT COUNT(*) FROM console_sessions WHERE via = 'link'") == 1);

    const std::string late = link("lisi");
    clock.advance_seconds(601);
    CHECK(client.post("/console/auth/link", "token=" + late, form).status == 401);
    CHECK(console.audits("console.sign_in_refused", "%link_expired%") == 1);
    CHECK(client.post("/console/auth/link", "token=" + std::string(64, 'f'), form).status == 401);
}

/// 张三 reports `count` visits to 示例科技 in November, two demands each, directly to the bot.
void report_visits(Console& console, int count) {
    for (int i = 0; i < count; ++i) {
        const std::string when = "2026-11-" + std::string(i / 4 + 1 < 10 ? "0" : "") +
                                 std::to_string(i / 4 + 1) + " " + std::to_string(9 + i % 4) +
                                 ":00";
        nlohmann::json event{
            {"id", "report-" + std::to_string(i)},
            {"type", "message"},
            {"time", ledgerbot::bot::time::format_rfc3339(now_seconds())},
            {"chat", {{"id", "dm-zhangsan"}, {"type", "direct"}}},
            {"sender", {{"id", "zhangsan"}, {"name", "张三"}}},
            {"text", "【走访记录】\n企业名称：示例科技\n走访时间：" + when +
                         "\n走访方式：实地走访\n走访人员：张三\n走访内容：了解融资计划\n"
                         "客户反馈：希望对接银行\n企业联系人：王总 13912345678\n"
                         "服务需求：股权融资；挂牌辅导"}};
        const std::string body = event.dump();
        HttpTestClient client(console.service.port());
        REQUIRE(
            client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    }
    REQUIRE(console.service.wait_for_count("SELECT COUNT(*) FROM demands", 2 * count));
}

TEST_CASE("The ledger page shows a hundred demands at a time, with the pages linked",
          "[integration][console]") {
    Console console;
    report_visits(console, 65);  // 130 ledger rows
    const std::string session = console.sign_in("zhangsan");
    const auto rows = [](const std::string& html) {
        const std::regex row("<tr id=\"D[0-9]+\"");
        return std::distance(std::sregex_iterator(html.begin(), html.end(), row),
                             std::sregex_iterator());
    };

    const TestResponse first = console.get("/console/ledger", session);
    REQUIRE(first.status == 200);
    CHECK(rows(first.body) == 100);
    CHECK_THAT(first.body, Contains("共 130 条") && Contains("本页第 1–100 条") &&
                               Contains("第 1 / 2 页") && Contains("id=\"page-next\""));
    CHECK_THAT(first.body, !Contains("id=\"page-prev\""));
    CHECK_THAT(first.body, Contains("<tr id=\"D130\""));  // newest first
    // The next page keeps the filter.
    CHECK_THAT(first.body, Contains("href=\"/console/ledger?company=&amp;department=&amp;"
                                    "status=&amp;page=2\""));

    const TestResponse second = console.get("/console/ledger?page=2", session);
    CHECK(rows(second.body) == 30);
    CHECK_THAT(second.body, Contains("本页第 101–130 条") && Contains("id=\"page-prev\"") &&
                                Contains("<tr id=\"D1\""));
    CHECK_THAT(second.body, !Contains("id=\"page-next\""));
    // Past the last page: the last; not a number: the first.
    CHECK(rows(console.get("/console/ledger?page=99", session).body) == 30);
    CHECK(rows(console.get("/console/ledger?page=abc", session).body) == 100);
    // A filter that leaves fewer than a page: no pager.
    const TestResponse filtered =
        console.get("/console/ledger?status=collected&company=%E7%A4%BA%E4%BE%8B", session);
    CHECK_THAT(filtered.body, Contains("共 130 条"));
    const TestResponse none = console.get("/console/ledger?company=%E6%98%9F%E6%B2%B3", session);
    CHECK_THAT(none.body, Contains("没有符合条件的需求") && !Contains("class=\"pager\""));
}

TEST_CASE("The audit page links the entries before its oldest one, the filter kept",
          "[integration][console]") {
    Console console;
    report_visits(console, 110);  // three entries each: more than a page of 300
    const std::string session = console.sign_in("zhouba");
    const auto seqs = [](const std::string& html) {
        std::vector<std::int64_t> out;
        const std::regex cell("<tr><td class=\"num\">([0-9]+)</td>");
        for (auto it = std::sregex_iterator(html.begin(), html.end(), cell);
             it != std::sregex_iterator(); ++it) {
            out.push_back(std::stoll((*it)[1].str()));
        }
        return out;
    };
    const TestResponse newest = console.get("/console/audit", session);
    REQUIRE(newest.status == 200);
    const auto first = seqs(newest.body);
    REQUIRE(first.size() == 300);
    CHECK(std::is_sorted(first.rbegin(), first.rend()));  // newest first
    std::smatch older;
    REQUIRE(std::regex_search(newest.body, older, std::regex("id=\"older\" href=\"([^\"]*)\"")));
    const std::string href = html_unescape(older[1].str());
    CHECK(href == "/console/audit?actor=&action=&since=&before=" + std::to_string(first.back()));

    const TestResponse page = console.get(href, session);
    const auto second = seqs(page.body);
    REQUIRE_FALSE(second.empty());
    CHECK(second.front() == first.back() - 1);  // nothing skipped, nothing repeated
    CHECK_THAT(page.body, Contains("显示更早的"));

    // With a filter: only that action, fewer than a page, so no link.
    const TestResponse recorded = console.get("/console/audit?action=visit.recorded", session);
    CHECK(seqs(recorded.body).size() == 110);
    CHECK_THAT(recorded.body, !Contains("id=\"older\""));
}
