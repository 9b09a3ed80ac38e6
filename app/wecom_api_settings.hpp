#pragma once

#include "adapters/wecom/api_client.hpp"
#include "config/settings.hpp"

namespace ledgerbot::app {

/// The API client's settings from [adapters.wecom]: what the service and `ledgerbot doctor`
/// connect with.
adapters::wecom::ApiClientSettings wecom_api_settings(const config::WecomSettings& wecom);

}  // namespace ledgerbot::app
