#include "bot/ledger/periodic_reviews.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

InboundEvent review_tick(const std::string& job, const std::string& period, std::int64_t time) {
    InboundEvent event = tick(job, time);
    event.id = job + ":" + period;
    return event;
}

constexpr std::int64_t kSeptember16 = 1789524000;  // 2026-09-16 10:00 Shanghai
constexpr std::int64_t kOctober1 = 1790820000;     // 2026-10-01 10:00 Shanghai

}  // namespace

TEST_CASE("Before quarter end each account manager hears of their unvisited listed companies",
          "[reviews][engine]") {
    Playback playback;
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    const Decision decision =
        playback.play(review_tick("coverage-reminder", "2026-Q3", kSeptember16));
    const auto reminders = notices_of(decision, "coverage_reminder");
    // 示例科技 was visited; 星河新材 (李四) was not; 培育 companies are not required.
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "lisi", ""});
    CHECK(reminders[0]->fields["companies"].size() == 1);
    CHECK(reminders[0]->fields["companies"][0]["company"] == "银川星河新材料股份有限公司");
    CHECK(reminders[0]->fields["quarter"] == "2026-Q3");
    CHECK(reminders[0]->fields["working_days_left"].get<int>() > 0);
}

TEST_CASE("After quarter end the gaps go to the department head and compliance",
          "[reviews][engine]") {
    Playback playback;
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    // The tick comes in Q4 but is about Q3, from its run key.
    const Decision decision = playback.play(review_tick("coverage-gaps", "2026-Q3", kOctober1));
    const auto gaps = notices_of(decision, "coverage_gaps");
    REQUIRE(gaps.size() == 2);
    CHECK(gaps[0]->target.id == "wujiu");  // head of 企业服务部
    CHECK(gaps[1]->target == kComplianceDm);
    CHECK(gaps[1]->fields["companies"].size() == 1);
    CHECK(has_action(decision, "coverage.gaps_reported"));

    // A quarter in which 示例科技 was not visited lists both.
    const Decision q4 =
        playback.play(review_tick("coverage-gaps", "2026-Q4", kOctober1 + 92 * 86400));
    CHECK(notices_of(q4, "coverage_gaps").back()->fields["companies"].size() == 2);
}

TEST_CASE("The monthly digest lists each department's unfinished demands", "[reviews][engine]") {
    Playback playback;
    playback.play(message(kDemandReport, "zhangsan", "张三"));
    playback.play(message("/不可行 D2 原因：暂无计划", "zhangsan", "张三"));
    const Decision decision =
        playback.play(review_tick("monthly-digest", "2026-08", kStart + 31 * 86400));
    const auto digests = notices_of(decision, "monthly_digest");
    REQUIRE(digests.size() == 1);
    CHECK(digests[0]->target.id == "sunqi");  // head of 市场发展部
    CHECK(digests[0]->fields["count"] == 1);
    CHECK(digests[0]->fields["demands"][0]["demand_id"] == "D1");
    CHECK(digests[0]->fields["demands"][0]["days_open"] == 30);
}
