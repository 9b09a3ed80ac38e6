#pragma once

#include <system_error>

#include <boost/outcome.hpp>

namespace SQLite {  // NOLINT(readability-identifier-naming): SQLiteCpp's own namespace
class Exception;
}

namespace ledgerbot::storage {

namespace outcome = boost::outcome_v2;

/// Fallible storage calls return this: a value or a std::error_code.
template <class T>
using result = outcome::std_result<T>;

/// SQLite's extended result codes as std::error_code, so no SQLite::Exception crosses the
/// storage boundary: repositories catch and return these.
const std::error_category& sqlite_category();
std::error_code to_error_code(const SQLite::Exception& e);

/// Errors another attempt may not repeat: the database is busy or locked, the disk is full or
/// failing. Anything else (a constraint, a trigger, a bug) fails the same way every time.
bool is_transient(int sqlite_extended_code);
bool is_transient(const std::error_code& error);

/// Runs `body` and converts a SQLite::Exception into an error result.
template <typename F>
auto guarded(F&& body) -> result<decltype(body())>;

}  // namespace ledgerbot::storage

#include <SQLiteCpp/Exception.h>

namespace ledgerbot::storage {

template <typename F>
auto guarded(F&& body) -> result<decltype(body())> {
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            return outcome::success();
        } else {
            return body();
        }
    } catch (const SQLite::Exception& e) {
        return to_error_code(e);
    }
}

}  // namespace ledgerbot::storage
