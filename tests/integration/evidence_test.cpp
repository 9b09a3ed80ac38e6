#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "storage/sha256.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/integration/wecom_test_app.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/test_images.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;
using nlohmann::json;

namespace {

TestResponse post_signed(HttpTestClient& client, const std::string& path, const std::string& body) {
    return client.post(path, body, signed_headers(kTestSecret, now_seconds(), body));
}

std::string image_event(const std::string& id, const json& image) {
    json event = json::parse(message_event(id, ""));
    event.erase("text");
    event["image"] = image;
    return event.dump();
}

std::string evidence_toml(const std::string& extra = "") {
    return "[evidence]\nfirst_retry_seconds = 1\nmax_retry_seconds = 1\n" + extra;
}

// The stored file's hash, once the fetch of evidence `id` was recorded; "" when it failed.
std::string fetched_sha(RunningService& service, int id) {
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visit_evidence WHERE id = " +
                                       std::to_string(id) + " AND fetch_status != 'pending'",
                                   1));
    auto db = service.open_database();
    SQLite::Statement q(db, "SELECT COALESCE(sha256, '') FROM visit_evidence WHERE id = ?");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getString();
}

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::filesystem::path stored_path(RunningService& service, const std::string& sha) {
    return service.database_path().parent_path() / "evidence" / sha.substr(0, 2) /
           sha.substr(2, 2) / sha;
}

std::filesystem::path cli_config(RunningService& service) {
    const auto config = service.database_path().parent_path() / "cli.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << service.database_path().string()
                          << "\"\n[log]\nlevel = \"warn\"\n";
    return config;
}

}  // namespace

TEST_CASE("An evidence image's bytes are fetched, stored by hash, audited and checked",
          "[integration][evidence]") {
    FakeWecomServer images;  // any HTTP server will do for a plain image URL
    const std::string png = png_image(120, 80);
    const std::string url = images.host_file("/img/call-log.png", png, "image/png");
    RunningService service("", "", evidence_toml());
    service.import_demo_directory();
    HttpTestClient client(service.port());

    REQUIRE(
        post_signed(client, "/hooks/generic", message_event("r-1", kCompleteVisitReport)).status ==
        200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    REQUIRE(post_signed(client, "/hooks/generic", image_event("i-1", {{"url", url}})).status ==
            200);

    const std::string sha = fetched_sha(service, 1);
    CHECK(sha == storage::sha256_hex(png));
    CHECK(read_bytes(stored_path(service, sha)) == png);
    CHECK(service.count("SELECT COUNT(*) FROM visit_evidence WHERE mime = 'image/png' AND "
                        "width = 120 AND height = 80 AND size_bytes = " +
                        std::to_string(png.size())) == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'visit.evidence_stored' "
                        "AND json_extract(detail_json, '$.sha256') = '" +
                        sha + "'") == 1);
    CHECK_THAT(service.metrics_text(),
               Catch::Contains("ledgerbot_evidence_fetches_total{outcome=\"fetched\"} 1"));
    service.stop();

    const auto config = cli_config(service);
    const CommandRun intact =
        run_command(ledgerbot_binary(), {"--config", config.string(), "audit", "verify"});
    CHECK(intact.exit_code == 0);
    CHECK_THAT(intact.out, Catch::Contains("1 evidence files match their hashes"));

    const auto export_dir = service.database_path().parent_path() / "export";
    const CommandRun exported =
        run_command(ledgerbot_binary(), {"--config", config.string(), "export", "evidence",
                                         "--visit", "V1", "--out", export_dir.string()});
    CHECK(exported.exit_code == 0);
    CHECK(read_bytes(export_dir / "V1-1.png") == png);
    const std::string manifest = read_bytes(export_dir / "manifest.csv");
    CHECK_THAT(manifest, Catch::Contains("\"visit\",\"sha256\",\"file\",\"source\",\"posted_by\","
                                         "\"posted_at\",\"status\""));
    CHECK_THAT(manifest, Catch::Contains("\"V1\",\"" + sha + "\",\"V1-1.png\",\"" + url +
                                         "\",\"zhangsan\","));
    const CommandRun bad_visit =
        run_command(ledgerbot_binary(), {"--config", config.string(), "export", "evidence",
                                         "--visit", "X1", "--out", export_dir.string()});
    CHECK(bad_visit.exit_code == 2);

    // One byte changed on disk: audit verify names the file.
    std::ofstream(stored_path(service, sha), std::ios::binary | std::ios::app) << "!";
    const CommandRun changed =
        run_command(ledgerbot_binary(), {"--config", config.string(), "audit", "verify"});
    CHECK(changed.exit_code == 3);
    CHECK_THAT(changed.out, Catch::Contains(stored_path(service, sha).string()));
    CHECK_THAT(changed.out, Catch::Contains("changed"));
}

TEST_CASE("A bridge uploads image bytes, refused when not an image or too large",
          "[integration][evidence]") {
    RunningService service("", "", evidence_toml("max_bytes = 200000\n"));
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const std::string jpeg = jpeg_image(64, 64);

    const TestResponse uploaded = post_signed(client, "/hooks/generic/media", jpeg);
    REQUIRE(uploaded.status == 200);
    const json answer = json::parse(uploaded.body);
    CHECK(answer.at("upload_id") == storage::sha256_hex(jpeg));
    CHECK(answer.at("mime") == "image/jpeg");
    CHECK(answer.at("width") == 64);

    const TestResponse not_image = post_signed(client, "/hooks/generic/media", "%PDF-1.4 a PDF");
    CHECK(not_image.status == 415);
    CHECK(json::parse(not_image.body).at("error") == "unsupported_media");
    const TestResponse too_large =
        post_signed(client, "/hooks/generic/media", jpeg + std::string(200001, 'x'));
    CHECK(too_large.status == 413);
    const TestResponse unsigned_upload = client.post("/hooks/generic/media", jpeg);
    CHECK(unsigned_upload.status == 401);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             service.database_path().parent_path() / "evidence")) {
        files += entry.is_regular_file() ? 1 : 0;
    }
    CHECK(files == 1);

    REQUIRE(
        post_signed(client, "/hooks/generic", message_event("r-1", kCompleteVisitReport)).status ==
        200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    REQUIRE(post_signed(client, "/hooks/generic",
                        image_event("i-1", {{"upload_id", answer.at("upload_id")}}))
                .status == 200);
    CHECK(fetched_sha(service, 1) == storage::sha256_hex(jpeg));

    const TestResponse bad_id =
        post_signed(client, "/hooks/generic", image_event("i-2", {{"upload_id", "not-a-hash"}}));
    CHECK(bad_id.status == 400);
}

TEST_CASE(
    "WeCom media ids are fetched with media/get, in Range chunks over 20 MB, and an "
    "expired one is answered to its author",
    "[integration][evidence][wecom]") {
    using namespace ledgerbot::testing::wecom_app;
    FakeWecomServer fake(fake_options());
    // A PNG with 21 MB after its end: still a PNG, larger than one 20 MB part.
    const std::string big = png_image(32, 32) + std::string(21u << 20, '\x42');
    fake.serve_media("MEDIA_BIG", {big, "image/png"});
    const std::string toml =
        "[adapters.wecom]\nenabled = true\ncorp_id = \"" + kCorpId + "\"\ntoken = \"" + kAppToken +
        "\"\nencoding_aes_key = \"" + kAppKey + "\"\nsecret = \"" + fake.options().secret +
        "\"\nagent_id = " + std::to_string(fake.options().agent_id) + "\napi_base_url = \"" +
        fake.base_url() + "\"\ngroup_resync_minutes = 0\n" +
        evidence_toml("max_bytes = 33554432\n");
    RunningService service("", "", toml);
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const auto to_app = [&](const std::string& id, const std::string& type,
                            const std::string& body) {
        return "<xml><ToUserName><![CDATA[" + kCorpId +
               "]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>" +
               std::to_string(now_seconds()) + "</CreateTime><MsgType><![CDATA[" + type +
               "]]></MsgType>" + body + "<MsgId>" + id + "</MsgId><AgentID>1000002</AgentID></xml>";
    };
    const auto image = [&](const std::string& id, const std::string& media_id) {
        return to_app(
            id, "image",
            "<PicUrl><![CDATA[]]></PicUrl><MediaId><![CDATA[" + media_id + "]]></MediaId>");
    };

    REQUIRE(post_app(client,
                     to_app("1001", "text",
                            "<Content><![CDATA[" + kCompleteVisitReport + "]]></Content>")) == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    REQUIRE(post_app(client, image("1002", "MEDIA_BIG")) == 200);
    const std::string sha = fetched_sha(service, 1);
    CHECK(sha == storage::sha256_hex(big));
    CHECK(std::filesystem::file_size(stored_path(service, sha)) == big.size());
    CHECK(fake.count("/cgi-bin/media/get") == 2);  // bytes 0-20971519, then the rest

    REQUIRE(post_app(client, image("1003", "MEDIA_EXPIRED")) == 200);
    CHECK(fetched_sha(service, 2).empty());
    CHECK(service.count("SELECT COUNT(*) FROM visit_evidence WHERE id = 2 AND fetch_status = "
                        "'failed' AND fetch_error LIKE '%40007%'") == 1);
    bool told = false;
    for (int i = 0; i < 500 && !told; ++i) {
        for (const auto& message : fake.app_messages()) {
            const std::string text = message.dump();
            told = told || (text.find("zhangsan") != std::string::npos &&
                            text.find("未能取回") != std::string::npos);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(told);
    // The lost image no longer counts as evidence; the stored one does.
    CHECK(service.count("SELECT COUNT(*) FROM visit_evidence WHERE visit_number = 1 AND "
                        "fetch_status != 'failed'") == 1);
}

TEST_CASE("A failed download that may pass is retried until the bytes come",
          "[integration][evidence]") {
    FakeWecomServer images;
    const std::string gif = gif_image();
    const std::string url = images.host_file("/img/sms.gif", gif, "image/gif");
    images.drop_next("/img/sms.gif", 2);  // two dropped connections
    RunningService service("", "", evidence_toml());
    service.import_demo_directory();
    HttpTestClient client(service.port());
    REQUIRE(
        post_signed(client, "/hooks/generic", message_event("r-1", kCompleteVisitReport)).status ==
        200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    REQUIRE(post_signed(client, "/hooks/generic", image_event("i-1", {{"url", url}})).status ==
            200);
    CHECK(fetched_sha(service, 1) == storage::sha256_hex(gif));
    CHECK(images.count("/img/sms.gif") == 3);
    CHECK(service.count("SELECT fetch_attempts FROM visit_evidence WHERE id = 1") == 3);
}

TEST_CASE("An intelligent-bot image URL is downloaded and decrypted with the bot's key",
          "[integration][evidence][wecom]") {
    const std::string bot_token = "evidence-bot-token";
    const std::string bot_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    auto crypto = adapters::wecom::CallbackCrypto::create(bot_token, bot_key, "");
    REQUIRE(crypto);
    FakeWecomServer fake;
    const std::string webp = webp_image(48, 36);
    const std::string url = fake.host_file("/aibot/media/abc", crypto.value().encrypt_media(webp));
    RunningService service("", "",
                           "[adapters.wecom]\nbot_enabled = true\nbot_token = \"" + bot_token +
                               "\"\nbot_encoding_aes_key = \"" + bot_key + "\"\n" +
                               evidence_toml());
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const auto post_bot = [&](const json& plaintext) {
        const std::string timestamp = std::to_string(now_seconds());
        const std::string encrypt = crypto.value().encrypt(plaintext.dump());
        const std::string signature = crypto.value().signature(timestamp, "n", encrypt);
        return client
            .post("/wecom/bot?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=n",
                  json{{"encrypt", encrypt}}.dump())
            .status;
    };
    const json from{{"userid", "zhangsan"}};
    REQUIRE(post_bot({{"msgid", "m1"},
                      {"aibotid", "B"},
                      {"chattype", "single"},
                      {"from", from},
                      {"msgtype", "text"},
                      {"text", {{"content", kCompleteVisitReport}}}}) == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    REQUIRE(post_bot({{"msgid", "m2"},
                      {"aibotid", "B"},
                      {"chattype", "single"},
                      {"from", from},
                      {"msgtype", "image"},
                      {"image", {{"url", url}}}}) == 200);
    const std::string sha = fetched_sha(service, 1);
    CHECK(sha == storage::sha256_hex(webp));
    CHECK(service.count("SELECT COUNT(*) FROM visit_evidence WHERE mime = 'image/webp' AND "
                        "width = 48 AND height = 36") == 1);
}
