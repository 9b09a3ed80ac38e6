#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/text/text.hpp"

/// Code-point helpers shared by the parts of the visit report parser. Every part reads the
/// message decoded to code points and folded to half-width (one code point per code point, so
/// offsets into the folded text are offsets into the original).
namespace ledgerbot::bot::reports::parsing {

using Text = std::u32string;
using View = std::u32string_view;
using Range = std::pair<std::size_t, std::size_t>;

using text::is_digit;
using text::is_han;

inline bool is_letter(char32_t c) {
    return text::is_ascii_letter(c);
}

// Spaces within a line (a \r before the \n of a line break counts as one); lines are split
// at \n.
inline bool is_space(char32_t c) {
    return c != U'\n' && text::is_space(c);
}

inline bool is_blank(char32_t c) {
    return text::is_space(c);
}

// Punctuation that may end (or start) a value without being part of it (folded forms):
// 示例科技；, 王总/13912345678 once the number is taken out.
inline bool is_edge_punct(char32_t c) {
    return View(U",.;:!?~、。…·/|-").find(c) != View::npos;
}

inline bool is_open_bracket(char32_t c) {
    return c == U'[' || c == U'【' || c == U'〖' || c == U'〔';
}
inline bool is_close_bracket(char32_t c) {
    return c == U']' || c == U'】' || c == U'〗' || c == U'〕';
}

inline bool contains(View haystack, char32_t c) {
    return haystack.find(c) != View::npos;
}

inline View sub(View v, std::size_t begin, std::size_t end) {
    begin = std::min(begin, v.size());
    end = std::clamp(end, begin, v.size());
    return v.substr(begin, end - begin);
}

inline bool starts_at(View v, std::size_t pos, View word) {
    return pos <= v.size() && v.substr(pos).starts_with(word);
}

/// `r` without blanks (and, with `punctuation`, edge punctuation) at either end.
Range trim_range(View v, Range r, bool punctuation);

/// `v` without any blank.
Text compact(View v);

inline std::string utf8(View v) {
    return text::encode_utf8(v);
}

/// The end of the line holding `pos` (the offset of its \n, or the text's end).
inline std::size_t line_end(View f, std::size_t pos) {
    const std::size_t end = f.find(U'\n', pos);
    return end == View::npos ? f.size() : end;
}

/// The ranges' text joined with line breaks.
Text join(View source, const std::vector<Range>& ranges);

/// Whether any of `words` occurs in f[begin, end).
bool window_has(View f, std::size_t begin, std::size_t end, std::initializer_list<View> words);

}  // namespace ledgerbot::bot::reports::parsing
