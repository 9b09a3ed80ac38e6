#include "adapters/wecom/api_error.hpp"

#include <string>

namespace ledgerbot::adapters::wecom {
namespace {

class ApiCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "wecom.api"; }
    std::string message(int value) const override {
        return "errcode " + std::to_string(value) + ": " + std::string(describe_errcode(value));
    }
};

class ClientCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "wecom.client"; }

    std::string message(int value) const override {
        switch (static_cast<ClientError>(value)) {
            case ClientError::rate_limited_locally:
                return "webhook robot budget of messages per minute is spent";
            case ClientError::invalid_response:
                return "WeCom answered something that is not the expected JSON";
            case ClientError::http_status:
                return "WeCom API answered with an HTTP status other than 200";
            case ClientError::content_too_long:
                return "message content is over the byte limit of its type";
            case ClientError::empty_content:
                return "message content is empty";
            case ClientError::foreign_url:
                return "URL is not on the configured WeCom API origin";
            case ClientError::not_configured:
                return "a setting this call needs is missing";
            case ClientError::media_too_large:
                return "the media file is larger than the caller accepts";
        }
        return "unknown WeCom client error";
    }
};

bool is_rate_limit(int errcode) {
    return errcode == errcode::kApiFrequencyLimit || errcode == errcode::kApiConcurrencyLimit ||
           errcode == errcode::kWebhookSendTooFast;
}

bool is_token_rejection(int errcode) {
    return errcode == errcode::kInvalidAccessToken || errcode == errcode::kAccessTokenExpired ||
           errcode == errcode::kInvalidSecret;
}

class ConditionCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "wecom.condition"; }

    std::string message(int value) const override {
        switch (static_cast<ApiCondition>(value)) {
            case ApiCondition::rate_limited:
                return "WeCom rate limit: back off";
            case ApiCondition::token_rejected:
                return "WeCom rejected the access token";
            case ApiCondition::system_busy:
                return "WeCom system busy";
            case ApiCondition::retryable:
                return "worth retrying later";
        }
        return "unknown WeCom condition";
    }

    bool equivalent(const std::error_code& code, int condition) const noexcept override {
        const bool api = code.category() == api_category();
        const bool client = code.category() == client_category();
        switch (static_cast<ApiCondition>(condition)) {
            case ApiCondition::rate_limited:
                return (api && is_rate_limit(code.value())) ||
                       (client &&
                        code.value() == static_cast<int>(ClientError::rate_limited_locally));
            case ApiCondition::token_rejected:
                return api && is_token_rejection(code.value());
            case ApiCondition::system_busy:
                return api && code.value() == errcode::kSystemBusy;
            case ApiCondition::retryable:
                if (api) {
                    return code.value() == errcode::kSystemBusy || is_rate_limit(code.value());
                }
                if (client) {
                    return code.value() == static_cast<int>(ClientError::rate_limited_locally) ||
                           code.value() == static_cast<int>(ClientError::http_status);
                }
                // Any other category is the network: refused, reset, timed out, TLS.
                return static_cast<bool>(code);
        }
        return false;
    }
};

}  // namespace

const std::error_category& api_category() {
    static const ApiCategory kCategory;
    return kCategory;
}

std::error_code make_api_error(int errcode) {
    return {errcode, api_category()};
}

std::string_view describe_errcode(int errcode) {
    switch (errcode) {
        case errcode::kSystemBusy:
            return "system busy";
        case errcode::kInvalidSecret:
            return "invalid secret (or app disabled)";
        case errcode::kInvalidUserId:
            return "invalid userid";
        case errcode::kInvalidCorpId:
            return "invalid corpid";
        case errcode::kInvalidAccessToken:
            return "invalid access_token";
        case errcode::kChatIdNotFound:
            return "chat_id does not exist";
        case errcode::kInvalidAgentId:
            return "invalid agentid";
        case errcode::kInvalidParameter:
            return "invalid parameter (e.g. content too long)";
        case errcode::kMissingAccessToken:
            return "access_token missing";
        case errcode::kAccessTokenExpired:
            return "access_token expired";
        case errcode::kApiFrequencyLimit:
            return "API frequency limit";
        case errcode::kApiConcurrencyLimit:
            return "API concurrency limit";
        case errcode::kApiNotAuthorized:
            return "API not authorized for this app";
        case errcode::kIpNotAllowed:
            return "caller IP not in the app's trusted IP list";
        case errcode::kAllRecipientsInvalid:
            return "all recipients invalid or out of scope";
        case errcode::kAppChatNotFound:
            return "app chat does not exist";
        case errcode::kInvalidMediaId:
            return "invalid media_id (unknown, or expired after three days)";
        case errcode::kMediaNeedsRange:
            return "media over 20 MB must be downloaded in Range chunks";
        case errcode::kAppChatMemberCount:
            return "app chat has too many or too few members";
        case errcode::kAppChatNotCreatedByApp:
            return "app chat was not created by this app";
        case errcode::kAppChatOwnerNotMember:
            return "app chat owner is not in the member list";
        case errcode::kAppChatIdExists:
            return "app chat id already exists";
        case errcode::kAppChatInvalidMember:
            return "app chat member id invalid";
        case errcode::kWebhookInvalid:
            return "webhook invalid or robot removed from the group";
        case errcode::kWebhookDisabled:
            return "webhook robot disabled";
        case errcode::kWebhookNotInGroup:
            return "webhook robot not in the group";
        case errcode::kWebhookSendTooFast:
            return "webhook robot sends too fast";
        default:
            return "no description";
    }
}

const std::error_category& client_category() {
    static const ClientCategory kCategory;
    return kCategory;
}

std::error_code make_error_code(ClientError e) {
    return {static_cast<int>(e), client_category()};
}

const std::error_category& condition_category() {
    static const ConditionCategory kCategory;
    return kCategory;
}

std::error_condition make_error_condition(ApiCondition c) {
    return {static_cast<int>(c), condition_category()};
}

}  // namespace ledgerbot::adapters::wecom
