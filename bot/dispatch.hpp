#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bot/handler_call.hpp"

/// The engine's routes: command word → handler, report header → handler, job name → handler.
/// A feature adds a row to the lists in dispatch.cpp, not a method on Engine.
namespace ledgerbot::bot {

struct CommandRow {
    std::vector<std::string> words;  ///< from config, e.g. 确认 for `/确认 R3`
    CommandHandler handler;
    /// Its argument may be glued to the word, not only an id: `/台账星河新材`, `/导出台账`.
    bool glued_text = false;
};

struct HeaderRow {
    std::vector<std::string> headers;  ///< from config, e.g. 简报 for 【简报】
    HeaderHandler handler;
    bool reads_report = false;  ///< its message is a visit report (Engine::read_ahead)
};

struct JobRow {
    std::string_view name;  ///< as in [[schedule.jobs]]
    JobHandler handler;
};

/// Command words to handlers. A word configured for two commands is a configuration error:
/// construction throws std::invalid_argument naming it.
class CommandTable {
public:
    explicit CommandTable(std::vector<CommandRow> rows);

    struct Route {
        CommandHandler handler;
        text::ChatCommand command;  ///< the word as configured, the argument after it
    };
    /// The handler of a typed command. A word typed without the space before a record id
    /// (`/补充V12 …`, `/确认R2`) is routed to the longest configured word it starts with.
    std::optional<Route> route(const text::ChatCommand& typed) const;

private:
    std::vector<CommandRow> rows_;
};

std::vector<CommandRow> command_rows(const settings::EngineSettings& settings);
std::vector<HeaderRow> header_rows(const settings::EngineSettings& settings);
std::span<const JobRow> job_rows();

/// The handler of a scheduled job; nullptr when no feature handles that name.
JobHandler job_handler(std::string_view name);

}  // namespace ledgerbot::bot
