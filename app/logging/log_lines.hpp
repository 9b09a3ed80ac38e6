#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace ledgerbot::app::logging {

/// How a log line is written ([log] format).
enum class LineFormat { text, json };

/// Parses "text" or "json"; anything else is a config error caught at load time.
LineFormat line_format(std::string_view name);

/// One line per record, the time in Asia/Shanghai with its offset whatever the machine's time
/// zone (operators read the times against what staff saw in chat):
///   text: `2026-12-06T09:15:02.318+08:00 info event processed event=generic:e1 outcome=done`
///   json: `{"time":"2026-12-06T09:15:02.318+08:00","level":"info","message":"event processed",
///          "event":"generic:e1","outcome":"done"}`
/// The fields are those passed to `log_fields` on the same thread; other lines have none.
class LineFormatter : public spdlog::formatter {
public:
    explicit LineFormatter(LineFormat format) : format_(format) {}
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;

private:
    LineFormat format_;
};

/// Logs `message` with structured fields (an object of strings, numbers and booleans). The
/// default logger is synchronous, so the formatter runs on this thread and sees the fields.
void log_fields(spdlog::level::level_enum level, std::string_view message,
                const nlohmann::ordered_json& fields);

/// The process's logger: stderr (journald keeps it under systemd), the level and format of
/// [log].
void configure_logging(const std::string& level, LineFormat format);

}  // namespace ledgerbot::app::logging
