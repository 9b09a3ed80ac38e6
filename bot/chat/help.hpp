#pragma once

#include <string_view>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"
#include "bot/text/chat_command.hpp"

/// The chat interface itself: help for what this person may do, and an answer to every
/// command the bot does not know.
namespace ledgerbot::bot::chat {

/// `/帮助`: the commands the sender's roles may use, one line each with an example, grouped
/// (走访 · 台账 · 群规 · 积分 · 风险); `/帮助 补充`: one command in detail.
Decision show_help(const CommandCall& call);

/// A message that asks for help without a slash: 帮助, ？, help, or an @-mention of the bot
/// followed by one of them.
bool is_bare_help(std::string_view text, const settings::EngineSettings& settings);
Decision answer_bare_help(const model::InboundEvent& message, const State& state,
                          const settings::EngineSettings& settings);

/// `/foo`: 没有这个命令, with the nearest known commands and how to get help.
Decision answer_unknown_command(const model::InboundEvent& message, const text::ChatCommand& typed,
                                const State& state, const settings::EngineSettings& settings);

}  // namespace ledgerbot::bot::chat
