#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledgerbot::bot::reports {

/// A visit record's id as people write it: V12, v12, V-12, Ｖ１２ (shown as V12, see visit_code).
struct VisitReference {
    std::int64_t number = 0;
    std::string rest;  ///< the text after the id (leading spaces and separators dropped)
};

/// The record id the text starts with (after white space), and what follows it:
/// `V12 联系电话：…` → {12, "联系电话：…"}. nullopt when the text does not start with one.
std::optional<VisitReference> leading_visit_reference(std::string_view text);

/// The first record id written anywhere in the text as a word of its own: `见V12`, `(v-3)`,
/// but not `AV12` or `V12345678901234567` (too long to be a record number).
std::optional<std::int64_t> find_visit_reference(std::string_view text);

}  // namespace ledgerbot::bot::reports
