#pragma once

#include <string_view>

#include "adapters/wecom/callback_event.hpp"

/// The decrypted plaintext of a self-built app's callback (XML, wecom-protocol.md §1.3, §4.1)
/// turned into normalized events. Pure: no I/O, no clock.
namespace ledgerbot::adapters::wecom {

inline constexpr std::string_view kAppSource = "wecom-app";

/// A staff member's 1:1 chat with the app has no chat id in WeCom; ledgerbot names it
/// "app:" + userid. WeCom's own chat ids ("wr…" customer groups, appchat ids of [0-9a-zA-Z])
/// never contain ':', so such an id cannot collide with a group's.
inline constexpr std::string_view kAppDirectChatPrefix = "app:";

/// Translates one decrypted app callback:
///
/// - MsgType text / image (a staff member writing to the app) → `message` in the direct chat
///   "app:<FromUserName>", id = MsgId, time = CreateTime, text = Content, image = PicUrl and
///   MediaId.
/// - Event change_external_chat (customer groups) → group events, chat id = ChatId, no sender
///   (WeCom's FromUserName is "sys"), chat name left empty:
///   create → group_created; dismiss → group_dismissed;
///   update/add_member → member_joined (members from MemChangeList, JoinScene 0 → "invited",
///   3 → "qr_code", else "other:<n>" in `join_scene`);
///   update/del_member → member_left, `by_self` only when QuitScene is 0 (1 = removed by the
///   owner or an admin; absent = unknown, which must not look like a violation);
///   update/change_name → group_renamed without the new name: the event does not carry it, so
///   the engine's re-sync reads it with externalcontact/groupchat/get;
///   update/change_owner → owner_changed (the new owner also comes from groupchat/get).
///   Members are ids only: whether one is external, and their names, come from the re-sync too.
///   The id is "ChatId/CreateTime/ChangeType[/UpdateDetail[/members[/CurMemVer]]]" with the
///   member ids sorted and comma-joined (a SHA-256 prefix once that is longer than 64 bytes), so
///   WeCom's redeliveries of one change share it and two changes in the same second do not.
/// - Anything else that is well formed (other MsgTypes, other events such as enter_agent,
///   update/change_notice, unknown ChangeType or UpdateDetail) → `Ignored`.
///
/// Refusals: `invalid_xml` when the plaintext does not parse, `schema_violation` when a field
/// the event needs is missing or malformed (no <xml> root, MsgType, CreateTime, FromUserName,
/// MsgId, Content, ChatId or ChangeType), `invalid_utf8` when a value is not UTF-8.
Translated parse_app_callback(std::string_view plaintext);

}  // namespace ledgerbot::adapters::wecom
