#include "bot/engine.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/config_loader.hpp"
#include "tests/bot/in_memory_state.hpp"

namespace {

using ledgerbot::bot::Decision;
using ledgerbot::bot::DemandCreated;
using ledgerbot::bot::Engine;
using ledgerbot::bot::VisitRecordCreated;
using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::Company;
using ledgerbot::bot::model::Demand;
using ledgerbot::bot::model::Directory;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;
using ledgerbot::bot::model::NoticeTarget;
using ledgerbot::bot::model::Person;
using ledgerbot::bot::model::StaffMember;
using ledgerbot::bot::model::VisitField;
using ledgerbot::bot::model::VisitRecord;
using nlohmann::json;

// 2026-07-01 12:00 in Shanghai; the reports below describe a visit at 10:00 that day.
constexpr std::int64_t kMessageTime = 1782878400;
constexpr std::int64_t kVisitTime = 1782871200;

ledgerbot::tests::InMemoryState make_state(std::int64_t next_visit, std::int64_t next_demand) {
    return ledgerbot::tests::InMemoryState(
        Directory(
            {Company{
                 1, "宁夏示例科技有限公司", {"示例科技"}, "软件", "挂牌", "市场发展部", "zhangsan"},
             Company{2, "银川星河新材料股份有限公司", {"星河新材"}, "", "", "", ""}},
            {StaffMember{"zhangsan", "张三", "市场发展部", {"客户经理"}}}),
        next_visit, next_demand);
}

Engine default_engine() {
    const auto no_environment = [](std::string_view) -> std::optional<std::string> {
        return std::nullopt;
    };
    return Engine(ledgerbot::config::load_default_settings(no_environment).engine);
}

const std::string kCompleteReport =
    "【走访记录】\n"
    "企业全称：宁夏示例科技有限公司\n"
    "走访时间：2026-07-01 10:00\n"
    "走访方式：实地走访\n"
    "走访人员：张三、李四\n"
    "走访内容：了解企业融资计划\n"
    "客户反馈：希望尽快对接\n"
    "企业联系人：王总\n"
    "联系电话：13812345678\n"
    "服务需求简述：股权融资500万元；上市辅导";

InboundEvent message(std::string text, ChatKind kind = ChatKind::group) {
    InboundEvent event;
    event.id = "msg-1";
    event.source = "generic";
    event.type = EventType::message;
    event.time = kMessageTime;
    event.chat.id = kind == ChatKind::group ? "group-1" : "dm-zhangsan";
    event.chat.name = "「宁夏示例科技」服务项目专属服务群";
    event.chat.kind = kind;
    event.sender = Person{"zhangsan", "张三", "张三-项目负责人", false, 0};
    event.text = std::move(text);
    event.reply_handle = "handle-1";
    return event;
}

template <class Change>
std::vector<Change> changes_of(const Decision& decision) {
    std::vector<Change> out;
    for (const auto& change : decision.changes) {
        if (const auto* typed = std::get_if<Change>(&change)) {
            out.push_back(*typed);
        }
    }
    return out;
}

std::optional<std::string> understood_value(const json& fields, const std::string& label) {
    for (const auto& item : fields.at("understood")) {
        if (item.at("label") == label) {
            return item.at("value").get<std::string>();
        }
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("A labelled visit report becomes a visit record with every field understood",
          "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(42, 7);
    const InboundEvent event = message(kCompleteReport);

    const Decision decision = engine.handle(event, state);

    const auto visits = changes_of<VisitRecordCreated>(decision);
    REQUIRE(visits.size() == 1);
    const VisitRecord& record = visits[0].record;
    CHECK(record.number == 42);
    CHECK(record.company_id == std::optional<std::int64_t>{1});
    CHECK(record.company_name == "宁夏示例科技有限公司");
    CHECK(record.visit_time == std::optional<std::int64_t>{kVisitTime});
    CHECK(record.mode == "实地走访");
    CHECK(record.visitors == std::vector<std::string>{"张三", "李四"});
    CHECK(record.values.at(VisitField::phone) == "13812345678");
    CHECK(record.values.at(VisitField::contact) == "王总");
    CHECK(record.values.at(VisitField::content) == "了解企业融资计划");
    CHECK(record.missing.empty());
    CHECK(record.complete());
    CHECK(record.reporter_id == "zhangsan");
    CHECK(record.reporter_name == "张三");
    CHECK(record.channel == "generic");
    CHECK(record.chat_id == "group-1");
    CHECK(record.source_event_id == "msg-1");
    CHECK(record.reported_at == kMessageTime);
    CHECK(record.raw_text == kCompleteReport);
}

TEST_CASE("Each stated demand becomes a ledger row with consecutive numbers", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(42, 7);

    const Decision decision = engine.handle(message(kCompleteReport), state);

    const auto demands = changes_of<DemandCreated>(decision);
    REQUIRE(demands.size() == 2);
    const Demand& first = demands[0].demand;
    const Demand& second = demands[1].demand;
    CHECK(first.number == 7);
    CHECK(second.number == 8);
    CHECK(first.summary == "股权融资500万元");
    CHECK(second.summary == "上市辅导");
    for (const Demand& demand : {first, second}) {
        CHECK(demand.visit_number == 42);
        CHECK(demand.company_id == std::optional<std::int64_t>{1});
        CHECK(demand.company_name == "宁夏示例科技有限公司");
        CHECK(demand.status == "collected");
        CHECK(demand.collected_at == kMessageTime);
    }
    // The visit comes first so its row exists before the demands that reference it.
    REQUIRE(decision.changes.size() == 3);
    CHECK(std::holds_alternative<VisitRecordCreated>(decision.changes[0]));

    const json& fields = decision.notices.at(0).fields;
    CHECK(fields.at("has_demands") == true);
    CHECK(fields.at("demands") == json::parse(R"([{"code":"D7","summary":"股权融资500万元"},
                                                  {"code":"D8","summary":"上市辅导"}])"));
}

TEST_CASE("A report in a group is answered once, in that group", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(42, 7);

    const Decision decision = engine.handle(message(kCompleteReport), state);

    REQUIRE(decision.notices.size() == 1);
    const auto& notice = decision.notices[0];
    CHECK(notice.template_id == "visit_recorded");
    CHECK(notice.target ==
          NoticeTarget{"generic", NoticeTarget::Kind::chat, "group-1", "handle-1"});
    CHECK(notice.fields.at("record_id") == "V42");
    CHECK(notice.fields.at("reporter") == "张三");
    CHECK(notice.fields.at("complete") == true);
    CHECK(notice.fields.at("has_missing") == false);
    CHECK(notice.fields.at("missing") == json::array());
    CHECK(notice.fields.at("missing_text") == "");
    CHECK(notice.fields.at("has_issues") == false);
    CHECK(notice.fields.at("has_understood") == true);
    CHECK(understood_value(notice.fields, "企业全称") == "宁夏示例科技有限公司");
    CHECK(understood_value(notice.fields, "走访时间") == "2026-07-01 10:00");
    CHECK(understood_value(notice.fields, "走访方式") == "实地走访");
    CHECK(understood_value(notice.fields, "走访人员") == "张三、李四");
}

TEST_CASE("A report in a direct chat is answered to its sender", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);

    const Decision decision = engine.handle(message(kCompleteReport, ChatKind::direct), state);

    REQUIRE(decision.notices.size() == 1);
    CHECK(decision.notices[0].target ==
          NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", "handle-1"});
}

TEST_CASE("The reporter falls back to the sender id when the platform gives no name", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);
    InboundEvent event = message(kCompleteReport);
    event.sender.name.clear();

    const Decision decision = engine.handle(event, state);

    CHECK(decision.notices.at(0).fields.at("reporter") == "zhangsan");
}

TEST_CASE("Recording a visit and its demands is written to the audit trail", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(42, 7);

    const Decision decision = engine.handle(message(kCompleteReport), state);

    REQUIRE(decision.audit.size() == 3);
    CHECK(decision.audit[0].actor == "zhangsan");
    CHECK(decision.audit[0].action == "visit.recorded");
    CHECK(decision.audit[0].subject == "V42");
    CHECK(decision.audit[0].detail.at("company") == "宁夏示例科技有限公司");
    CHECK(decision.audit[0].detail.at("complete") == true);
    CHECK(decision.audit[0].detail.at("missing") == 0);
    CHECK(decision.audit[0].detail.at("chat") == "group-1");
    CHECK(decision.audit[1].action == "demand.collected");
    CHECK(decision.audit[1].subject == "D7");
    CHECK(decision.audit[1].detail.at("visit") == "V42");
    CHECK(decision.audit[2].subject == "D8");
    CHECK(decision.audit[2].detail.at("summary") == "上市辅导");
}

TEST_CASE("Phone numbers are masked in group answers but shown in direct chats", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);
    const std::string report =
        "【走访记录】\n"
        "企业全称：示例科技\n"
        "走访时间：2026-07-01 10:00\n"
        "走访方式：电话回访\n"
        "走访人员：张三\n"
        "走访内容：了解经营情况，法人身份证110101199003071234\n"
        "客户反馈：无\n"
        "企业联系人：王总 13987654321\n"
        "联系电话：0951-5012345\n"
        "服务需求简述：请回电13912345678洽谈融资";
    const auto [kind, phone, contact, content, demand] =
        GENERATE(table<ChatKind, std::string, std::string, std::string, std::string>({
            {ChatKind::group, "139****4321", "王总", "了解经营情况，法人身份证110101********1234",
             "请回电139****5678洽谈融资"},
            {ChatKind::direct, "13987654321", "王总", "了解经营情况，法人身份证110101199003071234",
             "请回电13912345678洽谈融资"},
        }));

    const Decision decision = engine.handle(message(report, kind), state);

    REQUIRE(decision.notices.size() == 1);
    const json& fields = decision.notices[0].fields;
    // The contact's mobile is the 联系电话; the landline is kept as the company's phone.
    CHECK(understood_value(fields, "联系电话") == phone);
    CHECK(understood_value(fields, "企业电话") ==
          (kind == ChatKind::group ? "0951***2345" : "09515012345"));
    CHECK(understood_value(fields, "企业联系人") == contact);
    CHECK(understood_value(fields, "走访内容") == content);
    CHECK(understood_value(fields, "服务需求简述") == demand);
    CHECK(fields.at("demands").at(0).at("summary") == demand);
    // The ledger keeps what was written; masking is for what is posted.
    const auto visits = changes_of<VisitRecordCreated>(decision);
    REQUIRE(visits.size() == 1);
    CHECK(visits[0].record.values.at(VisitField::phone) == "13987654321");
    CHECK(visits[0].record.values.at(VisitField::company_phone) == "09515012345");
    CHECK(changes_of<DemandCreated>(decision).at(0).demand.summary == "请回电13912345678洽谈融资");
}

TEST_CASE("What could not be understood is masked in group answers too", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);
    const std::string report =
        "【走访记录】\n"
        "企业全称：示例科技\n"
        "联系电话：问前台，身份证110101199003071234";
    const auto [kind, shown] = GENERATE(table<ChatKind, std::string>({
        {ChatKind::group, "问前台，身份证110101********1234"},
        {ChatKind::direct, "问前台，身份证110101199003071234"},
    }));

    const Decision decision = engine.handle(message(report, kind), state);

    const json& issues = decision.notices.at(0).fields.at("issues");
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].at("label") == "联系电话");
    CHECK(issues[0].at("phone_invalid") == true);
    CHECK(issues[0].at("value") == shown);
}

TEST_CASE("Missing required fields are listed in the answer and on the record", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(5, 1);
    const std::string report =
        "【走访记录】\n"
        "企业全称：宁夏示例科技有限公司\n"
        "走访时间：2026-07-01 10:00\n"
        "走访人员：张三\n"
        "走访内容：了解企业经营情况\n"
        "客户反馈：希望尽快对接\n"
        "企业联系人：王总";

    const Decision decision = engine.handle(message(report), state);

    const auto visits = changes_of<VisitRecordCreated>(decision);
    REQUIRE(visits.size() == 1);
    CHECK(visits[0].record.missing == std::vector<VisitField>{VisitField::mode, VisitField::phone});
    CHECK_FALSE(visits[0].record.complete());
    CHECK(changes_of<DemandCreated>(decision).empty());

    REQUIRE(decision.notices.size() == 1);
    const json& fields = decision.notices[0].fields;
    CHECK(fields.at("complete") == false);
    CHECK(fields.at("has_missing") == true);
    CHECK(fields.at("missing") == json::parse(R"([{"label":"走访方式"},{"label":"联系电话"}])"));
    CHECK(fields.at("missing_text") == "走访方式、联系电话");
    CHECK(fields.at("example_field") == "走访方式");
    CHECK(fields.at("has_demands") == false);
    CHECK(decision.audit.at(0).detail.at("missing") == 2);
    CHECK(decision.audit.at(0).detail.at("complete") == false);
}

TEST_CASE("Free text that reads like a visit report is recorded and asked for the rest",
          "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);
    const Decision decision =
        engine.handle(message("昨天下午电话回访了示例科技，王总说今年想融资"), state);
    const auto visits = changes_of<VisitRecordCreated>(decision);
    REQUIRE(visits.size() == 1);
    CHECK(visits[0].record.company_name == "宁夏示例科技有限公司");
    CHECK(visits[0].record.mode == "电话回访");
    CHECK_FALSE(visits[0].record.missing.empty());
    REQUIRE(decision.notices.size() == 1);
    CHECK(decision.notices[0].fields.at("has_missing") == true);
}

TEST_CASE("A message that is neither headed nor reads like a report yields no decision",
          "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);
    const auto [text, why] = GENERATE(table<std::string, std::string>({
        {"", "empty"},
        {"大家好，明天上午开会", "chat"},
        {"企业全称：宁夏示例科技有限公司\n走访方式：实地走访",
         "two labelled fields without a header"},
        {"示例科技明天上午去拜访吗？", "a question about a planned visit"},
        {"今天的走访记录稍后发", "the header word inside a sentence"},
        {"请看【走访记录】", "the header not at the start"},
    }));
    INFO(why);

    CHECK(engine.handle(message(text), state).empty());
}

TEST_CASE("A group event never becomes a visit record, whatever text it carries", "[engine]") {
    const Engine engine = default_engine();
    const auto state = make_state(1, 1);
    const EventType type =
        GENERATE(EventType::member_joined, EventType::member_left, EventType::group_created,
                 EventType::group_renamed, EventType::group_dismissed, EventType::nickname_changed,
                 EventType::owner_changed);
    // Even with report text attached, a group event only touches the group registry.
    InboundEvent event = message(kCompleteReport);
    event.type = type;

    const Decision decision = engine.handle(event, state);
    CHECK(decision.changes.empty());
    for (const auto& notice : decision.notices) {
        CHECK(notice.template_id != "visit_recorded");
    }
}

TEST_CASE("A tick decides nothing about report text it carries", "[engine]") {
    // The text would make a message a visit record: a tick must never be read as one.
    InboundEvent tick = message(kCompleteReport);
    tick.type = EventType::tick;
    tick.source = std::string(ledgerbot::bot::model::kSchedulerSource);
    tick.id = "nickname-evening:2026-07-01";
    // With no groups registered, a convention job has nothing to check either.
    tick.job =
        GENERATE(as<std::string>{}, "nickname-evening", "conventions-check", "no-such-job", "");
    const auto state = make_state(1, 1);

    CHECK(default_engine().handle(tick, state).empty());
}
