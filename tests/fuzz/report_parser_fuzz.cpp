// libFuzzer target for the visit report parser: every group message is read by it. Seeded with
// the visit report corpus (tests/fixtures/visit_reports/cases). Checks that no input crashes it,
// that what it accepts is valid UTF-8, and that the cheap classification agrees with the parse.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "bot/reports/visit_report_parser.hpp"
#include "config/config_loader.hpp"
#include "tests/fuzz/report_input.hpp"

namespace {

using namespace ledgerbot;

const bot::settings::ReportSettings& settings() {
    static const auto loaded = config::load_default_settings().engine.report;
    return loaded;
}

const bot::model::Directory& directory() {
    static const bot::model::Directory instance = [] {
        std::vector<bot::model::Company> companies;
        auto add = [&](std::int64_t id, std::string full, std::vector<std::string> shorts) {
            bot::model::Company c;
            c.id = id;
            c.full_name = std::move(full);
            c.short_names = std::move(shorts);
            companies.push_back(std::move(c));
        };
        add(1, "宁夏示例科技有限公司", {"示例科技"});
        add(2, "银川星河新材料股份有限公司", {"星河新材", "星河新材料"});
        add(6, "石嘴山市恒达机械制造有限公司", {"恒达机械"});
        add(9, "宁夏宁东能源化工（集团）有限公司", {"宁东化工"});
        std::vector<bot::model::StaffMember> staff{{"u1", "张三", "市场一部", {}},
                                                   {"u2", "李四", "市场一部", {}},
                                                   {"u3", "王五", "市场二部", {}}};
        return bot::model::Directory(std::move(companies), std::move(staff));
    }();
    return instance;
}

// 2026-07-02 09:15 in Shanghai: the corpus's most common message time.
constexpr std::int64_t kNow = 1782954900;

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::message_of(data, size);
    if (!fuzz::acceptable(text)) {
        return 0;
    }
    const auto parsed =
        bot::reports::parse_visit_report(text, kNow, directory(), settings(), "张三");
    require(!(parsed.is_report && parsed.is_plan));
    for (const auto& [field, value] : parsed.values) {
        require(bot::text::is_valid_utf8(value));
    }
    for (const auto& demand : parsed.demands) {
        require(bot::text::is_valid_utf8(demand) && !demand.empty());
    }
    const auto kind = bot::reports::classify_message(text, kNow, directory(), settings());
    require((kind == bot::reports::MessageKind::report) == parsed.is_report ||
            bot::reports::has_report_header(text, settings()));
    const auto supplement =
        bot::reports::parse_visit_supplement(text, kNow, directory(), settings());
    for (const auto& issue : supplement.issues) {
        require(bot::text::is_valid_utf8(issue.value));
    }
    return 0;
}
