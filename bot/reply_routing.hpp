#pragma once

#include <cstdint>
#include <optional>

#include "bot/model/inbound_event.hpp"
#include "bot/model/notice.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

/// Where an answer to `event` goes: the same chat, or the sender in a direct chat.
model::NoticeTarget reply_target(const model::InboundEvent& event);

/// Where an answer carrying a company's data goes (第十一条): the same chat, unless that chat is
/// the project group of another company, where it goes to the sender directly instead.
model::NoticeTarget confidential_reply_target(const model::InboundEvent& event,
                                              const std::optional<std::int64_t>& company_id,
                                              const State& state,
                                              const settings::NoticeRouting& routing);

/// Where an answer for the centre's staff only goes (the risk register): as
/// confidential_reply_target, and directly to the sender whenever the chat has a member from
/// outside the centre.
model::NoticeTarget internal_reply_target(const model::InboundEvent& event,
                                          const std::optional<std::int64_t>& company_id,
                                          const State& state,
                                          const settings::NoticeRouting& routing);

}  // namespace ledgerbot::bot
