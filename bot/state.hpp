#pragma once

#include <cstdint>

#include "bot/directory.hpp"

namespace ledgerbot::bot {

/// The read-only view of current state the engine decides against. Storage implements it inside
/// the processing transaction; unit tests implement it in memory.
class State {
public:
    virtual ~State() = default;

    virtual const Directory& directory() const = 0;
    virtual std::int64_t next_visit_number() const = 0;
    virtual std::int64_t next_demand_number() const = 0;
};

}  // namespace ledgerbot::bot
