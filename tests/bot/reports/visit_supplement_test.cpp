#include "bot/reports/visit_supplement.hpp"
#include "bot/reply_routing.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/bot/visit_fixtures.hpp"

namespace {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::text;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::reports;
using namespace ledgerbot::bot::scoring;
using namespace ledgerbot::tests::visits;
using nlohmann::json;

std::optional<std::string> updated_value(const json& fields, const std::string& label) {
    for (const auto& row : fields.at("updated")) {
        if (row.at("label") == label) {
            return row.at("value").get<std::string>();
        }
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("/补充 is understood however the command and the record id are written",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const std::string text =
        GENERATE(as<std::string>{}, "/补充 V12 联系电话：13912345678",
                 "/补充 v12 联系电话：13912345678", "/补充 V-12 联系电话：13912345678",
                 "／补充 V12 联系电话:13912345678", "/补充 Ｖ１２ 联系电话：13912345678",
                 "/补充V12 联系电话：13912345678", "/补充 V12\n联系电话：13912345678",
                 "/补充\nV12\n手机：139 1234 5678", "  /补充　V12　电话：13912345678");
    INFO(text);

    const Decision decision = engine.handle(message(text), state);

    const auto supplements = changes_of<VisitRecordSupplemented>(decision);
    REQUIRE(supplements.size() == 1);
    CHECK(supplements[0].record.number == 12);
    CHECK(supplements[0].supplied ==
          std::map<VisitField, std::string>{{VisitField::phone, "13912345678"}});
    REQUIRE(notices_of(decision, "visit_supplemented").size() == 1);
}

TEST_CASE("Who may supplement a record: reporter, co-visitor, account manager, department head",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const auto [sender, who, allowed] = GENERATE(table<std::string, std::string, bool>({
        {"wangwu", "the reporter", true},
        {"zhaoliu", "a co-visitor named in 走访人员", true},
        {"zhangsan", "the company's account manager", true},
        {"sunqi", "the head of the company's department", true},
        {"wujiu", "the head of another department", false},
        {"lisi", "another company's account manager", false},
        {"zhouba", "compliance", false},
        {"stranger", "someone not in the staff directory", false},
    }));
    INFO(who);

    const Decision decision =
        engine.handle(message("/补充 V12 联系电话：13912345678", sender, ""), state);

    CHECK(changes_of<VisitRecordSupplemented>(decision).size() == (allowed ? 1U : 0U));
    CHECK(notices_of(decision, "visit_supplemented").size() == (allowed ? 1U : 0U));
    const auto refusals = notices_of(decision, "visit_supplement_refused");
    REQUIRE(refusals.size() == (allowed ? 0U : 1U));
    if (!allowed) {
        const json& fields = refusals[0]->fields;
        CHECK(fields.at("not_allowed") == true);
        CHECK(fields.at("record_id") == "V12");
        CHECK(fields.at("reporter_name") == "王五");
        CHECK(fields.at("visitors_text") == "赵六");
        CHECK(fields.at("account_manager_name") == "张三");
        CHECK(fields.at("department_heads_text") == "孙七");
        CHECK_FALSE(fields.contains("evidence"));
        CHECK(decision.changes.empty());
        CHECK(decision.audit.empty());
    }
}

TEST_CASE("A co-visitor is recognised by their directory name, not by a display name",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    // Anyone can call themselves 赵六 on a chat platform; the id decides.
    const Decision decision =
        engine.handle(message("/补充 V12 联系电话：13912345678", "wx-unknown", "赵六"), state);
    CHECK(decision.changes.empty());
    CHECK(notices_of(decision, "visit_supplement_refused").size() == 1);
}

TEST_CASE("A record without a listed company may be supplemented by its reporter and co-visitors",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    ledgerbot::tests::InMemoryState state(ledgerbot::tests::demo_directory(), 13, 1);
    VisitRecord record = record_v12();
    record.company_id.reset();
    record.company_name.clear();
    state.add_visit(record);

    CHECK(changes_of<VisitRecordSupplemented>(
              engine.handle(message("/补充 V12 联系电话：13912345678", "zhaoliu", "赵六"), state))
              .size() == 1);
    const Decision refused =
        engine.handle(message("/补充 V12 联系电话：13912345678", "zhangsan", "张三"), state);
    const auto refusals = notices_of(refused, "visit_supplement_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields.at("has_account_manager") == false);
    CHECK(refusals[0]->fields.at("has_department_heads") == false);
}

TEST_CASE("/补充 of a record that does not exist says so", "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();

    const Decision decision = engine.handle(message("/补充 V99 联系电话：13912345678"), state);

    const auto refusals = notices_of(decision, "visit_supplement_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields.at("unknown_record") == true);
    CHECK(refusals[0]->fields.at("record_id") == "V99");
    CHECK(decision.changes.empty());
}

TEST_CASE("/补充 without a record id or anything readable is answered with an example",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const auto [text, has_record_id, why] = GENERATE(table<std::string, bool, std::string>({
        {"/补充", false, "nothing at all"},
        {"/补充 联系电话：13912345678", false, "no record id"},
        {"/补充 V12 王总说下周再联系", true, "free text without a label"},
        {"/补充 V12 13912345678", true, "a number without its label"},
    }));
    INFO(why);

    const Decision decision = engine.handle(message(text), state);

    const auto refusals = notices_of(decision, "visit_supplement_refused");
    REQUIRE(refusals.size() == 1);
    const json& fields = refusals[0]->fields;
    CHECK(fields.at("usage") == true);
    CHECK(fields.at("command") == "/补充");
    CHECK(fields.at("has_record_id") == has_record_id);
    CHECK(fields.at("record_id") == (has_record_id ? "V12" : ""));
    // The example names what the record lacks.
    CHECK(fields.at("example_field") == "联系电话");
    CHECK(decision.changes.empty());
}

TEST_CASE("A word that only starts with the command word is no supplement",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    // Not a supplement; not ignored either: the nearest command is suggested.
    const Decision unknown = engine.handle(message("/补充说明 联系电话：13912345678"), state);
    CHECK(unknown.changes.empty());
    REQUIRE(unknown.notices.size() == 1);
    CHECK(unknown.notices[0].template_id == "unknown_command");
    CHECK(engine.handle(message("补充 V12 联系电话：13912345678"), state).empty());
}

TEST_CASE("Supplying the missing phone completes the record and says so", "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const auto [kind, shown] = GENERATE(table<ChatKind, std::string>({
        {ChatKind::group, "139****5678"},
        {ChatKind::direct, "13912345678"},
    }));
    InboundEvent event = message("/补充 V12 联系电话：13912345678", "wangwu", "王五", kind);

    const Decision decision = engine.handle(event, state);

    const auto supplements = changes_of<VisitRecordSupplemented>(decision);
    REQUIRE(supplements.size() == 1);
    const VisitRecordSupplemented& change = supplements[0];
    CHECK(change.record.complete());
    CHECK(change.record.values.at(VisitField::phone) == "13912345678");
    CHECK(change.previous == std::map<VisitField, std::string>{{VisitField::phone, ""}});
    CHECK(change.by_id == "wangwu");
    CHECK(change.by_name == "王五");
    CHECK(change.channel == "generic");
    CHECK(change.event_id == event.id);
    CHECK(change.at == event.time);
    // What the supplement does not touch stays as reported.
    CHECK(change.record.reporter_id == "wangwu");
    CHECK(change.record.reported_at == kReportedAt);
    CHECK(change.record.mode == "实地走访");

    const auto answers = notices_of(decision, "visit_supplemented");
    REQUIRE(answers.size() == 1);
    const json& fields = answers[0]->fields;
    CHECK(answers[0]->target == reply_target(event));
    CHECK(fields.at("record_id") == "V12");
    CHECK(fields.at("by") == "王五");
    CHECK(fields.at("has_updated") == true);
    CHECK(updated_value(fields, "联系电话") == shown);
    CHECK(fields.at("complete") == true);
    CHECK(fields.at("has_missing") == false);
    CHECK(fields.at("has_issues") == false);

    REQUIRE(decision.audit.size() == 1);
    CHECK(decision.audit[0].action == "visit.supplemented");
    CHECK(decision.audit[0].subject == "V12");
    CHECK(decision.audit[0].actor == "wangwu");
    CHECK(decision.audit[0].detail.at("fields") == json{{"phone", "13912345678"}});
    CHECK(decision.audit[0].detail.at("complete") == true);
}

TEST_CASE("An invalid phone in a supplement is reported and changes nothing",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();

    const Decision decision = engine.handle(message("/补充 V12 联系电话：1391234"), state);

    CHECK(decision.changes.empty());
    CHECK(decision.audit.empty());
    const auto answers = notices_of(decision, "visit_supplemented");
    REQUIRE(answers.size() == 1);
    const json& fields = answers[0]->fields;
    CHECK(fields.at("has_updated") == false);
    CHECK(fields.at("complete") == false);
    CHECK(fields.at("missing_text") == "联系电话");
    REQUIRE(fields.at("issues").size() == 1);
    CHECK(fields.at("issues")[0].at("phone_invalid") == true);
    CHECK(fields.at("issues")[0].at("label") == "联系电话");
    CHECK(fields.at("issues")[0].at("value") == "1391234");
}

TEST_CASE("Valid fields are kept when another field of the same supplement is invalid",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();

    const Decision decision =
        engine.handle(message("/补充 V12 企业联系人：李总 联系电话：1391234"), state);

    const auto supplements = changes_of<VisitRecordSupplemented>(decision);
    REQUIRE(supplements.size() == 1);
    CHECK(supplements[0].supplied ==
          std::map<VisitField, std::string>{{VisitField::contact, "李总"}});
    CHECK(supplements[0].previous ==
          std::map<VisitField, std::string>{{VisitField::contact, "王总"}});
    CHECK(supplements[0].record.values.at(VisitField::contact) == "李总");
    CHECK_FALSE(supplements[0].record.complete());
    const json& fields = notices_of(decision, "visit_supplemented").at(0)->fields;
    CHECK(fields.at("has_updated") == true);
    CHECK(fields.at("has_issues") == true);
    CHECK(fields.at("has_missing") == true);
    CHECK(fields.at("example_field") == "联系电话");
    CHECK(fields.at("supplement_command") == "/补充");
}

TEST_CASE("A supplemented company, time, mode and visitors replace the reported ones",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    ledgerbot::tests::InMemoryState state(ledgerbot::tests::demo_directory(), 13, 1);
    VisitRecord record = record_v12();
    record.company_id.reset();
    record.company_name.clear();
    record.values.erase(VisitField::company);
    record.missing = {VisitField::company, VisitField::phone};
    state.add_visit(record);
    // Sent 2026-07-02 09:00: 昨天 is 2026-07-01.
    const InboundEvent event = message(
        "/补充 V12\n企业全称：星河新材\n走访时间：昨天 "
        "下午3点\n走访方式：电话\n走访人员：王五、李四",
        "wangwu", "王五", ChatKind::group, kReportedAt + 21 * 3600);

    const Decision decision = engine.handle(event, state);

    const auto supplements = changes_of<VisitRecordSupplemented>(decision);
    REQUIRE(supplements.size() == 1);
    const VisitRecord& after = supplements[0].record;
    CHECK(after.company_id == std::optional<std::int64_t>{2});
    CHECK(after.company_name == "银川星河新材料股份有限公司");
    CHECK(after.visit_time == std::optional<std::int64_t>{kReportedAt + 3 * 3600});
    CHECK(after.values.at(VisitField::visit_time) == "2026-07-01 15:00");
    CHECK(after.mode == "电话回访");
    CHECK(after.visitors == std::vector<std::string>{"王五", "李四"});
    CHECK(after.missing == std::vector<VisitField>{VisitField::phone});
    CHECK(supplements[0].previous.at(VisitField::company) == "");
    CHECK(supplements[0].previous.at(VisitField::mode) == "实地走访");
    CHECK(supplements[0].previous.at(VisitField::visitors) == "王五、赵六");
}

TEST_CASE("Only labelled fields count: free text in a supplement never overwrites a value",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();

    // 电话 would make the mode 电话回访 and 昨天 a time in a report; here they are only feedback.
    const Decision decision =
        engine.handle(message("/补充 V12 客户反馈：昨天电话里说希望下周再约"), state);

    const auto supplements = changes_of<VisitRecordSupplemented>(decision);
    REQUIRE(supplements.size() == 1);
    CHECK(supplements[0].supplied ==
          std::map<VisitField, std::string>{{VisitField::feedback, "昨天电话里说希望下周再约"}});
    CHECK(supplements[0].record.mode == "实地走访");
    CHECK(supplements[0].record.visit_time == record_v12().visit_time);
}

TEST_CASE("Demands stated in a supplement become new ledger rows of the record",
          "[visits][supplement]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();

    const Decision decision = engine.handle(
        message("/补充 V12 服务需求：股权融资；挂牌辅导 联系电话：13912345678"), state);

    const auto demands = changes_of<DemandCreated>(decision);
    REQUIRE(demands.size() == 2);
    CHECK(demands[0].demand.number == 5);
    CHECK(demands[1].demand.number == 6);
    CHECK(demands[0].demand.summary == "股权融资");
    CHECK(demands[1].demand.summary == "挂牌辅导");
    for (const auto& created : demands) {
        CHECK(created.demand.visit_number == 12);
        CHECK(created.demand.company_id == std::optional<std::int64_t>{1});
        CHECK(created.demand.status == "collected");
    }
    // The record's row is updated before the rows that belong to it.
    CHECK(std::holds_alternative<VisitRecordSupplemented>(decision.changes.at(0)));
    const json& fields = notices_of(decision, "visit_supplemented").at(0)->fields;
    CHECK(fields.at("has_demands") == true);
    CHECK(fields.at("demands") == json::parse(R"([{"code":"D5","summary":"股权融资"},
                                                  {"code":"D6","summary":"挂牌辅导"}])"));
    REQUIRE(decision.audit.size() == 3);
    CHECK(decision.audit[1].action == "demand.collected");
    CHECK(decision.audit[1].detail.at("visit") == "V12");
}

TEST_CASE("A report followed by its supplement leaves a complete record", "[visits][supplement]") {
    const Engine engine(default_settings());
    ledgerbot::tests::InMemoryState state(ledgerbot::tests::demo_directory());
    const std::string report =
        "【走访记录】\n企业全称：示例科技\n走访时间：2026-07-01 10:00\n走访方式：实地走访\n"
        "走访人员：王五、赵六\n走访内容：了解企业融资计划\n客户反馈：希望尽快对接\n企业联系人：王"
        "总";

    Decision recorded = engine.handle(message(report, "wangwu", "王五"), state);
    state.apply(recorded);
    const json& first = notices_of(recorded, "visit_recorded").at(0)->fields;
    CHECK(first.at("record_id") == "V1");
    CHECK(first.at("has_missing") == true);
    CHECK(first.at("example_field") == "联系电话");
    CHECK(first.at("supplement_command") == "/补充");

    const Decision supplemented =
        engine.handle(message("/补充 V1 联系电话：13912345678", "zhaoliu", "赵六"), state);
    state.apply(supplemented);

    REQUIRE(state.visit(1).has_value());
    CHECK(state.visit(1)->complete());
    CHECK(state.visit(1)->values.at(VisitField::phone) == "13912345678");
    CHECK(state.supplements().size() == 1);
    CHECK(notices_of(supplemented, "visit_supplemented").at(0)->fields.at("complete") == true);
}
