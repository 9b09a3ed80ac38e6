#include "app/logging/log_lines.hpp"

#include <chrono>
#include <stdexcept>

#include <spdlog/sinks/stdout_sinks.h>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::app::logging {
namespace {

thread_local const nlohmann::ordered_json* current_fields = nullptr;

// 2026-12-06T09:15:02.318+08:00
std::string shanghai_time(spdlog::log_clock::time_point at) {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    std::string out = bot::time::format_rfc3339(millis / 1000);
    const std::string fraction = std::to_string(1000 + millis % 1000).substr(1);
    out.insert(19, "." + fraction);  // after YYYY-MM-DDTHH:MM:SS
    return out;
}

// A value as text: strings bare unless they hold a space, a quote or an equals sign.
std::string text_value(const nlohmann::json& value) {
    if (!value.is_string()) {
        return value.dump();
    }
    const auto& s = value.get_ref<const std::string&>();
    if (s.empty() || s.find_first_of(" \"=\t\n") != std::string::npos) {
        return value.dump();
    }
    return s;
}

}  // namespace

LineFormat line_format(std::string_view name) {
    if (name == "text") {
        return LineFormat::text;
    }
    if (name == "json") {
        return LineFormat::json;
    }
    throw std::invalid_argument("log format must be text or json");
}

void LineFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    const std::string time = shanghai_time(msg.time);
    const auto level_name = spdlog::level::to_string_view(msg.level);
    const std::string level(level_name.data(), level_name.size());
    const std::string_view message(msg.payload.data(), msg.payload.size());
    std::string line;
    if (format_ == LineFormat::json) {
        nlohmann::ordered_json record{
            {"time", time}, {"level", level}, {"message", std::string(message)}};
        if (current_fields != nullptr && current_fields->is_object()) {
            for (const auto& [key, value] : current_fields->items()) {
                if (!record.contains(key)) {  // time, level and message stay as they are
                    record[key] = value;
                }
            }
        }
        // Replace, not throw, on invalid UTF-8: a log line must never stop the service.
        line = record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    } else {
        line = time + " " + level + " " + std::string(message);
        if (current_fields != nullptr && current_fields->is_object()) {
            for (const auto& [key, value] : current_fields->items()) {
                line += " " + key + "=" + text_value(value);
            }
        }
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
}

std::unique_ptr<spdlog::formatter> LineFormatter::clone() const {
    return std::make_unique<LineFormatter>(format_);
}

void log_fields(spdlog::level::level_enum level, std::string_view message,
                const nlohmann::ordered_json& fields) {
    if (!spdlog::should_log(level)) {
        return;
    }
    current_fields = &fields;
    try {
        spdlog::log(level, "{}", message);
    } catch (...) {
        current_fields = nullptr;
        throw;
    }
    current_fields = nullptr;
}

void configure_logging(const std::string& level, LineFormat format) {
    auto logger = spdlog::stderr_logger_mt("ledgerbot");
    logger->set_formatter(std::make_unique<LineFormatter>(format));
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace ledgerbot::app::logging
