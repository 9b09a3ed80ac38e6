#include "bot/reports/visit_report_parser.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/visit_report_fixtures.hpp"

namespace {

using ledgerbot::bot::model::VisitField;
using ledgerbot::bot::reports::ParsedReport;
namespace bot = ledgerbot::bot;

const bot::settings::ReportSettings& settings() {
    static const bot::settings::ReportSettings report =
        ledgerbot::config::load_default_settings().engine.report;
    return report;
}

const bot::model::Directory& directory() {
    static const bot::model::Directory companies = ledgerbot::testing::visit_report_directory();
    return companies;
}

std::int64_t at(const char* rfc3339) {
    return *bot::time::parse_rfc3339(rfc3339);
}

// Thursday morning in Yinchuan.
const std::int64_t kThursday = at("2026-07-02T09:15:00+08:00");

ParsedReport parse(const std::string& text, std::int64_t now = kThursday) {
    return bot::reports::parse_visit_report(text, now, directory(), settings());
}

// "YYYY-MM-DD HH:MM", "YYYY-MM-DD" when only a date was given, "-" when nothing was read.
std::string shown(const std::optional<bot::reports::ParsedTime>& time) {
    if (!time) {
        return "-";
    }
    return time->date_only ? bot::time::format_date(bot::time::local_date(time->unix_seconds))
                           : bot::time::format_local_minutes(time->unix_seconds);
}

}  // namespace

TEST_CASE("Time expressions are read the way staff write them, relative to the message time") {
    auto [written, expected] = GENERATE(table<std::string, std::string>({
        {"2026-07-01 10:00", "2026-07-01 10:00"},
        {"2026/7/1", "2026-07-01"},
        {"2026.7.1 15:30", "2026-07-01 15:30"},
        {"2026年7月1日", "2026-07-01"},
        {"2026 年 7 月 1 日", "2026-07-01"},
        {"26年7月1日", "2026-07-01"},
        {"2025-12-31", "2025-12-31"},
        {"2026-07-01 10:00:00", "2026-07-01 10:00"},
        {"20260701", "2026-07-01"},
        {"7月1日 下午3点", "2026-07-01 15:00"},
        {"7月1号下午3点", "2026-07-01 15:00"},
        {"七月一日", "2026-07-01"},
        {"7/1", "2026-07-01"},
        {"7-1 10:00", "2026-07-01 10:00"},
        {"7.1", "2026-07-01"},
        {"7月3日", "2026-07-03"},  // ahead: returned as written, the parser calls it a plan
        {"1月3日", "2026-01-03"},  // behind
        {"3号", "2026-07-03"},
        {"1号上午10点", "2026-07-01 10:00"},
        {"月底", "2026-07-31"},
        {"上月底", "2026-06-30"},
        {"上个月末", "2026-06-30"},
        {"本月初", "2026-07-01"},
        {"6月底", "2026-06-30"},
        {"上个月月底", "2026-06-30"},
        {"6月30日14:00", "2026-06-30 14:00"},
        {"今天", "2026-07-02"},
        {"今日 8:00", "2026-07-02 08:00"},
        {"今早8点", "2026-07-02 08:00"},
        {"昨天", "2026-07-01"},
        {"昨日上午10点", "2026-07-01 10:00"},
        {"昨晚8点", "2026-07-01 20:00"},
        {"昨天（周三）下午3点", "2026-07-01 15:00"},
        {"前天", "2026-06-30"},
        {"大前天", "2026-06-29"},
        {"上周五", "2026-06-26"},
        {"上个星期五 14:00", "2026-06-26 14:00"},
        {"上上周二", "2026-06-16"},
        {"本周一", "2026-06-29"},
        {"这周三", "2026-07-01"},
        {"周三", "2026-07-01"},
        {"周四", "2026-07-02"},  // today is Thursday
        {"周五", "2026-06-26"},  // the most recent Friday
        {"星期天", "2026-06-28"},
        {"礼拜一", "2026-06-29"},
        {"10:00", "2026-07-02 10:00"},
        {"10点", "2026-07-02 10:00"},
        {"10点半", "2026-07-02 10:30"},
        {"10点15分", "2026-07-02 10:15"},
        {"10时30分", "2026-07-02 10:30"},
        {"下午3点", "2026-07-02 15:00"},
        {"15:30", "2026-07-02 15:30"},
        {"晚上8点", "2026-07-02 20:00"},
        {"中午12点", "2026-07-02 12:00"},
        {"中午1点", "2026-07-02 13:00"},
        {"上午十点半", "2026-07-02 10:30"},
        {"下午两点一刻", "2026-07-02 14:15"},
        {"１０：３０", "2026-07-02 10:30"},
        {"下午3点 7月1日", "2026-07-01 15:00"},
        {"昨天 10:00-11:30", "2026-07-01 10:00"},
        {"昨天10-11点", "2026-07-01 10:00"},
        {"明天", "2026-07-03"},  // returned as written; the report parser flags it
        {"上个月", "-"},
        {"最近", "-"},
        {"2026年6月31日", "-"},
        {"2月30日", "-"},
        {"13:75", "-"},
        {"25点", "-"},
        {"", "-"},
    }));
    CAPTURE(written);
    CHECK(shown(bot::reports::parse_time_expression(written, kThursday)) == expected);
}

TEST_CASE("Relative days follow the Shanghai calendar, not UTC") {
    // 00:30 on 2 July in Yinchuan is still 1 July in UTC.
    const std::int64_t just_after_midnight = at("2026-07-01T16:30:00Z");
    CHECK(shown(bot::reports::parse_time_expression("今天", just_after_midnight)) == "2026-07-02");
    CHECK(shown(bot::reports::parse_time_expression("昨天 23:00", just_after_midnight)) ==
          "2026-07-01 23:00");
}

TEST_CASE("Weekdays and month-days across a year end are resolved into the previous year") {
    const std::int64_t monday = at("2026-01-05T10:20:00+08:00");
    auto [written, expected] = GENERATE(table<std::string, std::string>({
        {"12月28日", "2025-12-28"},
        {"上周五", "2026-01-02"},
        {"周日", "2026-01-04"},
        {"1月5日", "2026-01-05"},
        {"1月6日", "2026-01-06"},  // tomorrow: a plan, not last year's
        {"上月底", "2025-12-31"},
        {"12月初", "2025-12-01"},
    }));
    CAPTURE(written);
    CHECK(shown(bot::reports::parse_time_expression(written, monday)) == expected);
}

TEST_CASE(
    "Phone numbers are accepted with the separators people type and rejected when malformed") {
    auto [written, expected] = GENERATE(table<std::string, std::string>({
        {"13912345678", "13912345678"},
        {"139 1234 5678", "13912345678"},
        {"139-1234-5678", "13912345678"},
        {"+86 139 1234 5678", "13912345678"},
        {"+8613912345678", "13912345678"},
        {"86-13912345678", "13912345678"},
        {"0086 13912345678", "13912345678"},
        {"１３９１２３４５６７８", "13912345678"},
        {"0951-1234567", "09511234567"},
        {"0951 12345678", "095112345678"},
        {"(0951)1234567", "09511234567"},
        {"010-12345678", "01012345678"},
        {"1391234567", "-"},    // a digit missing
        {"139123456789", "-"},  // a digit too many
        {"12345678901", "-"},   // no mobile prefix starts with 12
        {"021-1234567", "-"},   // 3-digit area codes have 8-digit numbers
        {"5012345", "-"},       // no area code
        {"0000-1234567", "-"},
        {"1391234567a", "-"},
        {"", "-"},
    }));
    CAPTURE(written);
    CHECK(bot::reports::normalize_phone(written).value_or("-") == expected);
}

TEST_CASE("Report headers are recognized in the forms staff type and nowhere else") {
    auto [text, expected] = GENERATE(table<std::string, bool>({
        {"【走访记录】\n企业：示例科技", true},
        {"[走访记录]", true},
        {"［走访记录］企业：示例科技", true},
        {"〖走访记录〗", true},
        {"【 走访记录 】", true},
        {"【拜访记录】", true},
        {"\n\n  【走访记录】", true},
        {"@账本助手\u2005【走访记录】企业：示例科技", true},
        {"走访记录：\n企业：示例科技", true},
        {"走访记录\n企业：示例科技", true},
        {"走访记录已经发群里了", false},
        {"我的走访记录", false},
        {"企业：示例科技\n【走访记录】", false},
        {"【简报】", false},
        {"", false},
    }));
    CAPTURE(text);
    CHECK(bot::reports::has_report_header(text, settings()) == expected);
}

TEST_CASE(
    "Free text counts as a report only with a listed company, a visit cue and a sign it happened") {
    auto [text, expected] = GENERATE(table<std::string, bool>({
        {"今天下午电话回访了宁夏示例科技，王总说今年想融资", true},
        {"昨天去星河新材实地看了", true},
        {"上门拜访清源农业，张总电话13895312345", true},
        {"已电话沟通贺兰山酒庄李经理", true},
        {"回访过示例科技", true},
        {"上午9点致电示例科技王总", true},
        {"下午3点致电示例科技王总", false},  // 09:15 now: a plan
        {"[强]今天电话回访了示例科技", true},
        {"今天电话回访了示例科技，王总还在考虑呢", true},
        {"【走访记录】随便写点", true},
        {"企业名称：示例科技\n走访时间：昨天\n走访方式：电话", true},
        {"明天上门拜访示例科技", false},
        {"下周三电话回访星河新材", false},
        {"示例科技的电话是多少？", false},
        {"拜访示例科技需要带什么材料吗", false},
        {"今天电话回访了一家企业", false},
        {"示例科技今天来中心开会", false},
        {"准备上门拜访示例科技", false},
        {"计划电话回访示例科技，了解情况", false},
        {"示例科技上门拜访", false},
        {"每周三电话回访示例科技", false},
        {"/补充 V-1 走访时间：昨天", false},
        {"【风险提示】示例科技今天电话回访了", false},
        {"贺兰山酒庄李经理电话13895012345", false},
    }));
    CAPTURE(text);
    CHECK((bot::reports::classify_message(text, kThursday, directory(), settings()) ==
           bot::reports::MessageKind::report) == expected);
    CHECK(parse(text).is_report == expected);
}

TEST_CASE("Visitors are split on the separators people use, deduplicated, in order") {
    auto [written, expected] = GENERATE(table<std::string, std::vector<std::string>>({
        {"张三、李四", {"张三", "李四"}},
        {"张三,李四;王五", {"张三", "李四", "王五"}},
        {"张三，李四；王五", {"张三", "李四", "王五"}},
        {"张三 李四  张三", {"张三", "李四"}},
        {"张三　李四", {"张三", "李四"}},
        {"张三/李四", {"张三", "李四"}},
        {"张三和李四", {"张三", "李四"}},
        {"欧阳明与李四", {"欧阳明", "李四"}},
        {"张三，李四等", {"张三", "李四"}},
        {"张三（客户经理）、李四（项目专员）", {"张三", "李四"}},
        {"和平", {"和平"}},
    }));
    CAPTURE(written);
    const ParsedReport parsed = parse("【走访记录】\n走访人员：" + written);
    CHECK(parsed.visitors == expected);
}

TEST_CASE("A contact is read from free text as a surname with a title") {
    auto [written, expected] = GENERATE(table<std::string, std::string>({
        {"和王总交流了融资计划", "王总"},
        {"张董事长介绍了扩产安排", "张董事长"},
        {"约见了财务部李经理", "李经理"},
        {"王先生接待", "王先生"},
        {"总经理表示满意", "-"},
        {"项目计划3000万总投资", "-"},
        {"李总结了三点", "-"},
        {"上半年总体平稳", "-"},
    }));
    CAPTURE(written);
    const ParsedReport parsed = parse("【走访记录】\n走访内容：" + written);
    CHECK((parsed.has(VisitField::contact) ? parsed.value(VisitField::contact) : "-") == expected);
}

TEST_CASE("Service demands are split on semicolons, lines and numbered items") {
    auto [written, expected] = GENERATE(table<std::string, std::vector<std::string>>({
        {"1、融资 2、挂牌辅导", {"融资", "挂牌辅导"}},
        {"1.融资2.挂牌辅导", {"融资", "挂牌辅导"}},
        {"①股权融资②债权融资", {"股权融资", "债权融资"}},
        {"(1)融资；(2)培训", {"融资", "培训"}},
        {"融资；挂牌\n培训", {"融资", "挂牌", "培训"}},
        {"融资1.5亿元", {"融资1.5亿元"}},
        {"1、融资 3、培训", {"融资 3、培训"}},  // numbers must run in sequence
        {"暂无", {}},
        {"无。", {}},
    }));
    CAPTURE(written);
    const ParsedReport parsed = parse("【走访记录】\n服务需求：" + written);
    CHECK(parsed.demands == expected);
}

TEST_CASE("Several labelled fields on one line are split at each label") {
    const ParsedReport parsed =
        parse("企业：宁夏示例科技有限公司  时间：昨天 下午3点 方式：电话 2.人员：张三、李四");
    CHECK(parsed.value(VisitField::company) == "宁夏示例科技有限公司");
    CHECK(parsed.value(VisitField::visit_time) == "2026-07-01 15:00");
    CHECK(parsed.value(VisitField::mode) == "电话回访");
    CHECK(parsed.visitors == std::vector<std::string>{"张三", "李四"});
    CHECK(parsed.inferred.empty());
}

TEST_CASE("A colon after ordinary words stays in the value") {
    const ParsedReport parsed = parse("【走访记录】\n走访内容：王总表示：资金紧张\n客户反馈：满意");
    CHECK(parsed.value(VisitField::content) == "王总表示：资金紧张");
    CHECK(parsed.value(VisitField::feedback) == "满意");
}

TEST_CASE("Narrative fields continue over lines and other fields do not") {
    const ParsedReport parsed = parse(
        "【走访记录】\n企业名称：示例科技\n今天电话回访了王总\n走访内容：第一段\n\n第二段\n客户反馈"
        "：满意");
    CHECK(parsed.value(VisitField::company) == "宁夏示例科技有限公司");
    CHECK(parsed.value(VisitField::content) == "第一段\n第二段");
    // The unlabelled line after the company is free text: mode, time and contact come from it.
    CHECK(parsed.value(VisitField::mode) == "电话回访");
    CHECK(parsed.value(VisitField::visit_time) == "2026-07-02");
    CHECK(parsed.value(VisitField::contact) == "王总");
    CHECK(parsed.was_inferred(VisitField::mode));
    CHECK_FALSE(parsed.was_inferred(VisitField::company));
}

TEST_CASE("A contact field carrying the phone gives both, and a bad number there is reported") {
    const ParsedReport good =
        parse("【走访记录】\n企业联系人及联系电话：王总，电话：139 1234 5678");
    CHECK(good.value(VisitField::contact) == "王总");
    CHECK(good.value(VisitField::phone) == "13912345678");
    CHECK(good.issues.empty());

    const ParsedReport slash = parse("【走访记录】\n联系人：王总/13912345678");
    CHECK(slash.value(VisitField::contact) == "王总");
    CHECK(slash.value(VisitField::phone) == "13912345678");

    const ParsedReport bad = parse("【走访记录】\n联系人：王总 1391234567");
    CHECK(bad.value(VisitField::contact) == "王总");
    CHECK_FALSE(bad.has(VisitField::phone));
    REQUIRE(bad.issues.size() == 1);
    CHECK(bad.issues[0] ==
          bot::reports::ParseIssue{VisitField::phone, "phone_invalid", "1391234567"});
}

TEST_CASE("Wrong values are reported with what was written and left out of the record") {
    const ParsedReport parsed = parse(
        "【走访记录】\n企业名称：宁夏未名贸易有限公司\n走访时间：昨天上午\n走访方式：微信\n"
        "联系电话：暂无");
    const std::vector<bot::reports::ParseIssue> expected{
        {VisitField::company, "company_not_listed", "宁夏未名贸易有限公司"},
        {VisitField::mode, "mode_unrecognized", "微信"},
    };  // 联系电话：暂无 is a placeholder: missing, not a wrong number
    CHECK(parsed.issues == expected);
    CHECK(parsed.is_report);
    for (VisitField field : {VisitField::company, VisitField::mode, VisitField::phone}) {
        CHECK_FALSE(parsed.has(field));
    }
    CHECK_FALSE(parsed.company_id.has_value());
}

TEST_CASE("走访人员：我和张三 names the sender for 我") {
    const ParsedReport parsed =
        bot::reports::parse_visit_report("【走访记录】\n企业名称：示例科技\n走访人员：我和张三",
                                         kThursday, directory(), settings(), "李四");
    CHECK(parsed.visitors == std::vector<std::string>{"李四", "张三"});
}

TEST_CASE("A report whose visit time lies ahead is a plan, not a report") {
    const ParsedReport parsed =
        parse("【走访记录】\n企业名称：示例科技\n走访时间：明天上午10点\n走访方式：实地走访");
    CHECK(parsed.is_plan);
    CHECK_FALSE(parsed.is_report);
    CHECK(parsed.issues.empty());
    CHECK(parsed.planned_time == at("2026-07-03T10:00:00+08:00"));
    // A supplement cannot move a visit ahead: that is a wrong value.
    const ParsedReport supplement = bot::reports::parse_visit_supplement(
        "走访时间：明天上午10点", kThursday, directory(), settings());
    REQUIRE(supplement.issues.size() == 1);
    CHECK(supplement.issues[0].code == "time_in_future");
}

TEST_CASE("A visit time a few minutes after the message is believed, an hour later is not") {
    const std::int64_t half_past_two = at("2026-07-02T14:50:00+08:00");
    CHECK(parse("【走访记录】\n走访时间：下午3点", half_past_two).value(VisitField::visit_time) ==
          "2026-07-02 15:00");
    const ParsedReport later = parse("【走访记录】\n走访时间：下午4点", half_past_two);
    CHECK_FALSE(later.has(VisitField::visit_time));
    CHECK(later.is_plan);
    CHECK(later.planned_time == at("2026-07-02T16:00:00+08:00"));
}

TEST_CASE("Free text skips dates that are plans and picks the visit day") {
    const ParsedReport parsed = parse("王总说计划12月1日前完成股改，昨天电话回访了示例科技");
    CHECK(parsed.value(VisitField::visit_time) == "2026-07-01");
    CHECK(parsed.value(VisitField::mode) == "电话回访");
}

TEST_CASE("Missing fields are the configured required fields without a value, in config order") {
    const ParsedReport parsed = parse("【走访记录】\n企业名称：示例科技\n联系电话：13912345678");
    std::vector<VisitField> expected;
    for (VisitField field : settings().required) {
        if (field != VisitField::company && field != VisitField::phone) {
            expected.push_back(field);
        }
    }
    CHECK(parsed.missing == expected);
}

TEST_CASE("Mode keywords come from the configuration") {
    bot::settings::ReportSettings custom = settings();
    custom.modes.push_back({"座谈会", {"座谈"}});
    const ParsedReport parsed = bot::reports::parse_visit_report("【走访记录】\n走访方式：座谈",
                                                                 kThursday, directory(), custom);
    CHECK(parsed.value(VisitField::mode) == "座谈会");
    CHECK(parse("【走访记录】\n走访方式：座谈").issues.at(0).code == "mode_unrecognized");
}

TEST_CASE("The parser never throws and keeps its answers valid UTF-8 on any bytes") {
    std::mt19937 random(20260702);
    std::uniform_int_distribution<int> byte(0, 255);
    const std::string alphabet[] = {"【走访记录】",
                                    "企业：",
                                    "：",
                                    ":",
                                    "\n",
                                    "电话",
                                    "13912345678",
                                    "7月",
                                    "1日",
                                    "下午",
                                    "3点",
                                    "周",
                                    "上",
                                    "(",
                                    ")",
                                    "、",
                                    "1.",
                                    "示例科技",
                                    " ",
                                    "\xE4\xBD",
                                    "\xFF",
                                    "\xF5\x80\x80\x80"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int pieces = round % 60;
        for (int i = 0; i < pieces; ++i) {
            if (random() % 4 == 0) {
                text.push_back(static_cast<char>(byte(random)));
            } else {
                text += alphabet[random() % std::size(alphabet)];
            }
        }
        CAPTURE(round);
        ParsedReport parsed;
        REQUIRE_NOTHROW(parsed = parse(text));
        for (const auto& [field, value] : parsed.values) {
            CHECK(bot::text::is_valid_utf8(value));
        }
        REQUIRE_NOTHROW(bot::reports::classify_message(text, kThursday, directory(), settings()));
    }
}

TEST_CASE("A huge message is read up to the cap and parsed without blowing up") {
    std::string text = "【走访记录】\n企业名称：示例科技\n走访内容：";
    for (int i = 0; i < 50000; ++i) {
        text += "企业：电话：7月1日：";
    }
    text += "\n联系电话：13912345678";
    const ParsedReport parsed = parse(text);
    CHECK(parsed.is_report);
    CHECK(parsed.value(VisitField::company) == "宁夏示例科技有限公司");
    // The phone line lies beyond the cap.
    CHECK_FALSE(parsed.has(VisitField::phone));
}

TEST_CASE("Placeholders count as missing, never as values") {
    const std::string placeholder =
        GENERATE(as<std::string>{}, "待补充", "暂无", "无", "略", "—", "/", "——", "待补充。",
                 "（待补充）", "不详", " 暂 无 ");
    CAPTURE(placeholder);
    const ParsedReport report = parse(
        "【走访记录】\n企业名称：示例科技\n走访时间：2026-07-01 10:00\n走访方式：实地走访\n"
        "走访人员：张三\n走访内容：了解融资计划\n客户反馈：" +
        placeholder + "\n企业联系人：王总\n联系电话：" + placeholder);
    CHECK(report.values.count(bot::model::VisitField::feedback) == 0);
    CHECK(report.values.count(bot::model::VisitField::phone) == 0);
    CHECK(std::count(report.missing.begin(), report.missing.end(),
                     bot::model::VisitField::feedback) == 1);
    CHECK(std::count(report.missing.begin(), report.missing.end(), bot::model::VisitField::phone) ==
          1);
    CHECK(report.values.at(bot::model::VisitField::contact) == "王总");
}

TEST_CASE("With a landline and a mobile, the contact's mobile is the 联系电话") {
    const std::string phones = GENERATE(
        as<std::string>{}, "0951-3012345，13912345678", "座机 0951-3012345 手机 139 1234 5678",
        "(0951)3012345/+86 139-1234-5678", "０９５１－３０１２３４５　１３９１２３４５６７８");
    CAPTURE(phones);
    const ParsedReport labelled = parse("【走访记录】\n企业名称：示例科技\n联系电话：" + phones);
    CHECK(labelled.value(VisitField::phone) == "13912345678");
    const ParsedReport contact =
        parse("【走访记录】\n企业名称：示例科技\n企业联系人：王总 " + phones);
    CHECK(contact.value(VisitField::phone) == "13912345678");
    CHECK(contact.value(VisitField::contact) == "王总");
    // A landline alone is still the number.
    CHECK(parse("【走访记录】\n联系电话：0951-3012345").value(VisitField::phone) == "09513012345");
}

TEST_CASE("A trailing remark in brackets is not part of a field; a bracket that belongs stays") {
    const ParsedReport parsed = parse(
        "【走访记录】\n企业名称：示例科技\n走访内容：了解融资计划（详见附件）\n"
        "客户反馈：希望对接银行(后续再跟进)\n企业联系人：王建国（总经理）\n"
        "经营情况：（详见附件）");
    CHECK(parsed.value(VisitField::content) == "了解融资计划");
    CHECK(parsed.value(VisitField::feedback) == "希望对接银行");
    CHECK(parsed.value(VisitField::contact) == "王建国（总经理）");
    CHECK_FALSE(parsed.has(VisitField::business_status));  // nothing but a remark
}
