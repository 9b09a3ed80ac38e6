#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/model/visit_field.hpp"

namespace ledgerbot::bot::model {

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
    bool operator==(const VisitRecord&) const = default;
};

/// A row of the service-demand ledger (企业服务需求台账, 第七条). `number` n is shown as D-n.
struct Demand {
    std::int64_t number = 0;
    std::int64_t visit_number =
        0;  ///< 0: not from a visit (/签约 <企业> for a company served before)
    std::optional<std::int64_t> company_id;
    std::string company_name;
    std::string summary;  ///< 服务需求简述
    /// collected | planned | contracted | completed | infeasible | withdrawn (its author took
    /// back a demand read wrongly from the text, `/需求 D3 删除`: kept, listed nowhere)
    std::string status;
    std::int64_t collected_at = 0;
    std::string channel;  ///< the adapter its visit report came through (reaches its people)
    /// 第八条: the plan and its owner are due by the end of the 3rd working day after collection.
    std::int64_t plan_deadline = 0;

    std::string plan;      ///< 服务方案
    std::string owner_id;  ///< 对接负责人 (staff id)
    std::string owner_name;
    std::int64_t planned_at = 0;
    std::int64_t contracted_at = 0;   ///< 是否签订服务合同: signed when set
    int completion_percent = 0;       ///< 服务完结情况: the agreement's completion ratio
    std::int64_t revenue_yuan = 0;    ///< revenue under the agreement so far
    std::string referral_department;  ///< referred to another department (转介)
    std::string referred_by;
    std::int64_t referral_landed_at = 0;
    std::int64_t closed_at = 0;  ///< completed or found infeasible
    std::string infeasible_reason;
    std::int64_t sla_reminded_at = 0;
    std::int64_t sla_escalated_at = 0;
    /// When the completion ratio last changed (创收 is dated then); 0 = never.
    std::int64_t progress_at = 0;

    bool open() const {
        return status != "completed" && status != "infeasible" && status != "withdrawn";
    }
    bool operator==(const Demand&) const = default;
};

/// One line of a demand's follow-up history (跟进情况记录).
struct DemandHistoryEntry {
    std::int64_t demand_number = 0;
    std::int64_t at = 0;
    std::string actor;
    std::string action;  ///< planned | contracted | progress | referred | referral_landed | …
    std::string text;    ///< what was said, for the ledger's 跟进情况记录 column

    bool operator==(const DemandHistoryEntry&) const = default;
};

/// A briefing (简报, 第九条（五）): progress reached offline, announced in the group. B-n.
struct Briefing {
    std::int64_t number = 0;
    std::optional<std::int64_t> company_id;
    std::string company_name;
    std::string source;
    std::string chat_id;
    std::string sender_id;
    std::string sender_name;
    std::int64_t time = 0;
    std::map<std::string, std::string> fields;  ///< form, time, participants, invitation, …
    std::string raw_text;
    std::string source_event_id;

    bool operator==(const Briefing&) const = default;
};

std::string briefing_code(std::int64_t number);

/// An image attached to a visit record as evidence (有效证据): a screenshot of an SMS, a WeChat
/// chat or a call log. The platform's reference is kept (url and/or media_id), not the bytes.
struct Evidence {
    std::int64_t visit_number = 0;
    std::string channel;   ///< the adapter the image came through
    std::string event_id;  ///< the image message's event id
    std::string url;
    std::string media_id;
    std::string by_id;        ///< who posted it
    std::int64_t at = 0;      ///< when it was posted (unix seconds)
    std::string upload_id{};  ///< bytes a bridge uploaded (sha256), already in the store
    std::string chat_id{};    ///< where it was posted
    bool direct = false;      ///< in a direct chat
};

/// `/补充 V12` with nothing else: its author will post V12's evidence next.
struct EvidenceWait {
    std::int64_t visit_number = 0;
    std::string by_id;
    std::string channel;
    std::string chat_id;
    std::int64_t at = 0;

    bool operator==(const EvidenceWait&) const = default;
};

std::string visit_code(std::int64_t number);
std::string demand_code(std::int64_t number);

}  // namespace ledgerbot::bot::model
