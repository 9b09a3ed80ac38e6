#pragma once

#include <vector>

#include "bot/model/directory.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/model/notice.hpp"

namespace ledgerbot::bot {

/// One person, one staff row (import column 微信号). A WeChat bridge on the generic adapter
/// knows people by their WeChat ids; the engine knows staff by their staff id. `event` with
/// every person (sender, members, remover, owner) a staff member's WeChat id names given that
/// staff id, and every member on the generic adapter who is not staff marked external: WeChat
/// cannot tell who works for the centre, and a group with someone unknown in it must never get
/// what is for colleagues only. The sender of a message keeps the adapter's flag, so that an
/// unknown sender is still answered (told how to be added). Events from other sources are
/// returned unchanged.
model::InboundEvent with_staff_ids(model::InboundEvent event, const model::Directory& directory);

/// The reverse for what the engine decided: a notice to a person on the generic adapter, and
/// the member a notice asks the bridge to remove, addressed by the staff member's WeChat id
/// where they have one.
void address_on_platform(std::vector<model::Notice>& notices, const model::Directory& directory);

}  // namespace ledgerbot::bot
