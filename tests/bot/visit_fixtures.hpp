#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/convention_fixtures.hpp"
#include "tests/bot/in_memory_state.hpp"

/// Fixtures for what happens to a visit record after its report: /补充 and evidence images.
namespace ledgerbot::tests::visits {

// 2026-07-01 12:00 in Shanghai: when V12 was reported.
inline constexpr std::int64_t kReportedAt = 1782878400;
inline constexpr std::int64_t kMinute = 60;

inline bot::settings::EngineSettings default_settings() {
    const auto no_environment = [](std::string_view) -> std::optional<std::string> {
        return std::nullopt;
    };
    return config::load_default_settings(no_environment).engine;
}

/// V12: 王五 reported a visit to 宁夏示例科技有限公司 (account manager 张三, department 市场发展部
/// headed by 孙七) with 赵六, in the generic chat "group-1"; the phone is missing.
inline bot::model::VisitRecord record_v12() {
    using bot::model::VisitField;
    bot::model::VisitRecord r;
    r.number = 12;
    r.company_id = 1;
    r.company_name = "宁夏示例科技有限公司";
    r.visit_time = kReportedAt - 2 * 3600;
    r.mode = "实地走访";
    r.visitors = {"王五", "赵六"};
    r.values = {{VisitField::company, "宁夏示例科技有限公司"},
                {VisitField::visit_time, "2026-07-01 10:00"},
                {VisitField::mode, "实地走访"},
                {VisitField::visitors, "王五、赵六"},
                {VisitField::content, "了解企业融资计划"},
                {VisitField::feedback, "希望尽快对接"},
                {VisitField::contact, "王总"}};
    r.missing = {VisitField::phone};
    r.reporter_id = "wangwu";
    r.reporter_name = "王五";
    r.channel = "generic";
    r.chat_id = "group-1";
    r.source_event_id = "report-12";
    r.reported_at = kReportedAt;
    r.raw_text = "【走访记录】…";
    return r;
}

/// The demo directory with V12 stored; the next demand is D5.
inline InMemoryState state_with_v12() {
    InMemoryState state(demo_directory(), 13, 5);
    state.add_visit(record_v12());
    return state;
}

inline bot::model::InboundEvent message(std::string text, std::string sender_id = "wangwu",
                                        std::string sender_name = "王五",
                                        bot::model::ChatKind kind = bot::model::ChatKind::group,
                                        std::int64_t time = kReportedAt + 30 * kMinute) {
    static int counter = 0;
    bot::model::InboundEvent event;
    event.id = "msg-" + std::to_string(++counter);
    event.source = "generic";
    event.type = bot::model::EventType::message;
    event.time = time;
    event.chat = bot::model::Chat{
        kind == bot::model::ChatKind::group ? "group-1" : "dm-" + sender_id, "", kind, "", 0};
    event.sender = bot::model::Person{std::move(sender_id), std::move(sender_name), "", false, 0};
    event.text = std::move(text);
    return event;
}

inline bot::model::InboundEvent image(std::int64_t time, std::string sender_id = "wangwu",
                                      std::string text = "") {
    bot::model::InboundEvent event =
        message(std::move(text), std::move(sender_id), "", bot::model::ChatKind::group, time);
    event.image = bot::model::ImageRef{"https://img.example/" + event.id + ".png", ""};
    return event;
}

template <class Change>
std::vector<Change> changes_of(const bot::Decision& decision) {
    std::vector<Change> out;
    for (const auto& change : decision.changes) {
        if (const auto* typed = std::get_if<Change>(&change)) {
            out.push_back(*typed);
        }
    }
    return out;
}

inline std::vector<const bot::model::Notice*> notices_of(const bot::Decision& decision,
                                                         std::string_view template_id) {
    std::vector<const bot::model::Notice*> out;
    for (const auto& notice : decision.notices) {
        if (notice.template_id == template_id) {
            out.push_back(&notice);
        }
    }
    return out;
}

}  // namespace ledgerbot::tests::visits
