#pragma once

#include <cstdint>
#include <string>

#include "adapters/wecom/api_client.hpp"
#include "bot/model/inbound_event.hpp"

namespace ledgerbot::adapters::wecom {

/// The prefix of every snapshot id: "sync:<chat_id>:<content hash>".
inline constexpr std::string_view kSnapshotIdPrefix = "sync:";

/// A customer group as externalcontact/groupchat/get answered it (need_name=1), as a normalized
/// `group_snapshot` event: source "wecom-app", `time` = `now_seconds` (when it was read; WeCom
/// says nothing about when the state began), chat {chat_id, name, group, owner, create_time},
/// members = the complete member list as Person{userid, name, group_nickname, type == 2 →
/// external, join_time}, `by_self` false (WeCom reports self-leaves itself, with QuitScene).
///
/// The id is "sync:<chat_id>:<hex SHA-256 of the group's content>" — name, owner and the members
/// (id, nickname, name, external, join time) sorted by id, nothing else — so reading an
/// unchanged group again yields the same inbox dedup key and is stored once, while any change
/// (even a member leaving and rejoining between two reads) yields a new event. Pure: no I/O.
bot::model::InboundEvent group_snapshot_event(const GroupChat& chat, std::int64_t now_seconds);

}  // namespace ledgerbot::adapters::wecom
