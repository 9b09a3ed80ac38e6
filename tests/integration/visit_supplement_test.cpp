#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "tests/integration/running_service.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/test_images.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

// Everything but the phone: the answer asks for it.
const std::string kReportWithoutPhone =
    "【走访记录】\n企业名称：示例科技\n走访时间：昨天 上午10点\n走访方式：实地走访\n"
    "走访人员：张三、李四\n走访内容：了解年度融资计划\n客户反馈：希望对接银行\n企业联系人：王总";

TestResponse post_signed(HttpTestClient& client, const std::string& body) {
    return client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body));
}

std::string image_event(const std::string& id, const std::string& url) {
    nlohmann::json event = nlohmann::json::parse(message_event(id, ""));
    event.erase("text");
    event["image"] = {{"url", url}};
    return event.dump();
}

std::string sink_text(const RunningService& service, std::size_t index) {
    return nlohmann::json::parse(service.sink_lines().at(index))["text"];
}

}  // namespace

TEST_CASE("a report missing the phone is completed by /补充 and gets its evidence image",
          "[integration][supplement][evidence]") {
    FakeWecomServer images;  // where the screenshots' URLs point
    const std::string call_log = images.host_file("/call-log.png", png_image(40, 30), "image/png");
    RunningService service;
    service.import_demo_directory();
    HttpTestClient client(service.port());

    REQUIRE(post_signed(client, message_event("r-1", kReportWithoutPhone)).status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    const std::string recorded = sink_text(service, 0);
    CHECK_THAT(recorded, Catch::Contains("还不完整"));
    CHECK_THAT(recorded, Catch::Contains("补充示例：/补充 V1 联系电话：…"));
    CHECK(service.count("SELECT complete FROM visits WHERE number = 1") == 0);

    REQUIRE(post_signed(client, message_event("r-2", "/补充 V1 联系电话：13912345678")).status ==
            200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 2));
    const std::string supplemented = sink_text(service, 1);
    CHECK_THAT(supplemented, Catch::Contains("已补充走访 V1"));
    CHECK_THAT(supplemented, Catch::Contains("记录已完整"));
    // Posted in a group: the number is masked (第十一条).
    CHECK_THAT(supplemented, Catch::Contains("联系电话：139****5678"));
    CHECK_THAT(supplemented, !Catch::Contains("13912345678"));
    CHECK(service.count("SELECT complete FROM visits WHERE number = 1") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM visits WHERE number = 1 AND "
                        "json_extract(values_json, '$.phone') = '13912345678'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM visit_supplements WHERE visit_number = 1 AND "
                        "event_id = 'r-2' AND by_id = 'zhangsan' AND "
                        "json_extract(fields_json, '$.phone') = '13912345678'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'visit.supplemented' "
                        "AND subject = 'V1'") == 1);

    REQUIRE(post_signed(client, image_event("r-3", call_log)).status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 3));
    CHECK(service.count("SELECT COUNT(*) FROM visit_evidence WHERE visit_number = 1 AND "
                        "event_id = 'r-3' AND url = '" +
                        call_log + "'") == 1);
    const std::string evidence = sink_text(service, 2);
    CHECK_THAT(evidence, Catch::Contains("走访 V1 的有效证据（共 1 份）"));
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = "
                        "'visit.evidence_attached'") == 1);
}

TEST_CASE("/补充 of an unknown record and an unrelated image are answered and ignored",
          "[integration][supplement][evidence]") {
    RunningService service;
    service.import_demo_directory();
    HttpTestClient client(service.port());

    REQUIRE(post_signed(client, image_event("i-1", "https://img.example/lunch.png")).status == 200);
    REQUIRE(post_signed(client, message_event("s-1", "/补充 V7 联系电话：13912345678")).status ==
            200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE status = 'done'", 2));
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    CHECK_THAT(sink_text(service, 0), Catch::Contains("没有找到走访记录 V7"));
    CHECK(service.count("SELECT COUNT(*) FROM visit_evidence") == 0);
    CHECK(service.count("SELECT COUNT(*) FROM outbox") == 1);
}
