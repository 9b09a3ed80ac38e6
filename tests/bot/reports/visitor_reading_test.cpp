#include "bot/reports/visit_report_parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

TEST_CASE("A report in the first person names its sender and the colleagues joined to it",
          "[reports][visitors]") {
    const auto [text, expected] = GENERATE(table<std::string, std::vector<std::string>>({
        {"【走访记录】我和李四上午去示例科技实地走访，了解融资计划", {"张三", "李四"}},
        {"【走访记录】我今天陪同王五、李四到示例科技实地走访", {"张三", "王五", "李四"}},
        {"【走访记录】本人电话回访了示例科技的王总", {"张三"}},
        {"【走访记录】李四与我实地走访示例科技", {"张三", "李四"}},
        // Not in the first person: nobody is assumed.
        {"【走访记录】示例科技实地走访，了解融资计划", {}},
        // A labelled line wins.
        {"【走访记录】走访人员：王五\n我和李四去了示例科技", {"王五"}},
    }));
    CAPTURE(text);
    Playback playback;
    playback.play(created(full_team()));
    const Decision report = playback.play(message(text, "zhangsan", "张三"));
    const auto visit = playback.state().visit(1);
    REQUIRE(visit.has_value());
    CHECK(visit->visitors == expected);
    const auto& missing = visit->missing;
    CHECK((std::find(missing.begin(), missing.end(), VisitField::visitors) == missing.end()) ==
          !expected.empty());
    CHECK(notices_of(report, "visit_recorded").size() == 1);
}
