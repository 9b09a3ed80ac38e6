#include "app/delivery/generic_sender.hpp"

#include <filesystem>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/generic/generic_adapter.hpp"
#include "adapters/http/hmac.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::app::delivery {

GenericSender::GenericSender(boost::asio::any_io_executor executor,
                             config::GenericAdapterSettings settings,
                             std::shared_ptr<const adapters::generic::SecretRing> secrets,
                             const Clock& clock)
    : executor_(std::move(executor)),
      settings_(std::move(settings)),
      secrets_(std::move(secrets)),
      clock_(clock) {
    if (!settings_.outbound_url.empty()) {
        outbound_ = adapters::http_client::parse_url(settings_.outbound_url);
        if (!outbound_) {
            throw std::runtime_error("adapters.generic.outbound_url must be an http:// URL: " +
                                     settings_.outbound_url);
        }
    }
    if (!settings_.console_sink.empty()) {
        const std::filesystem::path path(settings_.console_sink);
        if (path.has_parent_path()) {
            std::filesystem::create_directories(path.parent_path());
        }
        console_.open(path, std::ios::app | std::ios::binary);
        if (!console_) {
            throw std::runtime_error("cannot open console sink " + settings_.console_sink);
        }
    }
}

boost::asio::awaitable<SendOutcome> GenericSender::send(std::int64_t notice_id,
                                                        const bot::model::Notice& notice,
                                                        const RenderedNotice& rendered) {
    nlohmann::json payload = adapters::generic::outbound_body(notice_id, notice, rendered.text);
    if (rendered.attachment) {
        payload["attachments"] = nlohmann::json::array(
            {{{"file_name", rendered.attachment->file_name},
              {"content_type", rendered.attachment->content_type},
              {"content_base64", adapters::base64_encode(rendered.attachment->bytes)}}});
    }
    if (outbound_) {
        const std::string body = payload.dump();
        const std::string timestamp = std::to_string(clock_.now_seconds());
        std::vector<adapters::http_client::Header> headers{
            {std::string(adapters::generic::kTimestampHeader), timestamp},
            {std::string(adapters::generic::kSignatureHeader),
             adapters::generic::sign(secrets_->newest(), timestamp, body)},
            {std::string(adapters::generic::kNoticeIdHeader), std::to_string(notice_id)},
        };
        auto result = co_await adapters::http_client::post(executor_, *outbound_, headers, body,
                                                           std::chrono::seconds(10));
        if (!result) {
            co_return SendOutcome{false, true, "outbound POST failed: " + result.error().message()};
        }
        const unsigned status = result.value().status;
        if (status < 200 || status >= 300) {
            // 408 and 429 say "later"; other client errors will not get better by retrying.
            const bool retryable = status >= 500 || status == 408 || status == 429;
            co_return SendOutcome{false, retryable,
                                  "outbound POST answered HTTP " + std::to_string(status)};
        }
    }
    append_to_console(payload);
    co_return SendOutcome{true, false, {}};
}

void GenericSender::append_to_console(const nlohmann::json& body) {
    if (!console_.is_open()) {
        return;
    }
    nlohmann::json line = body;
    line["at"] = bot::time::format_rfc3339(clock_.now_seconds());
    console_ << line.dump() << '\n';
    console_.flush();
}

}  // namespace ledgerbot::app::delivery
