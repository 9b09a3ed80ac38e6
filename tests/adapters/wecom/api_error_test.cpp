#include "adapters/wecom/api_error.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <system_error>

using namespace ledgerbot::adapters::wecom;

TEST_CASE("Every client error has its own message in the wecom.client category",
          "[wecom][errors]") {
    std::set<std::string> messages;
    for (const ClientError e : kAllClientErrors) {
        const std::error_code code = e;
        INFO("value " << static_cast<int>(e));
        CHECK(code);
        CHECK(std::string(code.category().name()) == "wecom.client");
        CHECK(code.message() != "unknown WeCom client error");
        CHECK(messages.insert(code.message()).second);
    }
    CHECK(messages.size() == std::size(kAllClientErrors));
    CHECK(std::error_code(static_cast<int>(std::size(kAllClientErrors)) + 1, client_category())
              .message() == "unknown WeCom client error");
}

TEST_CASE("WeCom errcodes keep their value and read from a fixed table", "[wecom][errors]") {
    const auto [errcode, text] = GENERATE(table<int, std::string>({
        {-1, "errcode -1: system busy"},
        {42001, "errcode 42001: access_token expired"},
        {45009, "errcode 45009: API frequency limit"},
        {86008, "errcode 86008: app chat was not created by this app"},
        {123456, "errcode 123456: no description"},
    }));
    const std::error_code code = make_api_error(errcode);
    CHECK(code.value() == errcode);
    CHECK(std::string(code.category().name()) == "wecom.api");
    CHECK(code.message() == text);
    CHECK(code != std::error_code(errcode, std::generic_category()));
}

TEST_CASE("Conditions group errcodes, client errors and network errors the way callers act",
          "[wecom][errors]") {
    struct Row {
        std::error_code code;
        bool rate_limited;
        bool token_rejected;
        bool system_busy;
        bool retryable;
    };
    const auto row = GENERATE(values<Row>({
        {make_api_error(45009), true, false, false, true},
        {make_api_error(45033), true, false, false, true},
        {make_api_error(130101), true, false, false, true},
        {make_error_code(ClientError::rate_limited_locally), true, false, false, true},
        {make_api_error(40014), false, true, false, false},
        {make_api_error(42001), false, true, false, false},
        {make_api_error(40001), false, true, false, false},
        {make_api_error(-1), false, false, true, true},
        {std::make_error_code(std::errc::timed_out), false, false, false, true},
        {std::make_error_code(std::errc::connection_refused), false, false, false, true},
        {make_error_code(ClientError::http_status), false, false, false, true},
        {make_api_error(40058), false, false, false, false},
        {make_api_error(93000), false, false, false, false},
        {make_error_code(ClientError::invalid_response), false, false, false, false},
        {make_error_code(ClientError::content_too_long), false, false, false, false},
        {make_error_code(ClientError::foreign_url), false, false, false, false},
    }));
    INFO(row.code.category().name() << ":" << row.code.value());
    CHECK((row.code == ApiCondition::rate_limited) == row.rate_limited);
    CHECK((row.code == ApiCondition::token_rejected) == row.token_rejected);
    CHECK((row.code == ApiCondition::system_busy) == row.system_busy);
    CHECK((row.code == ApiCondition::retryable) == row.retryable);
}
