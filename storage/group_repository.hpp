#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"
#include "bot/model/group_registry.hpp"

namespace ledgerbot::storage {

/// The group registry (第九条): groups, their members and the risk register. Runs inside the
/// caller's transaction; SQLite errors surface as SQLite::Exception to the event processor,
/// which decides whether they are transient.
class GroupRepository {
public:
    explicit GroupRepository(SQLite::Database& db) : db_(db) {}

    void apply(const bot::GroupChange& change);

    std::optional<bot::model::GroupView> find(std::string_view source, std::string_view chat_id);
    /// Groups where GroupRecord::enforced() holds, in a stable order.
    std::vector<bot::model::GroupView> enforced();
    std::int64_t next_risk_number();
    std::optional<bot::model::Risk> risk(std::int64_t number);
    std::vector<bot::model::Risk> unacknowledged_notices();
    std::vector<bot::model::Risk> open_risks();
    /// The whole register, oldest first.
    std::vector<bot::model::Risk> risks();

private:
    void save_group(const bot::model::GroupRecord& group);
    void save_member(const bot::MemberSaved& saved);
    void insert_risk(const bot::model::Risk& risk);
    void close_risk(const bot::RiskClosed& closed);
    std::vector<bot::model::Risk> query_risks(const std::string& where, std::int64_t number = 0);
    std::vector<bot::model::GroupMemberRecord> members_of(const std::string& source,
                                                          const std::string& chat_id);

    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
