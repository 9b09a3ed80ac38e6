#pragma once

// What every WeCom callback parser result must satisfy, shared by the two callback fuzz targets.

#include <cstdlib>
#include <variant>

#include <nlohmann/json.hpp>

#include "adapters/wecom/callback_event.hpp"

namespace ledgerbot::fuzz {

inline void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

/// A refusal names a reason; an ignored callback names its kind; an event has its source and id
/// and survives the inbox's JSON round trip (dump would throw on invalid UTF-8).
inline void check_translated(const adapters::wecom::Translated& translated) {
    if (!translated) {
        check(!adapters::error_name(translated.error().code).empty());
        check(!translated.error().detail.empty());
        return;
    }
    if (const auto* ignored = std::get_if<adapters::wecom::Ignored>(&translated.value())) {
        check(!ignored->kind.empty());
        return;
    }
    const auto& event = std::get<bot::model::InboundEvent>(translated.value());
    check(!event.id.empty());
    check(!event.source.empty());
    check(!event.chat.id.empty());
    const std::string text = nlohmann::json(event).dump();
    check(nlohmann::json::parse(text).get<bot::model::InboundEvent>() == event);
}

}  // namespace ledgerbot::fuzz
