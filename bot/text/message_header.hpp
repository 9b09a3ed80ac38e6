#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ledgerbot::bot::text {

/// The text after a header such as 【风险提示】, [简报] or ［简报］ (one of `headers`, in any of
/// those brackets, at the start after white space), trimmed; nullopt when the text does not
/// open with one.
std::optional<std::string> text_after_header(std::string_view text,
                                             const std::vector<std::string>& headers);

/// A numbered id as people write it: `D7`, `d7`, `D-7`, `Ｄ７` for prefix 'D' → 7; nullopt for
/// anything else (other letters, no digits, more than 12 digits).
std::optional<std::int64_t> parse_numbered_id(std::string_view word, char prefix);

/// An id at the start of `text` and what follows it, trimmed: `R5 已整改`, `R5已整改`,
/// `Ｒ５：已整改` all give (5, "已整改"). nullopt when `text` does not start with one.
struct LeadingId {
    std::int64_t number = 0;
    std::string rest;
};
std::optional<LeadingId> split_leading_id(std::string_view text, char prefix);

}  // namespace ledgerbot::bot::text
