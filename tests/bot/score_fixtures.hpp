#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/engine.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/convention_fixtures.hpp"
#include "tests/bot/in_memory_state.hpp"

/// Visits, demands and settings for the scoring tests, over the demo directory: 张三 and 孙七 in
/// 市场发展部, 李四 in 企业服务部, 郑十 the 条线业务总监 of 业务一线, 周八 compliance.
namespace ledgerbot::tests::scores {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::text;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::scoring;

inline std::int64_t at(int year, unsigned month, unsigned day, int hour = 10, int minute = 0) {
    return from_local(std::chrono::year{year} / month / day, hour, minute, 0);
}

inline EngineSettings engine_settings() {
    const auto no_environment = [](std::string_view) -> std::optional<std::string> {
        return std::nullopt;
    };
    EngineSettings out = ledgerbot::config::load_default_settings(no_environment).engine;
    out.scores.lines = {
        ScoreLineSettings{"业务一线", "zhengshi", {"市场发展部", "企业服务部", "投行业务部"}},
        ScoreLineSettings{"业务二线", "", {"存管交易部"}}};
    out.scores.publish_to = {NoticeTarget{"generic", NoticeTarget::Kind::chat, "staff-room", ""}};
    return out;
}

/// A complete record by `reporter` (visitors as typed) of a listed company.
inline VisitRecord visit(std::int64_t number, std::int64_t company_id, std::int64_t time,
                         std::string reporter = "zhangsan",
                         std::vector<std::string> visitors = {"张三"}) {
    VisitRecord record;
    record.number = number;
    record.company_id = company_id;
    record.company_name = company_id == 1 ? "宁夏示例科技有限公司" : "银川星河新材料股份有限公司";
    record.visit_time = time;
    record.mode = "实地走访";
    record.visitors = std::move(visitors);
    record.reporter_id = std::move(reporter);
    record.reporter_name = record.reporter_id;
    record.channel = "generic";
    record.chat_id = "group-1";
    record.source_event_id = "evt-v" + std::to_string(number);
    record.reported_at = time + 3600;
    record.values = {{VisitField::company, record.company_name},
                     {VisitField::visit_time, format_local_minutes(time)},
                     {VisitField::mode, record.mode},
                     {VisitField::visitors, "张三"},
                     {VisitField::content, "了解融资计划"},
                     {VisitField::feedback, "希望对接银行"},
                     {VisitField::contact, "王总"},
                     {VisitField::phone, "13912345678"},
                     {VisitField::demand, "股权融资"}};
    return record;
}

inline Evidence evidence_for(std::int64_t number, std::int64_t time) {
    return Evidence{number,     "generic", "img-" + std::to_string(number), "https://img/x.png", "",
                    "zhangsan", time};
}

/// A demand of `visit_number`, contracted at `contracted_at` (0 = not yet).
inline Demand demand(std::int64_t number, std::int64_t visit_number, std::int64_t contracted_at,
                     int percent = 0, std::int64_t revenue = 0) {
    Demand d;
    d.number = number;
    d.visit_number = visit_number;
    d.company_id = 1;
    d.company_name = "宁夏示例科技有限公司";
    d.summary = "股权融资";
    d.status = contracted_at != 0 ? "contracted" : "collected";
    d.contracted_at = contracted_at;
    d.completion_percent = percent;
    d.revenue_yuan = revenue;
    return d;
}

inline const ScoreRow* row_of(const std::vector<ScoreRow>& rows, std::int64_t visit,
                              const std::string& staff) {
    for (const auto& row : rows) {
        if (row.visit_number == visit && row.staff_id == staff) {
            return &row;
        }
    }
    return nullptr;
}

}  // namespace ledgerbot::tests::scores
