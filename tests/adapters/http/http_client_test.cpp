#include "adapters/http/http_client.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

using ledgerbot::adapters::http_client::parse_url;
using ledgerbot::adapters::http_client::percent_encode;

TEST_CASE("http and https URLs split into scheme, host, port and target", "[http][url]") {
    const auto [url, scheme, host, port, target, host_header] = GENERATE(
        table<std::string, std::string, std::string, std::string, std::string, std::string>({
            {"https://qyapi.weixin.qq.com", "https", "qyapi.weixin.qq.com", "443", "/",
             "qyapi.weixin.qq.com"},
            {"https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=a&corpsecret=b", "https",
             "qyapi.weixin.qq.com", "443", "/cgi-bin/gettoken?corpid=a&corpsecret=b",
             "qyapi.weixin.qq.com"},
            {"https://qyapi.weixin.qq.com:8443/x", "https", "qyapi.weixin.qq.com", "8443", "/x",
             "qyapi.weixin.qq.com:8443"},
            {"http://127.0.0.1:5000/bridge/out", "http", "127.0.0.1", "5000", "/bridge/out",
             "127.0.0.1:5000"},
            {"http://example.com", "http", "example.com", "80", "/", "example.com"},
            {"http://example.com?x=1", "http", "example.com", "80", "/?x=1", "example.com"},
            {"http://example.com/a#frag", "http", "example.com", "80", "/a", "example.com"},
            {"https://[::1]:9443/p", "https", "::1", "9443", "/p", "[::1]:9443"},
            {"https://[::1]/p", "https", "::1", "443", "/p", "[::1]"},
            {"http://example.com:443/", "http", "example.com", "443", "/", "example.com:443"},
        }));
    INFO(url);
    const auto parsed = parse_url(url);
    REQUIRE(parsed);
    CHECK(parsed->scheme == scheme);
    CHECK(parsed->tls() == (scheme == "https"));
    CHECK(parsed->host == host);
    CHECK(parsed->port == port);
    CHECK(parsed->target == target);
    CHECK(parsed->host_header() == host_header);
}

TEST_CASE("Anything but a plain http(s) URL is refused", "[http][url]") {
    const std::string url =
        GENERATE(as<std::string>{}, "", "qyapi.weixin.qq.com", "ftp://example.com/",
                 "HTTPS//example.com", "https://", "https:///path", "https://:443/",
                 "https://example.com:/", "https://example.com:99999/", "https://example.com:44a/",
                 "https://user:pw@example.com/", "https://[::1/", "https://[::1]x/");
    INFO(url);
    CHECK_FALSE(parse_url(url));
}

TEST_CASE("Two URLs share an origin only with the same scheme, host and port", "[http][url]") {
    CHECK(parse_url("https://qyapi.weixin.qq.com/a")->origin() ==
          parse_url("https://qyapi.weixin.qq.com:443/b?c")->origin());
    CHECK(parse_url("https://qyapi.weixin.qq.com/")->origin() !=
          parse_url("http://qyapi.weixin.qq.com/")->origin());
    CHECK(parse_url("https://qyapi.weixin.qq.com/")->origin() !=
          parse_url("https://qyapi.weixin.qq.com.evil.example/")->origin());
}

TEST_CASE("Query values are percent-encoded except unreserved characters", "[http][url]") {
    CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(percent_encode("a b+c/d=e&f") == "a%20b%2Bc%2Fd%3De%26f");
    CHECK(percent_encode("群") == "%E7%BE%A4");
    CHECK(percent_encode("") == "");
}
