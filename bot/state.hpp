#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/directory.hpp"
#include "bot/group_registry.hpp"
#include "bot/ledger_types.hpp"

namespace ledgerbot::bot {

/// The read-only view of current state the engine decides against. Storage implements it inside
/// the processing transaction; unit tests implement it in memory.
class State {
public:
    virtual ~State() = default;

    virtual const Directory& directory() const = 0;
    virtual std::int64_t next_visit_number() const = 0;
    virtual std::int64_t next_demand_number() const = 0;
    virtual std::int64_t next_risk_number() const = 0;

    /// A stored visit record, or nullopt when there is none with this number.
    virtual std::optional<VisitRecord> visit(std::int64_t number) const = 0;
    /// The latest (highest-numbered) record `reporter_id` reported in that chat, if any.
    virtual std::optional<VisitRecord> latest_visit_by(const std::string& reporter_id,
                                                       const std::string& channel,
                                                       const std::string& chat_id) const = 0;
    /// How many evidence items are attached to the record.
    virtual std::int64_t evidence_count(std::int64_t visit_number) const = 0;

    /// A registered group with all its members, or nullopt when the bot has not seen it.
    virtual std::optional<GroupView> group(std::string_view source,
                                           std::string_view chat_id) const = 0;
    /// Every group 第九条 is enforced on (GroupRecord::enforced), for the scheduled checks.
    virtual std::vector<GroupView> enforced_groups() const = 0;
};

}  // namespace ledgerbot::bot
