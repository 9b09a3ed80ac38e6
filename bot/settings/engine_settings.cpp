#include "bot/settings/engine_settings.hpp"

namespace ledgerbot::bot::settings {

std::string NoticeRouting::direct_channel_for(const std::string& source) const {
    const auto it = direct_channel.find(source);
    return it == direct_channel.end() ? source : it->second;
}

}  // namespace ledgerbot::bot::settings
