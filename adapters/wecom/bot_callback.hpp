#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/wecom/callback_event.hpp"

/// The decrypted plaintext of an intelligent-bot (智能机器人) callback (JSON,
/// wecom-protocol.md §5.1) turned into normalized events. Pure: no I/O, no clock.
namespace ledgerbot::adapters::wecom {

inline constexpr std::string_view kBotSource = "wecom-bot";

/// A 1:1 chat with the bot carries no chatid; ledgerbot names it "bot:" + userid (a different
/// conversation from the same person's chat with the app, "app:" + userid).
inline constexpr std::string_view kBotDirectChatPrefix = "bot:";

/// Translates one decrypted bot callback:
///
/// - msgtype text, image, mixed, voice → `message`: id = msgid; chattype group → a group chat
///   with id = chatid, single → the direct chat "bot:<from.userid>"; sender = from.userid;
///   text = text.content (in groups without the leading "@BotName" mention that triggered the
///   callback), or voice.content (WeCom's transcription), or the text items of mixed.msg_item
///   joined by newlines; image = image.url, or the first image item of a mixed message;
///   reply_handle = response_url; time = create_time when present, else `callback_time` (the
///   signed timestamp of the callback's query).
/// - msgtype event (enter_chat, template_card_event, …), stream (a refresh; ledgerbot never
///   answers with a stream) and the kinds ledgerbot does not read (file, video, …) → `Ignored`.
///
/// Refusals: `invalid_json` when the plaintext does not parse; `schema_violation` when it is
/// not an object, or msgid, chattype, from.userid, chatid (groups) or the message's content is
/// missing or of the wrong type.
Translated parse_bot_callback(std::string_view plaintext, std::int64_t callback_time);

/// `text` without a leading "@Name" mention and the white space after it (ASCII white space,
/// U+00A0, U+2005 — what WeCom puts after a mention — and U+3000). The name ends at white space
/// or at "【", so "@Bot【走访记录】…" keeps its header. Text without a leading mention is
/// returned unchanged.
std::string strip_leading_mention(std::string_view text);

}  // namespace ledgerbot::adapters::wecom
