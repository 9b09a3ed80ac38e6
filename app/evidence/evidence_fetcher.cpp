#include "app/evidence/evidence_fetcher.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <variant>

#include "adapters/http/http_client.hpp"
#include "adapters/wecom/api_error.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::app::evidence {

namespace asio = boost::asio;
namespace http_client = adapters::http_client;
namespace wecom = adapters::wecom;

namespace {

constexpr int kJobsPerRound = 8;
// While the result waits in the inbox the job is not offered again; after this it would be (an
// inbox event that is never processed), and the inbox's dedup keeps that harmless.
constexpr std::int64_t kHoldSeconds = 3600;

Download failed(bool permanent, std::string reason, std::string error) {
    return Download{std::nullopt, permanent, std::move(reason), std::move(error)};
}

Download from_http(const http_client::HttpResult& answer, const std::string& what) {
    if (answer.status == 200) {
        return Download{answer.body, false, "", ""};
    }
    const std::string error = what + " answered HTTP " + std::to_string(answer.status);
    // Gone or forbidden: a signed link past its lifetime. Other 4xx will not change either.
    if (answer.status == 403 || answer.status == 404 || answer.status == 410) {
        return failed(true, "expired", error);
    }
    if (answer.status >= 400 && answer.status < 500 && answer.status != 408 &&
        answer.status != 429) {
        return failed(true, "unreachable", error);
    }
    return failed(false, "unreachable", error);
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

EvidenceFetcher::EvidenceFetcher(asio::io_context& io, StoreWorker& store, Metrics& metrics,
                                 const Clock& clock, const storage::EvidenceStore& evidence,
                                 config::EvidenceSettings settings,
                                 std::shared_ptr<wecom::ApiClient> wecom,
                                 std::optional<wecom::CallbackCrypto> bot_crypto)
    : io_(io),
      store_(store),
      metrics_(metrics),
      clock_(clock),
      evidence_(evidence),
      settings_(std::move(settings)),
      wecom_(std::move(wecom)),
      bot_crypto_(std::move(bot_crypto)),
      timer_(io) {}

void EvidenceFetcher::start() {
    stopping_ = false;
    stopped_ = false;
    // A kill during a download may have left a half-written file; the job is still pending.
    if (const int removed = evidence_.remove_partial_files(); removed > 0) {
        spdlog::info("evidence: removed {} partial files left by an interrupted write", removed);
    }
    asio::co_spawn(io_, loop(), asio::detached);
}

void EvidenceFetcher::stop() {
    stopping_ = true;
    timer_.cancel();
}

void EvidenceFetcher::wake() {
    asio::post(io_, [this] { timer_.cancel(); });
}

std::int64_t EvidenceFetcher::lifetime_seconds(const storage::EvidenceFetchJob& job) const {
    if (!job.upload_id.empty()) {
        return std::int64_t{1} << 40;  // already here
    }
    if (!job.media_id.empty() && job.channel == "wecom-app") {
        return settings_.media_id_lifetime_hours * 3600LL;
    }
    if (job.channel == "wecom-bot") {
        return settings_.bot_url_lifetime_seconds;
    }
    return settings_.url_lifetime_hours * 3600LL;
}

asio::awaitable<void> EvidenceFetcher::loop() {
    while (!stopping_) {
        std::vector<storage::EvidenceFetchJob> due;
        try {
            const auto read_due = [now = clock_.now_seconds()](SQLite::Database& db) {
                return storage::EvidenceRepository(db).due(now, kJobsPerRound).value();
            };
            due = co_await store_.run<std::vector<storage::EvidenceFetchJob>>(read_due);
        } catch (const std::exception& e) {
            spdlog::error("evidence: reading due fetches failed: {}", e.what());
        }
        for (const auto& job : due) {
            if (stopping_) {
                break;
            }
            co_await fetch(job);
        }
        co_await refresh_metrics();
        if (stopping_) {
            break;
        }
        if (due.size() < static_cast<std::size_t>(kJobsPerRound)) {
            timer_.expires_after(std::chrono::seconds(1));
            boost::system::error_code ec;
            co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    stopped_ = true;
}

asio::awaitable<void> EvidenceFetcher::refresh_metrics() {
    if (clock_.now_millis() < next_metrics_ms_) {
        co_return;
    }
    next_metrics_ms_ = clock_.now_millis() + 5000;
    try {
        const auto read = [](SQLite::Database& db) {
            return storage::EvidenceRepository(db).counts().value();
        };
        const auto counts = co_await store_.run<storage::EvidenceCounts>(read);
        metrics_.set_evidence(static_cast<double>(counts.pending),
                              static_cast<double>(counts.fetched),
                              static_cast<double>(counts.failed));
    } catch (const std::exception& e) {
        spdlog::warn("evidence: counting failed: {}", e.what());
    }
}

asio::awaitable<Download> EvidenceFetcher::download_url(const std::string& url, bool encrypted) {
    const auto parsed = http_client::parse_url(url);
    if (!parsed) {
        co_return failed(true, "unreachable", "not an http(s) URL");
    }
    http_client::RequestOptions options;
    options.timeout = std::chrono::milliseconds(settings_.fetch_timeout_ms);
    // Ciphertext is padded up to 32 bytes more than the image.
    options.response_body_limit = static_cast<std::size_t>(settings_.max_bytes) + 64;
    const std::vector<http_client::Header> no_headers;
    const std::string no_body;
    // A named executor: GCC 12 can destroy a temporary in a co_await expression twice.
    const boost::asio::any_io_executor executor = io_.get_executor();
    auto answer = co_await http_client::request(executor, http_client::Method::get, *parsed,
                                                no_headers, no_body, options);
    if (!answer) {
        // Over the body limit is the image being too large; the rest is the network.
        const bool too_large = answer.error() == std::errc::file_too_large;
        co_return failed(too_large, too_large ? "too_large" : "unreachable",
                         parsed->origin() + ": " + answer.error().message());
    }
    Download got = from_http(answer.value(), parsed->origin());
    if (!got.bytes || !encrypted) {
        co_return got;
    }
    if (!bot_crypto_) {
        co_return failed(true, "unreachable",
                         "an intelligent-bot image, but the bot's EncodingAESKey is not set");
    }
    auto plain = bot_crypto_->decrypt_media(*got.bytes);
    if (!plain) {
        co_return failed(true, "unreachable",
                         "the downloaded image does not decrypt: " + plain.error().message());
    }
    co_return Download{std::move(plain).value(), false, "", ""};
}

asio::awaitable<Download> EvidenceFetcher::download(const storage::EvidenceFetchJob& job) {
    if (!job.upload_id.empty()) {
        auto bytes = read_file(evidence_.path_of(job.upload_id));
        if (!bytes) {
            co_return failed(true, "unreachable", "no upload with id " + job.upload_id);
        }
        co_return Download{std::move(bytes), false, "", ""};
    }
    if (job.channel == "wecom-app" && !job.media_id.empty()) {
        if (!wecom_) {
            co_return failed(false, "unreachable",
                             "a WeCom media id, but the WeCom API is not configured");
        }
        auto media = co_await wecom_->media_get(job.media_id, settings_.max_bytes);
        if (media) {
            co_return Download{std::move(media).value().bytes, false, "", ""};
        }
        const std::error_code error = media.error();
        if (error == wecom::make_api_error(wecom::errcode::kInvalidMediaId)) {
            co_return failed(true, "expired", "media/get: " + error.message());
        }
        if (error == wecom::make_error_code(wecom::ClientError::media_too_large)) {
            co_return failed(true, "too_large", "media/get: " + error.message());
        }
        co_return failed(false, "unreachable", "media/get: " + error.message());
    }
    if (!job.url.empty()) {
        co_return co_await download_url(job.url, job.channel == "wecom-bot");
    }
    co_return failed(true, "unreachable",
                     "only a media id, which this channel cannot fetch: a bridge uploads the "
                     "bytes or sends a URL");
}

asio::awaitable<void> EvidenceFetcher::fetch(const storage::EvidenceFetchJob& job) {
    const Download got = co_await download(job);
    const std::int64_t now = clock_.now_seconds();
    bot::model::EvidenceFetch result{job.id,      job.visit_number,
                                     job.by_id,   job.channel,
                                     job.chat_id, job.direct,
                                     "",          0,
                                     "",          0,
                                     0,           "",
                                     ""};
    if (got.bytes) {
        const auto stored = evidence_.put(*got.bytes);
        if (const auto* image = std::get_if<storage::StoredImage>(&stored)) {
            result.sha256 = image->sha256;
            result.size = image->size;
            result.mime = image->image.mime;
            result.width = image->image.width;
            result.height = image->image.height;
            metrics_.count_evidence_fetch("fetched");
            co_await report(job, std::move(result));
            co_return;
        }
        const auto& refusal = std::get<storage::StoreRefusal>(stored);
        if (refusal.code != "io") {
            result.reason = refusal.code;
            result.error = refusal.detail;
            metrics_.count_evidence_fetch("failed");
            co_await report(job, std::move(result));
            co_return;
        }
        // The disk, not the image: like a network error, worth another try.
        result.error = refusal.detail;
    } else {
        result.reason = got.reason;
        result.error = got.error;
    }
    const std::int64_t deadline = job.at + lifetime_seconds(job);
    const std::int64_t delay = std::min<std::int64_t>(
        static_cast<std::int64_t>(settings_.first_retry_seconds) << std::min(job.attempts, 20),
        settings_.max_retry_seconds);
    if ((got.bytes || !got.permanent) && now + delay < deadline) {
        metrics_.count_evidence_fetch("retry");
        spdlog::warn("evidence {} of {}: attempt {} failed, retrying in {} s: {}", job.id,
                     bot::model::visit_code(job.visit_number), job.attempts + 1, delay,
                     result.error);
        const auto retry = [id = job.id, next = now + delay,
                            error = result.error](SQLite::Database& db) {
            return storage::EvidenceRepository(db).retry_later(id, next, error).has_value();
        };
        try {
            co_await store_.run<bool>(retry);
        } catch (const std::exception& e) {
            spdlog::error("evidence {}: recording the attempt failed: {}", job.id, e.what());
        }
        co_return;
    }
    if (result.reason.empty() || (!got.permanent && now + delay >= deadline)) {
        result.reason = now >= deadline ? "expired" : "unreachable";
    }
    metrics_.count_evidence_fetch("failed");
    co_await report(job, std::move(result));
}

asio::awaitable<void> EvidenceFetcher::report(const storage::EvidenceFetchJob& job,
                                              bot::model::EvidenceFetch result) {
    if (result.fetched()) {
        spdlog::info("evidence {} of {}: stored {} ({} bytes, {} {}x{})", job.id,
                     bot::model::visit_code(job.visit_number), result.sha256, result.size,
                     result.mime, result.width, result.height);
    } else {
        spdlog::warn("evidence {} of {}: given up ({}): {}", job.id,
                     bot::model::visit_code(job.visit_number), result.reason, result.error);
    }
    bot::model::InboundEvent event;
    event.id = "evidence-" + std::to_string(job.id);
    event.source = std::string(bot::model::kEvidenceSource);
    event.type = bot::model::EventType::evidence_fetched;
    event.time = clock_.now_seconds();
    event.chat.id = job.chat_id;
    event.chat.kind = job.direct ? bot::model::ChatKind::direct : bot::model::ChatKind::group;
    event.sender.id = job.by_id;
    event.evidence = std::move(result);
    try {
        co_await store_.store(std::move(event));
        const auto hold = [id = job.id,
                           until = clock_.now_seconds() + kHoldSeconds](SQLite::Database& db) {
            return storage::EvidenceRepository(db).hold(id, until).has_value();
        };
        co_await store_.run<bool>(hold);
        store_.wake();
    } catch (const std::exception& e) {
        // The job stays due: it is fetched and reported again (the inbox keeps one report).
        spdlog::error("evidence {}: storing the result failed: {}", job.id, e.what());
    }
}

}  // namespace ledgerbot::app::evidence
