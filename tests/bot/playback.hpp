#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "bot/engine.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/convention_fixtures.hpp"
#include "tests/bot/in_memory_state.hpp"

/// Event builders and a playback of events through the engine over the demo directory, for the
/// tests of group conventions and risk notices.
namespace ledgerbot::tests::playback {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::text;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::scoring;

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::text;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::scoring;

constexpr std::int64_t kHour = 3600;
// 2026-07-01 10:00 in Shanghai.
constexpr std::int64_t kStart = 1782871200;
/// A complete report on 示例科技, visited 2026-07-01 10:00, with two demands: D1 股权融资 and
/// D2 挂牌辅导.
inline const std::string kDemandReport =
    "【走访记录】\n企业名称：示例科技\n走访时间：2026-07-01 10:00\n走访方式：实地走访\n"
    "走访人员：张三\n走访内容：了解融资计划\n客户反馈：希望对接银行\n企业联系人：王总\n"
    "联系电话：13912345678\n服务需求：股权融资；挂牌辅导";
inline const std::string kProjectName = "宁夏示例科技有限公司服务项目专属服务群";

inline EngineSettings default_settings() {
    const auto no_environment = [](std::string_view) -> std::optional<std::string> {
        return std::nullopt;
    };
    return ledgerbot::config::load_default_settings(no_environment).engine;
}

inline Person person(std::string id, std::string name, std::string nickname = "",
                     bool external = false) {
    return Person{std::move(id), std::move(name), std::move(nickname), external, 0};
}

// 张三 (owner, account manager of 示例科技), 王五 (executor title), 孙七 (head of 市场发展部) and
// 周八 (compliance), each with a conforming nickname.
inline std::vector<Person> full_team() {
    return {person("zhangsan", "张三", "张三-项目负责人"),
            person("wangwu", "王五", "王五 项目专员1"), person("sunqi", "孙七", "孙七项目顾问"),
            person("zhouba", "周八", "周八-合规质效督办")};
}

inline InboundEvent group_event(EventType type, std::int64_t time,
                                std::string chat_name = kProjectName,
                                std::string source = "generic") {
    static int counter = 0;  // unique ids across a test binary
    InboundEvent event;
    event.id = "evt-" + std::to_string(++counter);
    event.source = std::move(source);
    event.type = type;
    event.time = time;
    event.chat = Chat{"room-1", std::move(chat_name), ChatKind::group, "", 0};
    return event;
}

inline InboundEvent created(std::vector<Person> members, std::string name = kProjectName,
                            std::string source = "generic") {
    InboundEvent event = group_event(EventType::group_created, kStart, std::move(name), source);
    event.sender = person("zhangsan", "张三", "张三-项目负责人");
    event.members = std::move(members);
    return event;
}

inline InboundEvent tick(std::string job, std::int64_t time) {
    InboundEvent event;
    event.id = job + ":" + std::to_string(time);
    event.source = std::string(kSchedulerSource);
    event.type = EventType::tick;
    event.job = std::move(job);
    event.time = time;
    return event;
}

inline InboundEvent message(std::string text, std::string sender_id, std::string sender_name,
                            ChatKind kind = ChatKind::group) {
    InboundEvent event = group_event(EventType::message, kStart + 2 * kHour);
    event.chat.kind = kind;
    if (kind == ChatKind::direct) {
        event.chat.id = "dm-" + sender_id;
        event.chat.name.clear();
    }
    event.sender = person(std::move(sender_id), std::move(sender_name));
    event.text = std::move(text);
    return event;
}

/// Plays events through the engine, applying each decision to the state like storage does.
class Playback {
public:
    explicit Playback(EngineSettings settings = default_settings())
        : engine_(std::move(settings)), state_(demo_directory()) {}

    Decision play(const InboundEvent& event) {
        Decision decision = engine_.handle(event, state_);
        state_.apply(decision);
        const Decision points = engine_.record_points(event, decision, state_);
        state_.apply(points);
        decision.notices = Engine::tell_points(std::move(decision.notices), points);
        return decision;
    }

    const InMemoryState& state() const { return state_; }
    GroupView group(const std::string& source = "generic") const {
        auto view = state_.group(source, "room-1");
        REQUIRE(view.has_value());
        return *view;
    }
    std::vector<std::pair<std::string, bool>> risks() const {
        std::vector<std::pair<std::string, bool>> out;
        for (const auto& [number, risk] : state_.risks()) {
            out.emplace_back(risk.first.kind, risk.second);
        }
        return out;
    }

private:
    Engine engine_;
    InMemoryState state_;
};

inline std::vector<const Notice*> notices_of(const Decision& decision,
                                             const std::string& template_id) {
    std::vector<const Notice*> out;
    for (const auto& notice : decision.notices) {
        if (notice.template_id == template_id) {
            out.push_back(&notice);
        }
    }
    return out;
}

inline std::vector<std::string> actions(const Decision& decision) {
    std::vector<std::string> out;
    for (const auto& entry : decision.audit) {
        out.push_back(entry.action);
    }
    return out;
}

inline bool has_action(const Decision& decision, const std::string& action) {
    const auto all = actions(decision);
    return std::find(all.begin(), all.end(), action) != all.end();
}

inline const NoticeTarget kComplianceDm{"generic", NoticeTarget::Kind::user, "zhouba", ""};
inline const NoticeTarget kOwnerDm{"generic", NoticeTarget::Kind::user, "zhangsan", ""};

}  // namespace ledgerbot::tests::playback
