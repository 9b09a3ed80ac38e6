#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>
#include "adapters/generic/secret_ring.hpp"
#include "adapters/http/http_client.hpp"
#include "app/clock.hpp"

#include "app/delivery/notice_sender.hpp"
#include "config/settings.hpp"

namespace ledgerbot::app::delivery {

/// The generic channel: POSTs each notice, signed like inbound hooks, to the bridge's
/// outbound_url when one is configured, and appends every delivered notice to the JSONL console
/// sink so a newcomer sees what the bot would have said.
class GenericSender final : public NoticeSender {
public:
    /// Notices are signed with the newest of `secrets` (it changes on a reload).
    GenericSender(boost::asio::any_io_executor executor, config::GenericAdapterSettings settings,
                  std::shared_ptr<const adapters::generic::SecretRing> secrets, const Clock& clock);

    boost::asio::awaitable<SendOutcome> send(std::int64_t notice_id,
                                             const bot::model::Notice& notice,
                                             const RenderedNotice& rendered) override;

private:
    void append_to_console(const nlohmann::json& body);

    boost::asio::any_io_executor executor_;
    config::GenericAdapterSettings settings_;
    std::shared_ptr<const adapters::generic::SecretRing> secrets_;
    const Clock& clock_;
    std::optional<adapters::http_client::Url> outbound_;
    std::ofstream console_;
};

}  // namespace ledgerbot::app::delivery
