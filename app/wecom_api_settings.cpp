#include "app/wecom_api_settings.hpp"

#include <chrono>

namespace ledgerbot::app {

adapters::wecom::ApiClientSettings wecom_api_settings(const config::WecomSettings& wecom) {
    adapters::wecom::ApiClientSettings api;
    api.base_url = wecom.api_base_url;
    api.corp_id = wecom.corp_id;
    api.secret = wecom.secret;
    api.agent_id = wecom.agent_id;
    api.request_timeout = std::chrono::milliseconds(wecom.request_timeout_ms);
    api.keep_alive = std::chrono::seconds(wecom.api_keep_alive_seconds);
    return api;
}

}  // namespace ledgerbot::app
