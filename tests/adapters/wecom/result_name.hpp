#pragma once

#include <boost/outcome.hpp>
#include <string>
#include <system_error>

#include "adapters/ingest_error.hpp"

namespace ledgerbot::adapters::wecom::testing {

/// "ok" or the IngestError's stable name, so that a failed CHECK prints something readable
/// (Catch2 2.x has no StringMaker for std::error_code).
template <class T>
std::string result_name(const boost::outcome_v2::result<T, std::error_code>& result) {
    if (result) {
        return "ok";
    }
    if (result.error().category() != ingest_category()) {
        return "foreign error: " + result.error().message();
    }
    return std::string(error_name(static_cast<IngestError>(result.error().value())));
}

}  // namespace ledgerbot::adapters::wecom::testing
