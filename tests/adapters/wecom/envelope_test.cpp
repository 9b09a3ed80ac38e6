#include "adapters/wecom/envelope.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <tuple>

#include "tests/adapters/wecom/result_name.hpp"

namespace {

using ledgerbot::adapters::wecom::CallbackQuery;
using ledgerbot::adapters::wecom::encrypt_from_json;
using ledgerbot::adapters::wecom::encrypt_from_xml;
using ledgerbot::adapters::wecom::parse_callback_query;
using ledgerbot::adapters::wecom::percent_decode;
using ledgerbot::adapters::wecom::testing::result_name;

}  // namespace

TEST_CASE("The Encrypt text is read from XML envelopes in their usual shapes",
          "[wecom][envelope]") {
    const auto [what, body, expected] = GENERATE(table<std::string_view, std::string, std::string>({
        {"go-workwx body on one line",
         "<xml><ToUserName><![CDATA[ww6a112864f8022910]]></ToUserName><Encrypt><![CDATA[EUCt7x+/"
         "=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>",
         "EUCt7x+/="},
        {"python sample body with newlines",
         "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7k"
         "]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>",
         "Kl7k"},
        {"no AgentID (some events)", "<xml><ToUserName>c</ToUserName><Encrypt>abc</Encrypt></xml>",
         "abc"},
        {"XML declaration and indentation",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <Encrypt>\n    <![CDATA[abc]]>\n  "
         "</Encrypt>\n</xml>\n",
         "abc"},
        {"CDATA split around ]]>", "<xml><Encrypt><![CDATA[ab]]]]><![CDATA[>cd]]></Encrypt></xml>",
         "ab]]>cd"},
        {"escaped text", "<xml><Encrypt>a&amp;b</Encrypt></xml>", "a&b"},
        // pugixml neither loads the DTD nor expands external entities.
        {"external entity stays unexpanded",
         "<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&x;</Encrypt>"
         "</xml>",
         "&x;"},
    }));
    INFO(what);
    const auto encrypt = encrypt_from_xml(body);
    REQUIRE(result_name(encrypt) == "ok");
    CHECK(encrypt.value() == expected);
}

TEST_CASE("XML bodies that do not parse are refused as invalid XML", "[wecom][envelope]") {
    const std::string body =
        GENERATE(as<std::string>{}, "", "not xml", "{\"encrypt\":\"abc\"}", "<xml>",
                 "<xml><Encrypt>abc</Encrypt>", "<xml><Encrypt>abc</Encrypt></xm>",
                 "<xml><Encrypt a=></xml>", "<xml><Encrypt><![CDATA[abc</Encrypt></xml>");
    INFO(body);
    CHECK(result_name(encrypt_from_xml(body)) == "invalid_xml");
}

TEST_CASE("XML without a non-empty /xml/Encrypt is refused as missing Encrypt",
          "[wecom][envelope]") {
    const std::string body = GENERATE(
        as<std::string>{}, "<xml><ToUserName>c</ToUserName></xml>", "<xml><Encrypt/></xml>",
        "<xml><Encrypt></Encrypt></xml>", "<xml><Encrypt><![CDATA[]]></Encrypt></xml>",
        "<xml><encrypt>abc</encrypt></xml>", "<root><Encrypt>abc</Encrypt></root>",
        "<xml><Inner><Encrypt>abc</Encrypt></Inner></xml>");
    INFO(body);
    CHECK(result_name(encrypt_from_xml(body)) == "missing_encrypt");
}

TEST_CASE("The encrypt member is read from both JSON envelope shapes", "[wecom][envelope]") {
    const auto [what, body, expected] = GENERATE(table<std::string_view, std::string, std::string>({
        {"intelligent bot", "{\"encrypt\":\"abc+/=\"}", "abc+/="},
        {"JSON app callback (V6 shape)",
         "{ \"tousername\": \"wx5823bf96d3bd56c7\", \"encrypt\": \"cjhLUX7U\", \"agentid\": 218 }",
         "cjhLUX7U"},
        {"escaped characters", "{\"encrypt\":\"\\u0041b\\/c\"}", "Ab/c"},
        {"surrounding white space", "\n {\"encrypt\":\"abc\"} \n", "abc"},
    }));
    INFO(what);
    const auto encrypt = encrypt_from_json(body);
    REQUIRE(result_name(encrypt) == "ok");
    CHECK(encrypt.value() == expected);
}

TEST_CASE("JSON bodies that do not parse are refused as invalid JSON", "[wecom][envelope]") {
    const std::string body = GENERATE(as<std::string>{}, "", "{", "not json", "{\"encrypt\":}",
                                      "{\"encrypt\":\"abc\"} x", "{\"encrypt\":\"abc\",}",
                                      "{\"encrypt\":\"\xff\"}", "<xml><Encrypt>a</Encrypt></xml>");
    INFO(body);
    CHECK(result_name(encrypt_from_json(body)) == "invalid_json");
}

TEST_CASE("JSON without a non-empty string encrypt is refused as missing Encrypt",
          "[wecom][envelope]") {
    const std::string body =
        GENERATE(as<std::string>{}, "{}", "[]", "\"abc\"", "42", "null", "{\"Encrypt\":\"abc\"}",
                 "{\"encrypt\":123}", "{\"encrypt\":null}", "{\"encrypt\":\"\"}",
                 "{\"encrypt\":[\"abc\"]}", "{\"data\":{\"encrypt\":\"abc\"}}");
    INFO(body);
    CHECK(result_name(encrypt_from_json(body)) == "missing_encrypt");
}

TEST_CASE("Percent-decoding turns %XX into bytes and leaves everything else alone",
          "[wecom][envelope]") {
    const auto [encoded, decoded] = GENERATE(table<std::string, std::string>({
        {"%2B%2F%3D", "+/="},
        {"%2b%2f%3d", "+/="},
        {"a+b", "a+b"},
        {"a%20b", "a b"},
        {"%E4%BD%A0", "\xE4\xBD\xA0"},
        {"%00", std::string(1, '\0')},
        {"%", "%"},
        {"%4", "%4"},
        {"100%", "100%"},
        {"%G1", "%G1"},
        {"%1G", "%1G"},
        {"%%41", "%A"},
        {"", ""},
    }));
    INFO(encoded);
    CHECK(percent_decode(encoded) == decoded);
}

TEST_CASE("The callback query yields the percent-decoded echostr of V1", "[wecom][envelope]") {
    const auto query = parse_callback_query(
        "/wecom/"
        "callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589"
        "&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%"
        "2B4"
        "RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D");
    REQUIRE(result_name(query) == "ok");
    CHECK(query.value() ==
          CallbackQuery{
              .msg_signature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
              .timestamp = "1409659589",
              .nonce = "263014780",
              .echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE"
                         "7OaBO+FZXvnaqQ==",
          });
}

TEST_CASE("The callback query accepts any order, ignores unknown keys and keeps the first value",
          "[wecom][envelope]") {
    const auto [what, target, expected] =
        GENERATE(table<std::string_view, std::string_view, CallbackQuery>({
            {"POST without echostr", "/cb?msg_signature=s&timestamp=1&nonce=n",
             CallbackQuery{"s", "1", "n", ""}},
            {"reordered with extra keys", "/cb?nonce=n&x=1&echostr=e&timestamp=1&msg_signature=s&y",
             CallbackQuery{"s", "1", "n", "e"}},
            {"absolute-form target", "http://host:8080/cb?msg_signature=s&timestamp=1&nonce=n",
             CallbackQuery{"s", "1", "n", ""}},
            {"first value wins", "/cb?msg_signature=s&msg_signature=t&timestamp=1&nonce=n&nonce=m",
             CallbackQuery{"s", "1", "n", ""}},
            {"encoded key names", "/cb?msg%5Fsignature=s&timestamp=1&nonce=n%26",
             CallbackQuery{"s", "1", "n&", ""}},
            {"empty pieces between ampersands", "/cb?&&msg_signature=s&&timestamp=1&nonce=n&",
             CallbackQuery{"s", "1", "n", ""}},
        }));
    INFO(what);
    const auto query = parse_callback_query(target);
    REQUIRE(result_name(query) == "ok");
    CHECK(query.value() == expected);
}

TEST_CASE("A callback query without signature, timestamp or nonce is refused",
          "[wecom][envelope]") {
    const std::string_view target =
        GENERATE(as<std::string_view>{}, "/cb", "/cb?", "/cb?timestamp=1&nonce=n",
                 "/cb?msg_signature=s&nonce=n", "/cb?msg_signature=s&timestamp=1",
                 "/cb?msg_signature=&timestamp=1&nonce=n", "/cb?msg_signature=s&timestamp=1&nonce",
                 "/cb?msgsignature=s&timestamp=1&nonce=n");
    INFO(target);
    CHECK(result_name(parse_callback_query(target)) == "missing_signature");
}
