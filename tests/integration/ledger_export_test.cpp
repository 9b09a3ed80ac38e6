#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/running_service.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/zip_archive.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

const std::string kBinary = std::string(LEDGERBOT_BINARY_DIR) + "/app/ledgerbot";

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("ledgerbot export ledger writes the 第七条 columns as CSV and xlsx",
          "[integration][export]") {
    RunningService service;
    service.import_demo_directory();
    {
        HttpTestClient client(service.port());
        const std::string body = message_event("r-1", kCompleteVisitReport);
        REQUIRE(
            client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
        REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM demands", 2));
        for (const auto& [id, text] : {std::pair<std::string, std::string>{
                                           "c-1", "/方案 D1 负责人：孙七 方案：对接两家银行"},
                                       {"c-2", "/签约 D1"}}) {
            const std::string command = message_event(id, text);
            REQUIRE(client
                        .post("/hooks/generic", command,
                              signed_headers(kTestSecret, now_seconds(), command))
                        .status == 200);
        }
        REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM demand_history", 2));
    }
    service.stop();

    const auto dir = service.database_path().parent_path();
    const auto config = dir / "export.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << service.database_path().string()
                          << "\"\n[log]\nlevel = \"warn\"\n";
    const auto csv = dir / "ledger.csv";
    const auto xlsx = dir / "ledger.xlsx";
    const std::string base = kBinary + " --config " + config.string() + " export ledger ";
    REQUIRE(std::system((base + "--format csv --out " + csv.string() + " > /dev/null").c_str()) ==
            0);
    REQUIRE(std::system((base + "--format xlsx --out " + xlsx.string() + " > /dev/null").c_str()) ==
            0);

    const std::string text = read_all(csv);
    // UTF-8 with a byte-order mark, the header of 第七条, one row per demand.
    REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK_THAT(text, Catch::StartsWith(
                         "\xEF\xBB\xBF\"需求编号\",\"企业全称\",\"经营情况\",\"所属行业\","
                         "\"服务需求简述\",\"可对接服务分析\",\"跟进情况记录\","
                         "\"是否签订服务合同\",\"服务完结情况\",\"对接时间\","
                         "\"对接负责人\",\"企业联系人及联系电话\",\"走访记录\",\"收集人\"\r\n"));
    CHECK_THAT(text,
               Catch::Contains("\"D1\",\"宁夏示例科技有限公司\",\"\",\"软件和信息技术服务业\","
                               "\"股权融资\""));
    // D1's follow-up history, agreement, status and owner from the ledger commands.
    CHECK_THAT(text, Catch::Contains(" 张三：负责人：孙七 方案：对接两家银行\n"));
    CHECK_THAT(text, Catch::Contains(" 张三：\",\"是\",\"服务中（完成 0%，收入 0 元）\","));
    CHECK_THAT(text, Catch::Contains("\"孙七\",\"王总 13912345678\",\"V1\",\"张三\"\r\n"));
    CHECK_THAT(text, Catch::Contains("\"D2\",\"宁夏示例科技有限公司\""));
    // Staff read the export: the contact's phone is whole.
    CHECK_THAT(text, Catch::Contains("\"否\",\"待制定方案\""));
    std::size_t lines = 0;
    for (char c : text) {
        lines += c == '\n';
    }
    CHECK(lines == 4);  // the header, D1 (a follow-up line break inside its cell), D2

    // The xlsx holds the same cells (read back from its sheet and shared strings).
    const auto cells = read_xlsx_cells(xlsx);
    CHECK(cells.at("A1") == "需求编号");
    CHECK(cells.at("N1") == "收集人");
    CHECK(cells.at("A2") == "D1");
    CHECK(cells.at("B2") == "宁夏示例科技有限公司");
    CHECK(cells.at("H2") == "是");
    CHECK(cells.at("K2") == "孙七");
    CHECK(cells.at("A3") == "D2");
    CHECK(cells.at("I3") == "待制定方案");

    // A bad format is refused by the command line, naming the choices.
    CHECK(std::system(
              (base + "--format pdf --out " + (dir / "x").string() + " 2> /dev/null").c_str()) !=
          0);
}
