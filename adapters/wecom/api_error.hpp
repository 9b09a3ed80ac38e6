#pragma once

#include <string_view>
#include <system_error>

namespace ledgerbot::adapters::wecom {

/// WeCom errcodes the client treats specially or the fake server answers (global error-code
/// table, developer.work.weixin.qq.com/document/path/90313). The value of an error in
/// api_category() is the errcode itself, so an errcode we have no name for still round-trips.
namespace errcode {
inline constexpr int kSystemBusy = -1;
inline constexpr int kInvalidSecret = 40001;
inline constexpr int kInvalidUserId = 40003;
inline constexpr int kInvalidCorpId = 40013;
inline constexpr int kInvalidAccessToken = 40014;
inline constexpr int kChatIdNotFound = 40050;
inline constexpr int kInvalidAgentId = 40056;
inline constexpr int kInvalidMediaId = 40007;  ///< media/get: unknown or expired (three days)
inline constexpr int kInvalidCode =
    40029;  ///< auth/getuserinfo: a sign-in code unknown, used or expired
inline constexpr int kInvalidParameter = 40058;
inline constexpr int kMissingAccessToken = 41001;
inline constexpr int kAccessTokenExpired = 42001;
inline constexpr int kApiFrequencyLimit = 45009;
inline constexpr int kApiConcurrencyLimit = 45033;
inline constexpr int kApiNotAuthorized = 48002;
inline constexpr int kIpNotAllowed = 60020;
inline constexpr int kAllRecipientsInvalid = 81013;
inline constexpr int kAppChatNotFound = 86003;
inline constexpr int kAppChatMemberCount = 86006;
inline constexpr int kAppChatNotCreatedByApp = 86008;
inline constexpr int kAppChatOwnerNotMember = 86207;
inline constexpr int kAppChatIdExists = 86215;
inline constexpr int kAppChatInvalidMember = 86216;
inline constexpr int kWebhookInvalid = 93000;
inline constexpr int kWebhookDisabled = 93004;
inline constexpr int kWebhookNotInGroup = 93008;
/// Third-party reports only ("send too fast, exceed 20 times per minute"); handled as a rate
/// limit so that, if it exists, the dispatcher backs off instead of giving up.
inline constexpr int kWebhookSendTooFast = 130101;
/// media/get of a file over 20 MB without a Range header.
inline constexpr int kMediaNeedsRange = 830002;
}  // namespace errcode

/// Errors that WeCom reported (errcode != 0). Never derived from errmsg, which WeCom may change.
const std::error_category& api_category();
std::error_code make_api_error(int errcode);
/// A short English description from a fixed table, or "no description". Error messages read
/// "errcode N: description".
std::string_view describe_errcode(int errcode);

/// Failures on our side of a WeCom call that are neither network errors nor WeCom errcodes.
enum class ClientError {
    rate_limited_locally = 1,  ///< the per-robot webhook budget (20/min) is spent
    invalid_response,          ///< not JSON, or JSON without the fields the call promises
    http_status,               ///< WeCom answers 200 even for errors; anything else is a proxy
    content_too_long,          ///< over the byte limit of the message type (or of 20 parts)
    empty_content,
    foreign_url,      ///< a response_url not on the configured API origin
    not_configured,   ///< a call that needs a setting (e.g. agent_id) that is missing
    media_too_large,  ///< a download over the size the caller accepts
};

inline constexpr ClientError kAllClientErrors[] = {
    ClientError::rate_limited_locally, ClientError::invalid_response, ClientError::http_status,
    ClientError::content_too_long,     ClientError::empty_content,    ClientError::foreign_url,
    ClientError::not_configured,       ClientError::media_too_large,
};

const std::error_category& client_category();
std::error_code make_error_code(ClientError e);

/// What a caller decides on, across WeCom errcodes, client errors and network errors:
/// `code == ApiCondition::rate_limited` and so on.
enum class ApiCondition {
    rate_limited = 1,  ///< 45009, 45033, 130101, local webhook budget: back off, do not retry now
    token_rejected,    ///< 40014, 42001, 40001: refresh the access token
    system_busy,       ///< -1: retry with backoff
    retryable,         ///< worth another attempt later: the above but token_rejected, plus
                       ///< network failures, timeouts and non-200 HTTP answers
};

const std::error_category& condition_category();
std::error_condition make_error_condition(ApiCondition c);

}  // namespace ledgerbot::adapters::wecom

template <>
struct std::is_error_code_enum<ledgerbot::adapters::wecom::ClientError> : std::true_type {};
template <>
struct std::is_error_condition_enum<ledgerbot::adapters::wecom::ApiCondition> : std::true_type {};
