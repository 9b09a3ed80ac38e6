#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/wecom/callback_crypto.hpp"
#include "config/config_loader.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;
using adapters::wecom::CallbackCrypto;

namespace {

// The app side uses the official Python sample's credentials (wecom-protocol.md §2, V2), so its
// published URL-verification and POST vectors run against the real service unchanged.
const std::string kCorpId = "ww1436e0e65a779aee";
const std::string kAppToken = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
const std::string kAppKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
const std::string kBotToken = "integration-bot-token";
const std::string kBotKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

const std::string kWecomToml = "[adapters.wecom]\nenabled = true\ncorp_id = \"" + kCorpId +
                               "\"\ntoken = \"" + kAppToken + "\"\nencoding_aes_key = \"" +
                               kAppKey + "\"\nbot_enabled = true\nbot_token = \"" + kBotToken +
                               "\"\nbot_encoding_aes_key = \"" + kBotKey + "\"\n";

const std::string& kReport = kCompleteVisitReport;

CallbackCrypto make_crypto(const std::string& token, const std::string& key,
                           const std::string& receive_id) {
    auto crypto = CallbackCrypto::create(token, key, receive_id);
    REQUIRE(crypto);
    return std::move(crypto).value();
}

CallbackCrypto app_crypto() {
    return make_crypto(kAppToken, kAppKey, kCorpId);
}
CallbackCrypto bot_crypto() {
    return make_crypto(kBotToken, kBotKey, "");
}

// Every byte outside RFC 3986's unreserved set is escaped, as WeCom does for base64's + / =.
std::string percent_encode(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
        }
    }
    return out;
}

std::string target(const std::string& path, const std::string& signature,
                   const std::string& timestamp, const std::string& nonce,
                   const std::string& echostr = "") {
    std::string out =
        path + "?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce;
    if (!echostr.empty()) {
        out += "&echostr=" + percent_encode(echostr);
    }
    return out;
}

std::string xml_envelope(const std::string& encrypt) {
    return "<xml><ToUserName><![CDATA[" + kCorpId + "]]></ToUserName><Encrypt><![CDATA[" + encrypt +
           "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
}

// Signs `encrypt` as WeCom would with the configured token, whatever the ciphertext holds: the
// refusal tests need requests that pass the signature and fail later.
TestResponse post_app_encrypted(HttpTestClient& client, const std::string& encrypt,
                                const std::string& nonce = "1597212914") {
    const std::string timestamp = std::to_string(now_seconds());
    const std::string signature = app_crypto().signature(timestamp, nonce, encrypt);
    return client.post(target("/wecom/app", signature, timestamp, nonce), xml_envelope(encrypt));
}

TestResponse post_app(HttpTestClient& client, const std::string& plaintext,
                      const std::string& nonce = "1597212914") {
    return post_app_encrypted(client, app_crypto().encrypt(plaintext), nonce);
}

TestResponse post_bot(HttpTestClient& client, const std::string& plaintext) {
    const std::string timestamp = std::to_string(now_seconds());
    const std::string nonce = "bot-nonce-1";
    const std::string encrypt = bot_crypto().encrypt(plaintext);
    const std::string signature = bot_crypto().signature(timestamp, nonce, encrypt);
    return client.post(target("/wecom/bot", signature, timestamp, nonce),
                       nlohmann::json{{"encrypt", encrypt}}.dump());
}

std::string text_message(const std::string& msg_id, const std::string& from,
                         const std::string& content) {
    return "<xml><ToUserName><![CDATA[" + kCorpId + "]]></ToUserName><FromUserName><![CDATA[" +
           from + "]]></FromUserName><CreateTime>" + std::to_string(now_seconds()) +
           "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + content +
           "]]></Content><MsgId>" + msg_id + "</MsgId><AgentID>1000002</AgentID></xml>";
}

// The event as stored before the 200: in the received file.
nlohmann::json stored_event(const RunningService& service, const std::string& dedup_key) {
    SQLite::Database db(service.received_path().string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    SQLite::Statement query(db, "SELECT event_json FROM received WHERE dedup_key = ?");
    query.bind(1, dedup_key);
    REQUIRE(query.executeStep());
    return nlohmann::json::parse(query.getColumn(0).getString());
}

std::string base64_encode(const std::string& bytes) {
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

}  // namespace

TEST_CASE("The app's URL verification answers the official vector's plaintext, raw",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    // V2: the echostr holds '+', '/' and '=', so it only verifies once percent-decoded.
    const std::string echostr =
        "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
    const std::string url = target("/wecom/app", "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
                                   "1476416373", "47744683", echostr);
    REQUIRE(url.find("%2B") != std::string::npos);
    REQUIRE(url.find("%2F") != std::string::npos);
    REQUIRE(url.find("%3D%3D") != std::string::npos);

    const TestResponse response = client.get(url);

    CHECK(response.status == 200);
    CHECK(response.body == "1288432023552776189");
    REQUIRE(response.headers.count("Content-Type") == 1);
    CHECK_THAT(response.headers.at("Content-Type"), Catch::StartsWith("text/plain"));
}

TEST_CASE("The bot's URL verification decrypts with the empty receive id", "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    const std::string echostr = bot_crypto().encrypt("9876543210123456789");
    const std::string signature = bot_crypto().signature("1700000000", "n0nce", echostr);

    const TestResponse response =
        client.get(target("/wecom/bot", signature, "1700000000", "n0nce", echostr));

    CHECK(response.status == 200);
    CHECK(response.body == "9876543210123456789");
    // The receive ids differ: the app's callback (corp id) refuses an echostr sealed for "",
    // even with its own token and key.
    const std::string for_empty_id =
        make_crypto(kAppToken, kAppKey, "").encrypt("9876543210123456789");
    const std::string app_signature = app_crypto().signature("1700000000", "n0nce", for_empty_id);
    const TestResponse refused =
        client.get(target("/wecom/app", app_signature, "1700000000", "n0nce", for_empty_id));
    CHECK(refused.status == 400);
    CHECK(nlohmann::json::parse(refused.body)["error"] == "receiveid_mismatch");
}

TEST_CASE("The official POST vector is stored as the staff member's direct message",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    const std::string body =
        "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA["
        "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTk"
        "AgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJP"
        "QbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7Mhm"
        "EbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/"
        "oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n"
        "</xml>";

    const TestResponse response =
        client.post(target("/wecom/app", "0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779",
                           "1597212914"),
                    body);

    CHECK(response.status == 200);
    CHECK(response.body.empty());
    const auto event = stored_event(service, "wecom-app:1456453720");
    CHECK(event["type"] == "message");
    CHECK(event["text"] == "你好");
    CHECK(event["sender"]["id"] == "ChenJiaShun");
    CHECK(event["chat"]["id"] == "app:ChenJiaShun");
    CHECK(event["chat"]["kind"] == "direct");
    CHECK(event["time"] == 1476422779);
}

TEST_CASE("A visit report sent to the app is stored, recorded and answered to its author",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    service.import_demo_directory();
    HttpTestClient client(service.port());

    const TestResponse response =
        post_app(client, text_message("7300000000000000001", "zhangsan", kReport));

    REQUIRE(response.status == 200);
    CHECK(response.body.empty());
    // Acknowledged means committed: the row exists the moment the 200 arrived.
    CHECK(service.count_received("SELECT COUNT(*) FROM received WHERE dedup_key = "
                                 "'wecom-app:7300000000000000001'") == 1);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE status = 'done'", 1));
    auto db = service.open_database();
    SQLite::Statement visit(
        db, "SELECT company_name, channel, chat_id, reporter_id, source_event_id FROM visits");
    REQUIRE(visit.executeStep());
    CHECK(visit.getColumn(0).getString() == "宁夏示例科技有限公司");
    CHECK(visit.getColumn(1).getString() == "wecom-app");
    CHECK(visit.getColumn(2).getString() == "app:zhangsan");
    CHECK(visit.getColumn(3).getString() == "zhangsan");
    CHECK(visit.getColumn(4).getString() == "7300000000000000001");
    // The answer goes to the person (a direct chat), on the channel it came from.
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE channel = 'wecom-app' AND "
                        "target_kind = 'user' AND target_id = 'zhangsan' AND "
                        "template_id = 'visit_recorded'") == 1);
}

TEST_CASE("The same callback delivered four times counts once", "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const std::string plaintext = text_message("7300000000000000002", "zhangsan", kReport);

    // Each retry is encrypted afresh with its own nonce: only the plaintext's MsgId ties them.
    for (int i = 0; i < 4; ++i) {
        const TestResponse response = post_app(client, plaintext, "retry-" + std::to_string(i));
        CHECK(response.status == 200);
        CHECK(response.body.empty());
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE status = 'done'", 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(service.count_received("SELECT COUNT(*) FROM received") == 1);
    CHECK(service.count_received("SELECT deliveries FROM received") == 4);
    CHECK(service.count("SELECT COUNT(*) FROM visits") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM outbox") == 1);
}

TEST_CASE("A member who left a customer group by themselves is stored as such",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    const std::string plaintext =
        "<xml><ToUserName><![CDATA[" + kCorpId +
        "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        "<CreateTime>1700000100</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrGroup1]]></ChatId>"
        "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[del_member]]>"
        "</UpdateDetail><QuitScene>0</QuitScene><MemChangeCnt>1</MemChangeCnt>"
        "<MemChangeList><Item>lisi</Item></MemChangeList></xml>";

    for (int i = 0; i < 2; ++i) {
        const TestResponse response = post_app(client, plaintext);
        CHECK(response.status == 200);
        CHECK(response.body.empty());
    }

    CHECK(service.count_received("SELECT COUNT(*) FROM received") == 1);
    const auto event =
        stored_event(service, "wecom-app:wrGroup1/1700000100/update/del_member/lisi");
    CHECK(event["type"] == "member_left");
    CHECK(event["by_self"] == true);
    CHECK(event["chat"]["id"] == "wrGroup1");
    CHECK(event["members"].size() == 1);
    CHECK(event["members"][0]["id"] == "lisi");
}

TEST_CASE("A callback ledgerbot does not use is answered 200 and not stored",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    const std::string enter_agent =
        "<xml><ToUserName><![CDATA[" + kCorpId +
        "]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey>"
        "<AgentID>1000002</AgentID></xml>";

    const TestResponse response = post_app(client, enter_agent);

    CHECK(response.status == 200);
    CHECK(response.body.empty());
    CHECK(service.count("SELECT COUNT(*) FROM inbox") == 0);
    CHECK_THAT(HttpTestClient(service.ops_port()).get("/metrics").body,
               Catch::Contains("ledgerbot_ingest_ignored_total{adapter=\"wecom-app\"} 1"));
}

TEST_CASE("Refused WeCom callbacks get 401 or 400 with their reason and are never stored",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    const std::string plaintext = text_message("7300000000000000003", "zhangsan", kReport);
    const std::string good = app_crypto().encrypt(plaintext);
    const std::string raw = base64_decode(good);
    REQUIRE(raw.size() % 32 == 0);

    // CBC: flipping a ciphertext byte flips the byte 16 positions later in the plaintext.
    // The last byte is the pad length; XOR-ing it with itself makes it 0, outside 1..32.
    const std::size_t padded = 16 + 4 + plaintext.size() + kCorpId.size();
    const auto pad = static_cast<unsigned char>(32 - padded % 32);
    std::string bad_padding = raw;
    bad_padding[raw.size() - 17] = static_cast<char>(bad_padding[raw.size() - 17] ^ pad);
    // Flipping the first ciphertext byte garbles only block 0 (the ignored random prefix) and
    // flips the top byte of msg_len (plaintext byte 16), which then points far past the end.
    std::string overrun = raw;
    overrun[0] = static_cast<char>(overrun[0] ^ 0x7f);

    const std::string timestamp = std::to_string(now_seconds());
    const std::string nonce = "1597212914";
    const std::string good_signature = app_crypto().signature(timestamp, nonce, good);
    auto wrong_receiver = make_crypto(kAppToken, kAppKey, "wwSomeOtherCorp");

    struct Case {
        std::string name;
        TestResponse response;
        unsigned status;
        std::string error;
    };
    std::vector<Case> cases;
    cases.push_back({"wrong signature",
                     client.post(target("/wecom/app", std::string(40, '0'), timestamp, nonce),
                                 xml_envelope(good)),
                     401, "bad_signature"});
    cases.push_back(
        {"signature for another nonce",
         client.post(target("/wecom/app", good_signature, timestamp, "other"), xml_envelope(good)),
         401, "bad_signature"});
    cases.push_back(
        {"no signature",
         client.post("/wecom/app?timestamp=" + timestamp + "&nonce=" + nonce, xml_envelope(good)),
         401, "missing_signature"});
    cases.push_back({"wrong receiveid",
                     post_app_encrypted(client, wrong_receiver.encrypt(plaintext)), 400,
                     "receiveid_mismatch"});
    cases.push_back({"bad padding", post_app_encrypted(client, base64_encode(bad_padding)), 400,
                     "bad_padding"});
    cases.push_back({"truncated ciphertext",
                     post_app_encrypted(client, base64_encode(raw.substr(0, raw.size() - 16))), 400,
                     "bad_ciphertext_length"});
    cases.push_back({"length field overruns the plaintext",
                     post_app_encrypted(client, base64_encode(overrun)), 400,
                     "truncated_plaintext"});
    cases.push_back(
        {"not base64", post_app_encrypted(client, "!!not base64!!"), 400, "bad_base64"});
    cases.push_back({"envelope not XML",
                     client.post(target("/wecom/app", good_signature, timestamp, nonce),
                                 "{\"encrypt\":\"" + good + "\"}"),
                     400, "invalid_xml"});
    cases.push_back({"decrypts to something that is not XML", post_app(client, "just some text"),
                     400, "invalid_xml"});
    cases.push_back(
        {"bot envelope not JSON",
         client.post(target("/wecom/bot", good_signature, timestamp, nonce), xml_envelope(good)),
         400, "invalid_json"});
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(c.response.status == c.status);
        CHECK(nlohmann::json::parse(c.response.body)["error"] == c.error);
    }

    CHECK(service.count("SELECT COUNT(*) FROM inbox") == 0);
    const std::string metrics = HttpTestClient(service.ops_port()).get("/metrics").body;
    for (const std::string reason :
         {"bad_signature\"} 2", "missing_signature\"} 1", "receiveid_mismatch\"} 1",
          "bad_padding\"} 1", "bad_ciphertext_length\"} 1", "truncated_plaintext\"} 1",
          "bad_base64\"} 1", "invalid_xml\"} 2", "invalid_json\"} 1"}) {
        CHECK_THAT(metrics, Catch::Contains("ledgerbot_ingest_refused_total{reason=\"" + reason));
    }
}

TEST_CASE("A URL verification with a bad signature or no echostr is refused",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    HttpTestClient client(service.port());
    const std::string echostr = app_crypto().encrypt("123");

    CHECK(client.get(target("/wecom/app", std::string(40, 'a'), "1", "2", echostr)).status == 401);
    CHECK(client.get(target("/wecom/bot", std::string(40, 'a'), "1", "2", echostr)).status == 401);
    const TestResponse no_echo = client.get(target("/wecom/app", std::string(40, 'a'), "1", "2"));
    CHECK(no_echo.status == 400);
    CHECK(nlohmann::json::parse(no_echo.body)["error"] == "missing_encrypt");
}

TEST_CASE("An @-message to the bot in a group is stored with its response_url and answered there",
          "[integration][wecom]") {
    RunningService service("", "", kWecomToml);
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const nlohmann::json plaintext{
        {"msgid", "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI="},
        {"aibotid", "AIBOTID"},
        {"chatid", "wrBotGroup"},
        {"chattype", "group"},
        {"from", {{"userid", "lisi"}}},
        {"response_url", "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1"},
        {"msgtype", "text"},
        {"text", {{"content", "@台账助手\u2005" + kReport}}},
    };

    const TestResponse response = post_bot(client, plaintext.dump());

    REQUIRE(response.status == 200);
    CHECK(response.body.empty());
    const auto event = stored_event(service, "wecom-bot:CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=");
    CHECK(event["source"] == "wecom-bot");
    CHECK(event["chat"]["id"] == "wrBotGroup");
    CHECK(event["chat"]["kind"] == "group");
    CHECK(event["sender"]["id"] == "lisi");
    CHECK(event["text"] == kReport);
    CHECK(event["reply_handle"] ==
          "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1");

    // The answer is addressed to the group, with the response_url to deliver it by.
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox", 1));
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE channel = 'wecom-bot' AND "
                        "target_kind = 'chat' AND target_id = 'wrBotGroup' AND reply_handle = "
                        "'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1'") ==
          1);
}

TEST_CASE("An EncodingAESKey the crypto rejects stops startup naming the key",
          "[integration][wecom]") {
    const std::string toml =
        "[adapters.wecom]\nenabled = true\ncorp_id = \"c\"\ntoken = \"t\"\n"
        "encoding_aes_key = \"tooShortSECRET\"\n";
    try {
        RunningService service("", "", toml);
        FAIL("the service started with a bad key");
    } catch (const config::ConfigError& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Catch::Contains("'adapters.wecom.encoding_aes_key'"));
        CHECK_THAT(message, !Catch::Contains("tooShortSECRET"));
    }
}

TEST_CASE("An encrypted report is answered through the fake WeCom API with a valid token",
          "[integration][wecom]") {
    FakeWecomServer::Options fake_options;
    fake_options.corp_id = kCorpId;
    FakeWecomServer fake(fake_options);
    // A "system busy" answer is retried by the API client (with backoff) and still arrives once.
    fake.fail_next("/cgi-bin/message/send", 1, -1);
    const std::string api = "agent_id = " + std::to_string(fake_options.agent_id) +
                            "\nsecret = \"" + fake_options.secret + "\"\napi_base_url = \"" +
                            fake.base_url() + "\"\n";
    RunningService service("", "", kWecomToml + api);
    service.import_demo_directory();
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, text_message("7300000000000000900", "zhangsan", kReport)).status ==
            200);

    REQUIRE(fake.wait_for("/cgi-bin/message/send", 2, std::chrono::seconds(10)) >= 2);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    const auto sends = fake.calls_to("/cgi-bin/message/send");
    const auto& delivered = sends.back();
    const auto tokens = fake.issued_tokens();
    REQUIRE(tokens.size() == 1);
    CHECK(delivered.query.at("access_token") == tokens.front());
    CHECK(delivered.body.at("touser") == "zhangsan");
    CHECK(delivered.body.at("agentid") == fake_options.agent_id);
    const std::string text = delivered.body.at("text").at("content");
    CHECK_THAT(text, Catch::Contains("已记录走访 V1"));
    // The short answer: the record, its points, the next step — the report is not echoed.
    CHECK_THAT(text, Catch::Contains("积分："));
    CHECK_THAT(text, !Catch::Contains("13912345678"));
    CHECK(fake.calls_to("/cgi-bin/gettoken").size() == 1);
    CHECK(service.count("SELECT attempts FROM outbox") == 1);
    CHECK(fake.app_messages().size() == 1);
}
