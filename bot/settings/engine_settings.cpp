#include "bot/settings/engine_settings.hpp"

#include <algorithm>

namespace ledgerbot::bot::settings {

std::string NoticeRouting::direct_channel_for(const std::string& source) const {
    const auto it = direct_channel.find(source);
    return it == direct_channel.end() ? source : it->second;
}

bool must_be_covered(const model::Company& company, const LedgerSettings& ledger) {
    const auto& statuses = ledger.coverage_listing_statuses;
    return statuses.empty() ||
           std::find(statuses.begin(), statuses.end(), company.listing_status) != statuses.end();
}

}  // namespace ledgerbot::bot::settings
