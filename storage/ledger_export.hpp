#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// One row of the service-demand ledger (企业服务需求台账) with the columns of 第七条, as
/// values: the app turns them into a file. Contact details are unmasked: the export is for staff.
struct LedgerRow {
    std::int64_t demand_number = 0;
    std::int64_t visit_number = 0;
    std::string company_name;     ///< 企业全称
    std::string business_status;  ///< 经营情况
    std::string industry;         ///< 所属行业 (the report's, else the qualified list's)
    std::string demand;           ///< 服务需求简述
    std::string matchable;        ///< 可对接服务分析
    std::string status;           ///< demand status code: collected | planned | …
    std::optional<std::int64_t> visit_time;  ///< 对接时间 (the visit's time)
    std::string reporter;                    ///< who collected it
    std::string contact;                     ///< 企业联系人及联系电话
    std::string owner_name;                  ///< 对接负责人
    bool contract_signed = false;            ///< 是否签订服务合同
    int completion_percent = 0;
    std::int64_t revenue_yuan = 0;
    struct FollowUp {
        std::int64_t at = 0;
        std::string actor;  ///< the staff member's name where known
        std::string text;
    };
    std::vector<FollowUp> follow_ups;  ///< 跟进情况记录, oldest first
};

/// Every demand with what its visit and company say, oldest first.
result<std::vector<LedgerRow>> read_ledger(SQLite::Database& db);

}  // namespace ledgerbot::storage
