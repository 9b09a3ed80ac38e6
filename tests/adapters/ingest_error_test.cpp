#include "adapters/ingest_error.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

using ledgerbot::adapters::error_name;
using ledgerbot::adapters::http_status_for;
using ledgerbot::adapters::ingest_category;
using ledgerbot::adapters::IngestError;
using ledgerbot::adapters::kAllIngestErrors;

TEST_CASE("Every ingest error has a unique name, a message, an HTTP status and the category",
          "[adapters][errors]") {
    std::set<std::string_view> names;
    std::set<std::string> messages;
    for (const IngestError e : kAllIngestErrors) {
        const std::error_code code = make_error_code(e);
        const std::string_view name = error_name(e);
        INFO("value " << static_cast<int>(e) << " (" << name << ")");
        CHECK(code);
        CHECK(code.category() == ingest_category());
        CHECK(std::string_view(code.category().name()) == "ledgerbot.ingest");
        CHECK(code == e);
        CHECK_FALSE(name.empty());
        CHECK(name != "unknown");
        CHECK(names.insert(name).second);
        CHECK_FALSE(code.message().empty());
        CHECK(code.message() != "unknown ingest error");
        CHECK(messages.insert(code.message()).second);
        const unsigned status = http_status_for(e);
        CHECK((status == 400 || status == 401 || status == 413 || status == 415));
    }
}

TEST_CASE("kAllIngestErrors lists every enumerator exactly once", "[adapters][errors]") {
    // Enumerators are consecutive from 1, so a missing or repeated entry shows up here.
    std::set<int> values;
    for (const IngestError e : kAllIngestErrors) {
        values.insert(static_cast<int>(e));
    }
    CHECK(values.size() == std::size(kAllIngestErrors));
    CHECK(*values.begin() == 1);
    CHECK(*values.rbegin() == static_cast<int>(std::size(kAllIngestErrors)));
    CHECK(error_name(static_cast<IngestError>(*values.rbegin() + 1)) == "unknown");
}

TEST_CASE("Authentication failures map to 401 and an oversized body to 413", "[adapters][errors]") {
    CHECK(http_status_for(IngestError::bad_signature) == 401);
    CHECK(http_status_for(IngestError::missing_signature) == 401);
    CHECK(http_status_for(IngestError::stale_timestamp) == 401);
    CHECK(http_status_for(IngestError::body_too_large) == 413);
    CHECK(http_status_for(IngestError::bad_padding) == 400);
    CHECK(http_status_for(IngestError::invalid_json) == 400);
}

TEST_CASE("An ingest error code is not equal to a generic error with the same value",
          "[adapters][errors]") {
    const std::error_code code = make_error_code(IngestError::bad_signature);
    CHECK(code != std::error_code(code.value(), std::generic_category()));
    CHECK(code != std::errc::no_such_file_or_directory);
}
