// The parts of the visit report parser (bot/reports/parsing/), each tested alone on the text
// it reads: sentences and who speaks, needs, phones, people, layout, and the kind of message.

#include <catch2/catch.hpp>

#include "bot/reports/parsing/report_kind.hpp"
#include "bot/reports/parsing/report_layout.hpp"
#include "bot/reports/parsing/report_needs.hpp"
#include "bot/reports/parsing/report_people.hpp"
#include "bot/reports/parsing/report_phones.hpp"
#include "bot/reports/parsing/report_sentences.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/visit_report_fixtures.hpp"

namespace {

using namespace ledgerbot::bot::reports::parsing;
using ledgerbot::bot::reports::MessageKind;

const ledgerbot::bot::settings::ReportSettings& settings() {
    static const auto loaded = ledgerbot::config::load_default_settings().engine.report;
    return loaded;
}

const Vocabulary& vocabulary() {
    return vocabulary_for(settings());
}

Text folded(const std::string& text) {
    return ledgerbot::bot::text::fold_width(ledgerbot::bot::text::decode_utf8(text));
}

std::string utf8_of(View v) {
    return ledgerbot::bot::text::encode_utf8(v);
}

// The feedback and the rest of a text, as the parser splits them.
std::pair<std::string, std::string> feedback_and_content(const std::string& text,
                                                         std::vector<Text> names = {}) {
    const Text f = folded(text);
    const Text original = ledgerbot::bot::text::decode_utf8(text);
    const std::vector<Range> all{{0, f.size()}};
    std::vector<Range> spans;
    for (const Clause& clause : read_clauses(f, all, vocabulary(), names)) {
        if (clause.feedback) {
            spans.push_back(clause.span);
        }
    }
    return {utf8_of(join_pieces(original, f, spans)),
            utf8_of(join_pieces(original, f, subtract(all, spans)))};
}

}  // namespace

TEST_CASE("What the company side says is feedback; what we did is content",
          "[reports][parsing][sentences]") {
    const auto [text, feedback, content] = GENERATE(table<std::string, std::string, std::string>({
        {"今天电话回访示例科技，王总表示今年订单饱满，希望对接银行。我们介绍了挂牌流程。",
         "王总表示今年订单饱满，希望对接银行。", "今天电话回访示例科技，我们介绍了挂牌流程。"},
        // The run ends where we speak again, or at a field of the report.
        {"对方说资金紧张，我们建议先做股改", "对方说资金紧张", "我们建议先做股改"},
        {"王总说今年想融资，联系电话13912345678", "王总说今年想融资", "联系电话13912345678"},
        // An opener before the subject; the subject a few characters before the verb.
        {"参观了车间，但董秘在交流中提到担心账期", "但董秘在交流中提到担心账期", "参观了车间"},
        // A new sentence starts afresh.
        {"企业反馈订单下滑。现场查看了仓库", "企业反馈订单下滑。", "现场查看了仓库"},
        // Voice input: spaces stand for commas.
        {"现场看了下产线 陈总说明年打算上市 想先做股改", "陈总说明年打算上市，想先做股改",
         "现场看了下产线"},
        // No speech verb: the company is the topic, not the speaker.
        {"企业今年营收增长两成，现场查看了新产线", "", "企业今年营收增长两成，现场查看了新产线"},
        // 1.5亿 does not end a sentence.
        {"王总介绍去年营收1.5亿元", "王总介绍去年营收1.5亿元", ""},
    }));
    CAPTURE(text);
    const auto [got_feedback, got_content] = feedback_and_content(text);
    CHECK(got_feedback == feedback);
    CHECK(got_content == content);
}

TEST_CASE("The company's own names speak for it", "[reports][parsing][sentences]") {
    const auto [feedback, content] =
        feedback_and_content("上门拜访，示例科技表示需要培训", {folded("示例科技")});
    CHECK(feedback == "示例科技表示需要培训");
    CHECK(content == "上门拜访");
    CHECK(feedback_and_content("上门拜访，示例科技表示需要培训").first.empty());
}

TEST_CASE("Needs are read where the company states them, by the configured vocabulary",
          "[reports][parsing][needs]") {
    const auto [text, needs] = GENERATE(table<std::string, std::vector<std::string>>({
        {"王总表示希望引入战投扩产，另外想了解挂牌流程", {"股权融资", "挂牌"}},
        // The longest phrase wins: 股权融资, not 融资; 融资 is dropped beside a specific one.
        {"企业有股权融资需求，也有融资需求", {"股权融资"}},
        {"企业有融资需求", {"融资"}},
        // Negated, or something we did: no demand.
        {"王总说暂无融资需求", {}},
        {"企业表示不需要贷款", {}},
        {"我们介绍了股权融资产品", {}},
        // A need cue makes it one even when we write it.
        {"了解到企业急需过桥资金", {"债权融资"}},
        // Each type once, in order of first mention.
        {"对方希望申请专利，还想注册商标，需要政策解读", {"知识产权", "政策咨询"}},
    }));
    CAPTURE(text);
    const Text f = folded(text);
    const auto clauses = read_clauses(f, {{0, f.size()}}, vocabulary(), {});
    CHECK(needs_in_clauses(f, clauses, vocabulary()) == needs);
}

TEST_CASE("Labelled demand items are split as written", "[reports][parsing][needs]") {
    const Text value = folded("1、股权融资 2、挂牌辅导；3. 人才引进");
    CHECK(split_demands(value, value) ==
          std::vector<std::string>{"股权融资", "挂牌辅导", "人才引进"});
    CHECK(split_demands(folded("暂无需求"), folded("暂无需求")).empty());
    // Short items listed with 、 are items; a longer phrase with 、 is one.
    CHECK(split_demands(folded("股改、上市辅导"), folded("股改、上市辅导")) ==
          std::vector<std::string>{"股改", "上市辅导"});
    CHECK(split_demands(folded("对接银行、担保公司等金融机构"),
                        folded("对接银行、担保公司等金融机构"))
              .size() == 1);
    CHECK(means_none(folded("暂无")));
    CHECK_FALSE(means_none(folded("融资")));
}

TEST_CASE("The contact's mobile is the phone; the landline is kept beside it",
          "[reports][parsing][phones]") {
    PhoneSources sources;
    sources.phone_labelled = true;
    sources.phone_original = ledgerbot::bot::text::decode_utf8("0951-5012345，手机139 1234 5678");
    sources.phone_folded = folded("0951-5012345，手机139 1234 5678");
    PhoneReading reading = read_phones(sources, vocabulary());
    CHECK(reading.phone == "13912345678");
    CHECK(reading.landline == "09515012345");
    CHECK_FALSE(reading.inferred);

    // A landline alone is the phone; nothing is kept beside it.
    sources.phone_original = ledgerbot::bot::text::decode_utf8("0951-5012345");
    sources.phone_folded = folded("0951-5012345");
    reading = read_phones(sources, vocabulary());
    CHECK(reading.phone == "09515012345");
    CHECK_FALSE(reading.landline.has_value());

    // In running text: +86 and full-width digits; a number one digit short is invalid.
    PhoneSources text;
    text.narrative_original =
        ledgerbot::bot::text::decode_utf8("王总电话+86 １３９１２３４５６７８");
    text.narrative_folded = folded("王总电话+86 １３９１２３４５６７８");
    reading = read_phones(text, vocabulary());
    CHECK(reading.phone == "13912345678");
    CHECK(reading.inferred);
    text.narrative_original = ledgerbot::bot::text::decode_utf8("王总电话1391234567");
    text.narrative_folded = folded("王总电话1391234567");
    reading = read_phones(text, vocabulary());
    CHECK_FALSE(reading.phone.has_value());
    REQUIRE(reading.invalid.has_value());
    CHECK(utf8_of(*reading.invalid) == "1391234567");
}

TEST_CASE("People: contacts by surname and title, visitor lists, first-person visitors",
          "[reports][parsing][people]") {
    CHECK(surname_title_at(folded("王总说"), 0) == 2);
    CHECK(surname_title_at(folded("张董事长"), 0) == 4);
    CHECK(surname_title_at(folded("王总结了"), 0) == 0);  // 总结 is a word
    CHECK(split_visitors(folded("张三（客户经理）、李四和王五等")) ==
          std::vector<std::string>{"张三", "李四", "王五"});

    const auto directory = ledgerbot::testing::visit_report_directory();
    auto visitors = [&](const std::string& text) {
        return first_person_visitors(folded(text), "张三", directory, vocabulary());
    };
    CHECK(visitors("我和李四上午去星河新材") == std::vector<std::string>{"张三", "李四"});
    CHECK(visitors("今天陪同周强到示例科技") == std::vector<std::string>{"张三", "周强"});
    // The subject left out of 今天和李四去了… is the one writing.
    CHECK(visitors("今天和李四去了恒达机械") == std::vector<std::string>{"张三", "李四"});
    // Neither first person nor a left-out subject: nobody is assumed.
    CHECK(visitors("李四和王五去了恒达机械").empty());
    CHECK(first_person_visitors(folded("我去了恒达机械"), "", directory, vocabulary()).empty());
    // Free text naming no subject was written by the one who went; one naming another
    // colleague as its subject was not.
    auto implied = [&](const std::string& text) {
        return first_person_visitors(folded(text), "张三", directory, vocabulary(), true);
    };
    CHECK(implied("昨晚7点去老城根餐饮拜访了王总") == std::vector<std::string>{"张三"});
    CHECK(implied("上周四下午和示例科技王总视频连线") == std::vector<std::string>{"张三"});
    CHECK(implied("昨天李四去了恒达机械").empty());
}

TEST_CASE("Layout: headers and labels with one character wrong are still read",
          "[reports][parsing][layout]") {
    const Message typo_header = prepare("【走访纪录】\n企业名称：示例科技", vocabulary());
    CHECK(typo_header.header);
    // A bracketed header naming a visit is a report's; with 计划 a plan's.
    CHECK(prepare("【企业走访】\n企业名称：示例科技", vocabulary()).header);
    const Message plan = prepare("【走访计划】\n企业名称：示例科技", vocabulary());
    CHECK(plan.header);
    CHECK(plan.plan_header);
    const Message other = prepare("【风险提示】示例科技", vocabulary());
    CHECK(other.other_header);
    CHECK_FALSE(other.header);

    const Message m = prepare(
        "【走访记录】\n企业明称：示例科技\n联系电化：13912345678\n走访时长：1小时", vocabulary());
    const Segments segments = segment(m, vocabulary());
    CHECK(segments.labelled(ledgerbot::bot::model::VisitField::company));
    CHECK(segments.labelled(ledgerbot::bot::model::VisitField::phone));
    // 走访时长 is one character from 走访时间 and from no other label: read as the time label.
    CHECK(segments.labelled(ledgerbot::bot::model::VisitField::visit_time));

    // 7【联系人】白部长: the item number is no part of the line before.
    const Message numbered =
        prepare("【走访记录】\n6【客户反馈】需要融资\n7【联系人】白部长", vocabulary());
    const Segments numbered_segments = segment(numbered, vocabulary());
    const auto* feedback = numbered_segments.ranges(ledgerbot::bot::model::VisitField::feedback);
    REQUIRE(feedback != nullptr);
    CHECK(utf8_of(join(numbered.original, *feedback)) == "需要融资");
}

TEST_CASE("Free text is a report, a plan or neither", "[reports][parsing][kind]") {
    const auto directory = ledgerbot::testing::visit_report_directory();
    const std::int64_t thursday = *ledgerbot::bot::time::parse_rfc3339("2026-07-02T09:15:00+08:00");
    const auto [text, kind] = GENERATE(table<std::string, MessageKind>({
        {"昨天电话回访了示例科技", MessageKind::report},
        {"今天和李四去了恒达机械，聊了聊设备更新", MessageKind::report},
        {"明天上午去示例科技拜访王总", MessageKind::plan},
        {"7月8日上门拜访示例科技", MessageKind::plan},
        {"准备这周去示例科技拜访一下王总", MessageKind::plan},
        {"月底电话回访示例科技", MessageKind::plan},
        {"示例科技的电话是多少？", MessageKind::other},
        {"看新闻说宁东化工拿到了绿色工厂称号", MessageKind::other},
        {"/台账 示例科技", MessageKind::other},
    }));
    CAPTURE(text);
    const Message m = prepare(text, vocabulary());
    const View body = View(m.folded).substr(m.body_begin);
    const bool named = directory.find_company_in_text(text) != nullptr;
    CHECK(judge_free_text(m, body, named, thursday, vocabulary()) == kind);
}
