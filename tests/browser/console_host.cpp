// The service the browser test drives: ledgerbot in-process with the console on, the fake WeCom
// API (its QR login and OAuth pages), the demo directory and a week of data: a visit in
// 2026-W47 (a draft score table for 业务一线) and a compliance risk notice. The clock is fixed
// at Monday 2026-11-23 10:00, when the director reviews the previous week.
//
// Prints `READY {console, fake, database}` once ready, then reads commands from stdin:
//   user <id> [outsider]   who signs in at the fake WeCom pages next (answers "HOST ok")
//   reports <n>            张三 reports n more visits to 示例科技 in November, two
//                          demands each, directly to the bot (answers "HOST ok" once recorded)
// Its own lines start with READY or HOST: the service's log shares standard output.
// and stops at end of input.
#include <chrono>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/application.hpp"
#include "app/clock.hpp"
#include "bot/time/civil_time.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/test_images.hpp"

namespace {

using namespace ledgerbot;
using namespace ledgerbot::testing;

std::int64_t at(unsigned day, int hour) {
    return bot::time::from_local(std::chrono::year{2026} / 11 / day, hour, 0, 0);
}

void post(RunningService& service, const app::Clock& clock, const std::string& id,
          const std::string& sender, const std::string& name, const std::string& chat,
          const std::string& text) {
    const bool direct = chat.starts_with("dm-");
    nlohmann::json event{{"id", id},
                         {"type", "message"},
                         {"time", bot::time::format_rfc3339(clock.now_seconds())},
                         {"chat",
                          {{"id", chat},
                           {"name", "宁夏示例科技有限公司服务项目专属服务群"},
                           {"type", direct ? "direct" : "group"}}},
                         {"sender", {{"id", sender}, {"name", name}}},
                         {"text", text}};
    const std::string body = event.dump();
    HttpTestClient client(service.port());
    const auto answer =
        client.post("/hooks/generic", body, signed_headers(kTestSecret, clock.now_seconds(), body));
    if (answer.status != 200) {
        throw std::runtime_error("seeding failed: " + std::to_string(answer.status));
    }
}

void post_event(RunningService& service, const app::Clock& clock, nlohmann::json event) {
    event["time"] = bot::time::format_rfc3339(clock.now_seconds());
    const std::string body = event.dump();
    HttpTestClient client(service.port());
    if (client.post("/hooks/generic", body, signed_headers(kTestSecret, clock.now_seconds(), body))
            .status != 200) {
        throw std::runtime_error("seeding failed");
    }
}

void post_image(RunningService& service, const app::Clock& clock, const std::string& id,
                const std::string& url) {
    nlohmann::json event{{"id", id},
                         {"type", "message"},
                         {"time", bot::time::format_rfc3339(clock.now_seconds())},
                         {"chat", {{"id", "g-demo"}, {"type", "group"}}},
                         {"sender", {{"id", "zhangsan"}, {"name", "张三"}}},
                         {"image", {{"url", url}}}};
    const std::string body = event.dump();
    HttpTestClient client(service.port());
    if (client.post("/hooks/generic", body, signed_headers(kTestSecret, clock.now_seconds(), body))
            .status != 200) {
        throw std::runtime_error("seeding the image failed");
    }
}

}  // namespace

int main() {
    app::ManualClock clock(at(18, 10));  // Wednesday of 2026-W47
    FakeWecomServer fake;
    fake.set_trusted_domain("127.0.0.1");
    const std::string toml =
        "[adapters.wecom]\nenabled = false\ncorp_id = \"" + fake.options().corp_id +
        "\"\nsecret = \"" + fake.options().secret +
        "\"\nagent_id = " + std::to_string(fake.options().agent_id) + "\napi_base_url = \"" +
        fake.base_url() +
        "\"\ngroup_resync_minutes = 0\n[console]\nenabled = true\nlisten_port = 0\n"
        "oauth_authorize_url = \"" +
        fake.base_url() +
        "/connect/oauth2/authorize\"\n"
        "sso_login_url = \"" +
        fake.base_url() +
        "/wwlogin/sso/login\"\n"
        "[notices]\nadmin_ids = [\"zhouba\"]\n"
        "[[scores.lines]]\nname = \"业务一线\"\ndirector = \"zhengshi\"\n"
        "departments = [\"市场发展部\", \"企业服务部\", \"投行业务部\"]\n";
    RunningService service("", "", toml, &clock);
    service.import_demo_directory();

    // 示例科技's project group: its owner, the account manager, compliance, and 李四 with a
    // nickname without a role word.
    post_event(service, clock,
               {{"id", "seed-group"},
                {"type", "group_created"},
                {"chat",
                 {{"id", "g-demo"},
                  {"name", "宁夏示例科技有限公司服务项目专属服务群"},
                  {"owner", "zhangsan"}}},
                {"members",
                 {{{"id", "zhangsan"}, {"name", "张三"}, {"nickname", "张三-项目负责人"}},
                  {{"id", "zhouba"}, {"name", "周八"}, {"nickname", "周八-合规质效督办"}},
                  {{"id", "lisi"}, {"name", "李四"}, {"nickname", "李四"}}}}});
    post(service, clock, "seed-visit", "zhangsan", "张三", "g-demo", kCompleteVisitReport);
    // The call-log screenshot as the visit's evidence, fetched from the fake WeCom host.
    const std::string screenshot = fake.host_file("/call-log.png", png_image(64, 48), "image/png");
    post_image(service, clock, "seed-image", screenshot);
    post(service, clock, "seed-risk", "zhouba", "周八", "dm-zhouba",
         "【风险提示】星河新材控股股东股权质押比例超过80%，请暂停推荐融资并核实。");
    if (!service.wait_for_count("SELECT COUNT(*) FROM visits", 1) ||
        !service.wait_for_count("SELECT COUNT(*) FROM risks WHERE status = 'open'", 1) ||
        !service.wait_for_count("SELECT COUNT(*) > 0 FROM point_entries", 1) ||
        !service.wait_for_count("SELECT COUNT(*) FROM visit_evidence WHERE sha256 IS NOT NULL",
                                1)) {
        std::cerr << "seeding did not complete\n";
        return 1;
    }
    clock.set_seconds(at(23, 10));

    const auto port = service.application().console_endpoint().port();
    std::cout << "READY "
              << nlohmann::json{{"console", "http://127.0.0.1:" + std::to_string(port)},
                                {"fake", fake.base_url()},
                                {"database", service.database_path().string()}}
                     .dump()
              << std::endl;
    std::string line;
    int reports_posted = 0;
    while (std::getline(std::cin, line)) {
        std::istringstream words(line);
        std::string command;
        std::string user;
        std::string kind;
        words >> command >> user >> kind;
        if (command == "user") {
            fake.set_sign_in_user(user, kind != "outsider");
            std::cout << "HOST ok" << std::endl;
        } else if (command == "reports") {
            const int count = std::stoi(user);
            const std::int64_t demands_before = service.count("SELECT COUNT(*) FROM demands");
            for (int i = 0; i < count; ++i) {
                // Five a day from 1 November: distinct visits, before the clock (23 November)
                // for up to 110 of them.
                const std::string when = "2026-11-" + std::string(i / 5 + 1 < 10 ? "0" : "") +
                                         std::to_string(i / 5 + 1) + " " +
                                         std::to_string(9 + i % 5) + ":00";
                post(service, clock, "seed-report-" + std::to_string(reports_posted++), "zhangsan",
                     "张三", "dm-zhangsan",
                     "【走访记录】\n企业名称：示例科技\n走访时间：" + when +
                         "\n走访方式：实地走访\n走访人员：张三\n走访内容：了解融资计划\n"
                         "客户反馈：希望对接银行\n企业联系人：王总 13912345678\n"
                         "服务需求：股权融资；挂牌辅导");
            }
            const bool recorded =
                service.wait_for_count("SELECT COUNT(*) FROM demands", demands_before + 2 * count);
            std::cout << (recorded ? "HOST ok" : "HOST not recorded") << std::endl;
        } else {
            std::cout << "HOST unknown command" << std::endl;
        }
    }
    return 0;
}
