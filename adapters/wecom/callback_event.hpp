#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <boost/outcome.hpp>

#include "adapters/ingest_error.hpp"
#include "bot/model/inbound_event.hpp"

namespace ledgerbot::adapters::wecom {

/// A decrypted, well-formed callback that has no normalized form: an event kind ledgerbot does
/// not use (enter_agent, a stream refresh, change_notice, …) or one it does not know yet. The
/// hook still answers 200 with an empty body, because any other answer makes WeCom deliver the
/// same callback again; it logs `kind` and stores nothing.
struct Ignored {
    std::string kind;  ///< what was dropped, for the log: "event:enter_agent", "msgtype:voice"

    bool operator==(const Ignored&) const = default;
};

/// What a decrypted callback becomes: one normalized event, or an acknowledged no-op.
using CallbackEvent = std::variant<bot::model::InboundEvent, Ignored>;

/// A refusal (`invalid_xml`, `invalid_json`, `invalid_utf8`, `schema_violation`) is answered
/// with 400 and stored nowhere.
using Translated =
    boost::outcome_v2::result<CallbackEvent, Refusal, boost::outcome_v2::policy::terminate>;

/// The event, or an `invalid_utf8` refusal unless every string of it is valid UTF-8. Called on each
/// event an adapter builds: XML character references can spell lone surrogates, and the inbox
/// stores the event as JSON, which must not fail on the store thread.
Translated checked_utf8(bot::model::InboundEvent event);

/// WeCom ids are far shorter; the cap keeps a hostile value out of the inbox's unique key.
inline constexpr std::size_t kMaxIdLength = 256;

/// A `schema_violation` refusal with its detail for the log.
Refusal schema_violation(std::string detail);

/// An ignored kind for the log line; WeCom's names are short, anything longer is cut.
Ignored ignored(std::string_view prefix, std::string_view name);

}  // namespace ledgerbot::adapters::wecom
