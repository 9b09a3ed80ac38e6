#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

// 张三 reported a visit to 示例科技 (市场发展部) with two demands; 业务一线 is 郑十's line of
// 市场发展部.
Playback reported() {
    EngineSettings settings = default_settings();
    settings.scores.lines.push_back({"业务一线", "zhengshi", {"市场发展部"}});
    Playback playback(std::move(settings));
    playback.play(created(full_team()));
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    REQUIRE(playback.state().visit(1).has_value());
    return playback;
}

bool answered(const Decision& decision, const std::string& template_id) {
    return !notices_of(decision, template_id).empty();
}

}  // namespace

TEST_CASE("Who may read a record, a week's table and its file, by role", "[chat][permissions]") {
    // asker, /走访 V1, /积分表 and /导出 积分表
    const auto [asker, record, week_table] = GENERATE(table<std::string, bool, bool>({
        {"zhouba", true, true},      // compliance
        {"zhangsan", true, false},   // the reporter and account manager
        {"sunqi", true, false},      // head of the reporter's department
        {"zhengshi", true, true},    // the line's director
        {"wujiu", false, false},     // head of another department
        {"lisi", false, false},      // another company's manager
        {"zhaoliu", false, false},   // no part in it
        {"stranger", false, false},  // not in the directory
    }));
    CAPTURE(asker);
    Playback playback = reported();
    const auto direct = [&](const std::string& text) {
        InboundEvent event = message(text, asker, "", ChatKind::direct);
        event.time = kStart + 24 * kHour;
        return playback.play(event);
    };
    const Decision visit = direct("/走访 V1");
    CHECK(answered(visit, "visit_detail") == record);
    CHECK(answered(visit, "visit_lookup_refused") == !record);

    const Decision week = direct("/积分表 2026-W27");
    CHECK(answered(week, "score_table") == week_table);
    CHECK(answered(week, "score_command_refused") == !week_table);

    const Decision file = direct("/导出 积分表 2026-W27");
    CHECK(answered(file, "score_table_export") == week_table);
    CHECK(answered(file, "score_command_refused") == !week_table);
}
