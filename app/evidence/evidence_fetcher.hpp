#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>

#include "adapters/wecom/api_client.hpp"
#include "adapters/wecom/callback_crypto.hpp"
#include "app/clock.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"
#include "config/settings.hpp"
#include "storage/evidence_repository.hpp"
#include "storage/evidence_store.hpp"

namespace ledgerbot::app::evidence {

/// What one download attempt got: the bytes, or why not and whether trying again may help.
struct Download {
    std::optional<std::string> bytes;
    bool permanent = false;
    std::string reason;  ///< expired | not_image | too_large | unreachable
    std::string error;   ///< in words, for the log and the audit trail
};

/// Fetches evidence images' bytes after they are attached, never inside a callback: each
/// pending evidence row is a job (created in the transaction that attached it). Sources: WeCom
/// media/get for a media id (Range chunks over 20 MB), the intelligent bot's encrypted image
/// URL (decrypted with the bot's EncodingAESKey), any other URL, and bytes a bridge already
/// uploaded. A failure that may pass is retried, backing off, until shortly before the
/// reference expires; then, or at once for a permanent failure, the image is given up. Either
/// result goes to the engine as an evidence_fetched event through the inbox, which records it,
/// audits the file's sha256, and tells the author when an image is lost.
class EvidenceFetcher {
public:
    EvidenceFetcher(boost::asio::io_context& io, StoreWorker& store, Metrics& metrics,
                    const Clock& clock, const storage::EvidenceStore& evidence,
                    config::EvidenceSettings settings,
                    std::shared_ptr<adapters::wecom::ApiClient> wecom,
                    std::optional<adapters::wecom::CallbackCrypto> bot_crypto);

    void start();
    /// Lets the download in flight finish, then ends the loop.
    void stop();
    bool stopped() const { return stopped_; }
    /// Looks for due jobs now rather than at the next poll (thread-safe).
    void wake();

private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> fetch(const storage::EvidenceFetchJob& job);
    boost::asio::awaitable<Download> download(const storage::EvidenceFetchJob& job);
    boost::asio::awaitable<Download> download_url(const std::string& url, bool encrypted);
    boost::asio::awaitable<void> report(const storage::EvidenceFetchJob& job,
                                        bot::model::EvidenceFetch result);
    boost::asio::awaitable<void> refresh_metrics();
    /// How long after posting a reference of this job's kind can still be fetched.
    std::int64_t lifetime_seconds(const storage::EvidenceFetchJob& job) const;

    boost::asio::io_context& io_;
    StoreWorker& store_;
    Metrics& metrics_;
    const Clock& clock_;
    const storage::EvidenceStore& evidence_;
    config::EvidenceSettings settings_;
    std::shared_ptr<adapters::wecom::ApiClient> wecom_;
    std::optional<adapters::wecom::CallbackCrypto> bot_crypto_;
    boost::asio::steady_timer timer_;
    bool stopping_ = false;
    bool stopped_ = true;
    std::int64_t next_metrics_ms_ = 0;
};

}  // namespace ledgerbot::app::evidence
