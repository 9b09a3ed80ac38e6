#include "bot/reports/briefing.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

const std::string kBriefing =
    "【简报】\n形式：线下座谈\n时间：7月1日下午\n参与人员：张三、王总\n邀约情况：企业主动邀约\n"
    "阶段性共识：先做股改\n结论性成果：签署意向书\n下一步：联系律所，电话 13912345678";

}  // namespace

TEST_CASE("A briefing in the project group is recorded and added to open demands' follow-ups",
          "[briefing][engine]") {
    Playback playback;
    playback.play(created(full_team()));
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    playback.play(message("/不可行 D2 原因：暂无计划", "zhangsan", "张三"));

    const Decision decision = playback.play(message(kBriefing, "zhangsan", "张三"));
    const auto answers = notices_of(decision, "briefing_recorded");
    REQUIRE(answers.size() == 1);
    const auto& fields = answers[0]->fields;
    CHECK(fields["briefing_id"] == "B1");
    CHECK(fields["company"] == "宁夏示例科技有限公司");
    CHECK(fields["understood"].size() == 7);
    CHECK(fields["understood"][0]["label"] == "形式");
    CHECK(fields["understood"][0]["value"] == "线下座谈");
    // Masked in the group.
    CHECK(fields["understood"][6]["value"] == "联系律所，电话 139****5678");
    CHECK(fields["has_missing"] == false);
    // Only the open demand (D1) gets the follow-up line.
    CHECK(fields["demands"] == nlohmann::json::array({"D1"}));
    REQUIRE(playback.state().briefings().size() == 1);
    CHECK(playback.state().briefings()[0].fields.at("consensus") == "先做股改");
    CHECK(playback.state().history().back().action == "briefing");
    CHECK(playback.state().history().back().demand_number == 1);
    CHECK(has_action(decision, "briefing.recorded"));
}

TEST_CASE("A briefing says what it lacks, and needs a project and a staff member",
          "[briefing][engine]") {
    Playback playback;
    const Decision direct = playback.play(
        message("[简报] 星河新材 形式：电话 下一步：寄送材料", "lisi", "李四", ChatKind::direct));
    const auto answers = notices_of(direct, "briefing_recorded");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields["company"] == "银川星河新材料股份有限公司");
    CHECK(answers[0]->fields["missing"].size() == 5);
    CHECK(answers[0]->fields["has_demands"] == false);

    CHECK(notices_of(playback.play(message("【简报】形式：电话", "lisi", "李四", ChatKind::direct)),
                     "briefing_refused")[0]
              ->fields["company_unknown"] == true);
    CHECK(notices_of(playback.play(message("【简报】示例科技 形式：电话", "stranger", "路人")),
                     "briefing_refused")[0]
              ->fields["not_staff"] == true);
}
