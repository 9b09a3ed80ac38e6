#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/report_settings.hpp"

namespace ledgerbot::bot {

/// A visit record (走访记录) as stored in the ledger. `number` n is shown as V-n.
struct VisitRecord {
    std::int64_t number = 0;
    std::optional<std::int64_t> company_id;
    std::string company_name;
    std::optional<std::int64_t> visit_time;
    std::string mode;
    std::vector<std::string> visitors;
    std::map<VisitField, std::string> values;
    std::vector<VisitField> missing;
    std::string reporter_id;
    std::string reporter_name;
    std::string channel;
    std::string chat_id;
    std::string source_event_id;
    std::int64_t reported_at = 0;
    std::string raw_text;

    bool complete() const { return missing.empty(); }
};

/// A row of the service-demand ledger (企业服务需求台账, 第七条). `number` n is shown as D-n.
struct Demand {
    std::int64_t number = 0;
    std::int64_t visit_number = 0;
    std::optional<std::int64_t> company_id;
    std::string company_name;
    std::string summary;  ///< 服务需求简述
    std::string status;   ///< collected | planned | contracted | completed | infeasible
    std::int64_t collected_at = 0;
};

/// An image attached to a visit record as evidence (有效证据): a screenshot of an SMS, a WeChat
/// chat or a call log. The platform's reference is kept (url and/or media_id), not the bytes.
struct Evidence {
    std::int64_t visit_number = 0;
    std::string channel;   ///< the adapter the image came through
    std::string event_id;  ///< the image message's event id
    std::string url;
    std::string media_id;
    std::string by_id;    ///< who posted it
    std::int64_t at = 0;  ///< when it was posted (unix seconds)
};

std::string visit_code(std::int64_t number);
std::string demand_code(std::int64_t number);

}  // namespace ledgerbot::bot
