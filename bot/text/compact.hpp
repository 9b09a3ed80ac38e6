#pragma once

#include <string>
#include <string_view>
#include <vector>

/// Text folding the convention rules share. People type group names and nicknames on phones:
/// full-width letters and digits, ideographic spaces and stray blanks are all the same to them.
namespace ledgerbot::bot::text {

/// Code points with full-width forms folded to half-width and all white space dropped.
std::u32string compact(std::string_view text);
bool ends_with(std::u32string_view text, std::u32string_view suffix);
bool starts_with(std::u32string_view text, std::u32string_view prefix);
/// Drops leading and trailing code points that occur in `set`.
std::u32string_view trim_any(std::u32string_view text, std::u32string_view set);
/// The first code point of each (compacted) entry; empty entries are skipped.
std::u32string first_code_points(const std::vector<std::string>& entries);

}  // namespace ledgerbot::bot::text
