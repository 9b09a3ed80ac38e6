#pragma once

#include <string>
#include <string_view>
#include <vector>

/// UTF-8 and character classes for every parser, on utf8proc. Input that is not valid UTF-8
/// never reaches the bot (the adapters refuse it), but these functions still never read out of
/// bounds on bad bytes: each invalid sequence decodes as one U+FFFD.
namespace ledgerbot::bot::text {

bool is_valid_utf8(std::string_view bytes);
std::u32string decode_utf8(std::string_view bytes);
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view cps);

/// The one white-space definition of the tree: Unicode's space separators (U+3000, the U+2005
/// WeCom puts after an @-mention, no-break spaces), line and paragraph separators, the ASCII
/// controls \t \n \v \f \r, and the invisible U+200B and U+FEFF people paste along.
bool is_space(char32_t cp);
/// \n, \r, U+0085, U+2028, U+2029.
bool is_line_break(char32_t cp);
/// White space within a line (is_space, not is_line_break).
bool is_inline_space(char32_t cp);
/// ASCII digits 0-9 (fold full-width digits first).
bool is_digit(char32_t cp);
/// ASCII letters a-z, A-Z.
bool is_ascii_letter(char32_t cp);
/// A wide letter: Han characters (and kana and hangul, which read the same way in our texts).
bool is_han(char32_t cp);
/// Unicode punctuation (P*) and symbols (S*).
bool is_punctuation(char32_t cp);

/// Full-width and other compatibility variants become their plain forms (NFKC's wide, small and
/// no-break mappings, white space to ' ').
std::string to_half_width(std::string_view text);
/// The half-width form of one code point as in to_half_width, plus the colon look-alikes phone
/// keyboards offer (∶ ︰). One code point in, one out, so offsets into folded text are offsets
/// into the original.
char32_t fold_width(char32_t cp);
std::u32string fold_width(std::u32string_view cps);
/// Trims white space (is_space) at both ends.
std::string trim(std::string_view text);
/// Splits on any of the given code points, trimming pieces and dropping empty ones.
std::vector<std::string> split_any(std::string_view text, std::u32string_view separators);
/// Splits on white space (is_space), dropping empty pieces.
std::vector<std::string> split_words(std::string_view text);
std::vector<std::string> split_lines(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
/// Lowercase hex of raw bytes (digests, signatures).
std::string to_hex(std::string_view bytes);

}  // namespace ledgerbot::bot::text
