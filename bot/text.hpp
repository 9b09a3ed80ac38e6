#pragma once

#include <string>
#include <string_view>
#include <vector>

/// UTF-8 helpers the parsers share. Input that is not valid UTF-8 never reaches the bot (the
/// adapters refuse it), but these functions still never read out of bounds on bad bytes.
namespace ledgerbot::bot::text {

bool is_valid_utf8(std::string_view bytes);
std::u32string decode_utf8(std::string_view bytes);
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view cps);

/// Full-width ASCII variants (！to ～, U+3000) become their half-width forms.
std::string to_half_width(std::string_view text);
/// The half-width form of one code point: full-width ASCII (！to ～) and U+3000 as in
/// to_half_width, plus the colon look-alikes phone keyboards offer (∶ ︰ ﹕) and no-break spaces.
/// One code point in, one out, so offsets into folded text are offsets into the original.
char32_t fold_width(char32_t cp);
std::u32string fold_width(std::u32string_view cps);
/// Trims ASCII and full-width white space at both ends.
std::string trim(std::string_view text);
/// Splits on any of the given code points, trimming pieces and dropping empty ones.
std::vector<std::string> split_any(std::string_view text, std::u32string_view separators);
std::vector<std::string> split_lines(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
/// Lowercase hex of raw bytes (digests, signatures).
std::string to_hex(std::string_view bytes);

}  // namespace ledgerbot::bot::text
