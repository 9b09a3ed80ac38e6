// Engine::read_ahead: a report read ahead, on another thread, must decide exactly what reading
// it where it is handled decides. Checked over the whole report corpus, as group and direct
// messages, with and without the report header.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bot/engine.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/in_memory_state.hpp"
#include "tests/bot/visit_report_fixtures.hpp"
#include "tests/support/report_corpus.hpp"

namespace {

using ledgerbot::bot::Decision;
using ledgerbot::bot::DemandCreated;
using ledgerbot::bot::Engine;
using ledgerbot::bot::VisitRecordCreated;
using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;
namespace corpus = ledgerbot::testing::report_corpus;

Engine default_engine() {
    return Engine(ledgerbot::config::load_default_settings([](std::string_view) {
                      return std::optional<std::string>{};
                  }).engine);
}

/// What a decision would write and say, in a form Catch can compare and print.
std::vector<std::string> described(const Decision& decision) {
    std::vector<std::string> out;
    for (const auto& change : decision.changes) {
        std::string line = "change " + std::to_string(change.index());
        if (const auto* created = std::get_if<VisitRecordCreated>(&change)) {
            const auto& r = created->record;
            line += " V" + std::to_string(r.number) + " " + r.company_name + " " +
                    std::to_string(r.visit_time.value_or(-1)) + " " + r.mode + " " +
                    std::to_string(r.values.size()) + " values " +
                    std::to_string(r.missing.size()) + " missing";
            for (const auto& [field, value] : r.values) {
                line += " | " + value;
            }
        } else if (const auto* demand = std::get_if<DemandCreated>(&change)) {
            line += " D" + std::to_string(demand->demand.number) + " " + demand->demand.summary;
        }
        out.push_back(line);
    }
    for (const auto& notice : decision.notices) {
        out.push_back("notice " + notice.template_id + " " + notice.target.id + " " +
                      notice.fields.dump());
    }
    for (const auto& entry : decision.audit) {
        out.push_back("audit " + entry.actor + " " + entry.action + " " + entry.subject + " " +
                      entry.detail.dump());
    }
    return out;
}

/// The record fields in full (described() shows them as text).
std::optional<ledgerbot::bot::model::VisitRecord> record_of(const Decision& decision) {
    for (const auto& change : decision.changes) {
        if (const auto* created = std::get_if<VisitRecordCreated>(&change)) {
            return created->record;
        }
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE(
    "A report read ahead decides what reading it in the handler decides, for every corpus "
    "message",
    "[engine][read_ahead]") {
    const Engine engine = default_engine();
    const auto fixtures = ledgerbot::testing::visit_report_fixtures();
    const auto directory = corpus::directory(fixtures);
    const ledgerbot::tests::InMemoryState state(directory, 7, 11);
    int reports = 0;
    int read = 0;
    for (const auto& c : corpus::load(fixtures)) {
        const auto time = ledgerbot::bot::time::parse_rfc3339(c.expect.at("message_time"));
        REQUIRE(time);
        std::string sender_id = directory.staff().front().id;
        if (const auto named = c.expect.find("sender"); named != c.expect.end()) {
            for (const auto& member : directory.staff()) {
                if (member.name == named->second) {
                    sender_id = member.id;
                }
            }
        }
        for (const ChatKind kind : {ChatKind::group, ChatKind::direct}) {
            for (const std::string& header : {std::string{}, std::string("【走访记录】\n")}) {
                InboundEvent event;
                event.id = c.name;
                event.source = "generic";
                event.type = EventType::message;
                event.time = *time;
                event.chat.id = kind == ChatKind::group ? "group-1" : sender_id;
                event.chat.kind = kind;
                event.sender.id = sender_id;
                event.text = header + c.text;
                INFO(c.name << (kind == ChatKind::group ? " in a group" : " direct")
                            << (header.empty() ? "" : " with the header"));
                const auto reading = engine.read_ahead(event, state.directory());
                read += reading ? 1 : 0;
                const Decision handled = engine.handle(event, state);
                const Decision with_reading = engine.handle(event, state, reading);
                CHECK(described(with_reading) == described(handled));
                CHECK(record_of(with_reading) == record_of(handled));
                reports += record_of(handled) ? 1 : 0;
            }
        }
    }
    // Not vacuous: most corpus messages are reports, and most were read ahead.
    CHECK(reports >= 500);
    CHECK(read >= reports);
}

TEST_CASE("The handler uses the reading it is given instead of reading the message again",
          "[engine][read_ahead]") {
    const Engine engine = default_engine();
    const auto fixtures = ledgerbot::testing::visit_report_fixtures();
    const auto directory = corpus::directory(fixtures);
    const ledgerbot::tests::InMemoryState state(directory, 1, 1);
    const auto company = [&](const std::string& name) {
        InboundEvent event;
        event.id = name;
        event.source = "generic";
        event.type = EventType::message;
        event.time = 1782878400;  // 2026-07-01 12:00 Shanghai
        event.chat.id = "group-1";
        event.chat.kind = ChatKind::group;
        event.sender.id = directory.staff().front().id;
        event.text = "【走访记录】\n企业全称：" + name +
                     "\n走访时间：2026-07-01 10:00\n走访方式：实地走访\n走访内容：了解融资计划";
        return event;
    };
    const std::string first = directory.companies().at(0).full_name;
    const std::string second = directory.companies().at(1).full_name;
    // A reading of another message stands for a reading that differs: it must be what is used.
    const Decision decision =
        engine.handle(company(first), state, engine.read_ahead(company(second), directory));
    const auto record = record_of(decision);
    REQUIRE(record);
    CHECK(record->company_name == second);
    // Without a reading, the message itself is read.
    const auto own = record_of(engine.handle(company(first), state));
    REQUIRE(own);
    CHECK(own->company_name == first);
}
