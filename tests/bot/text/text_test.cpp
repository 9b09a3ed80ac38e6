#include "bot/text/text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

namespace {

namespace text = ledgerbot::bot::text;
using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("Well-formed UTF-8 of every sequence length is valid", "[text]") {
    const auto [bytes, why] = GENERATE(table<std::string, std::string>({
        {"", "empty"},
        {"plain ASCII 123", "one byte"},
        {"\xC2\x80", "U+0080, smallest two-byte"},
        {"\xDF\xBF", "U+07FF, largest two-byte"},
        {"\xE0\xA0\x80", "U+0800, smallest three-byte"},
        {"走访记录：宁夏示例科技有限公司", "Chinese"},
        {"\xEF\xBC\x9A", "full-width colon U+FF1A"},
        {"\xED\x9F\xBF", "U+D7FF, just below the surrogates"},
        {"\xEE\x80\x80", "U+E000, just above the surrogates"},
        {"\xEF\xBF\xBF", "U+FFFF"},
        {"\xF0\x90\x80\x80", "U+10000, smallest four-byte"},
        {"✅📝", "symbols and an emoji"},
        {"\xF4\x8F\xBF\xBF", "U+10FFFF, the last code point"},
    }));
    INFO(why);
    CHECK(text::is_valid_utf8(bytes));
}

TEST_CASE("Malformed UTF-8 is rejected", "[text]") {
    const auto [bytes, why] = GENERATE(table<std::string, std::string>({
        {std::string("\xC0\x80", 2), "overlong NUL (C0 80)"},
        {"\xC1\xBF", "overlong two-byte (C1 BF)"},
        {"\xE0\x80\x80", "overlong three-byte (E0 80 80)"},
        {"\xE0\x9F\xBF", "overlong three-byte U+07FF"},
        {"\xF0\x8F\xBF\xBF", "overlong four-byte U+FFFF"},
        {"\xED\xA0\x80", "high surrogate U+D800 (ED A0 80)"},
        {"\xED\xBF\xBF", "low surrogate U+DFFF"},
        {"\xF4\x90\x80\x80", "U+110000, past U+10FFFF (F4 90 80 80)"},
        {"\xF5\x80\x80\x80", "lead byte F5"},
        {"\xFF", "byte FF"},
        {"\xE8\xB5", "truncated three-byte sequence at the end"},
        {"\xE8\xB5x", "three-byte sequence cut by ASCII"},
        {"\xF0\x9F\x93", "truncated four-byte sequence"},
        {"\xC2", "lone two-byte lead"},
        {"\x80", "stray continuation byte"},
        {"ab\xBF"
         "cd",
         "stray continuation byte inside ASCII"},
        {"走\x80访", "stray continuation byte between characters"},
        {"\xD7\xDF\xB7\xC3", "GBK bytes of 走访"},
    }));
    INFO(why);
    CHECK_FALSE(text::is_valid_utf8(bytes));
}

TEST_CASE("Decoding never drops the bytes that follow a truncated sequence", "[text]") {
    // A lead byte promising more bytes than remain must not swallow what is left.
    const auto [bytes, expected, why] = GENERATE(table<std::string, std::u32string, std::string>({
        {"\xF0"
         "ab",
         U"\uFFFD"
         U"ab",
         "four-byte lead then two ASCII bytes"},
        {"x\xE8\xB5", U"x\uFFFD", "truncated at the very end"},
        {"\xE8"
         "a\xE8\xB5\xB0",
         U"\uFFFD"
         U"a走",
         "bad continuation then a good character"},
        {"\x80走", U"\uFFFD走", "stray continuation byte"},
    }));
    INFO(why);
    CHECK(text::decode_utf8(bytes) == expected);
}

TEST_CASE("Encoding and decoding are inverse for every sequence length", "[text]") {
    const std::u32string cps = U"a\u00E9\u8D70\U0001F4DD\U0010FFFF";
    const std::string bytes = text::encode_utf8(cps);
    CHECK(bytes == "a\xC3\xA9\xE8\xB5\xB0\xF0\x9F\x93\x9D\xF4\x8F\xBF\xBF");
    CHECK(text::decode_utf8(bytes) == cps);
}

TEST_CASE("Full-width ASCII and the ideographic space become half-width", "[text]") {
    const auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"ＡＢＣ１２３ａｂｃ", "ABC123abc"},
        {"企业全称：示例", "企业全称:示例"},
        {"！～", "!~"},
        {"（集团）", "(集团)"},
        {"［走访记录］", "[走访记录]"},
        {"张三　李四", "张三 李四"},
        {"【】、。《》", "【】、。《》"},
        {"plain", "plain"},
    }));
    CHECK(text::to_half_width(input) == expected);
}

TEST_CASE("Trimming removes ASCII and full-width white space at both ends only", "[text]") {
    const auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"  张三  ", "张三"},
        {"\u3000\u3000张三\u3000", "张三"},
        {"\t\r\n张 三\r\n", "张 三"},
        {"\xC2\xA0"
         "张三\xEF\xBB\xBF",
         "张三"},
        {"\u3000", ""},
        {"", ""},
        {"张\u3000三", "张\u3000三"},
    }));
    CHECK(text::trim(input) == expected);
}

TEST_CASE("Splitting on any separator trims pieces and drops empty ones", "[text]") {
    const auto [input, separators, expected] = GENERATE(table<std::string, std::u32string, Lines>({
        {"张三、李四，王五", U"、，", Lines{"张三", "李四", "王五"}},
        {" 张三 ;; 李四 ;", U";", Lines{"张三", "李四"}},
        {"融资需求；\n上市辅导\n\n", U"；\n", Lines{"融资需求", "上市辅导"}},
        {"、、", U"、", Lines{}},
        {"", U"、", Lines{}},
        {"无分隔", U"、", Lines{"无分隔"}},
    }));
    CHECK(text::split_any(input, separators) == expected);
}

TEST_CASE("Splitting lines accepts LF and CRLF and keeps empty lines", "[text]") {
    const auto [input, expected] = GENERATE(table<std::string, Lines>({
        {"a\r\nb\r\nc", Lines{"a", "b", "c"}},
        {"a\nb", Lines{"a", "b"}},
        {"a\r\n\r\nb", Lines{"a", "", "b"}},
        {"【走访记录】\r\n企业全称：示例\r\n", Lines{"【走访记录】", "企业全称：示例", ""}},
        {"one", Lines{"one"}},
        {"", Lines{""}},
        {"a\rb", Lines{"a\rb"}},
    }));
    CHECK(text::split_lines(input) == expected);
}

TEST_CASE("A prefix test compares bytes, not characters", "[text]") {
    CHECK(text::starts_with("【走访记录】abc", "【走访记录】"));
    CHECK(text::starts_with("abc", ""));
    CHECK_FALSE(text::starts_with("ab", "abc"));
    CHECK_FALSE(text::starts_with("[走访记录]", "【走访记录】"));
}

TEST_CASE("One white-space definition covers what phones and WeCom put between words", "[text]") {
    const auto [cp, space, line_break] = GENERATE(table<char32_t, bool, bool>({
        {U' ', true, false},
        {U'\t', true, false},
        {U'\n', true, true},
        {U'\r', true, true},
        {U'\u3000', true, false},  // ideographic space
        {U'\u2005', true, false},  // WeCom, after an @-mention
        {U'\u00A0', true, false},  // no-break space
        {U'\u2028', true, true},   // line separator
        {U'\u200B', true, false},  // zero-width space, pasted along
        {U'\uFEFF', true, false},
        {U'a', false, false},
        {U'张', false, false},
        {U'，', false, false},
        {U'_', false, false},
    }));
    INFO(static_cast<std::uint32_t>(cp));
    CHECK(text::is_space(cp) == space);
    CHECK(text::is_line_break(cp) == line_break);
    CHECK(text::is_inline_space(cp) == (space && !line_break));
}

TEST_CASE("Character classes come from the Unicode tables", "[text]") {
    CHECK(text::is_digit(U'7'));
    CHECK_FALSE(text::is_digit(U'７'));  // fold first
    CHECK(text::is_digit(text::fold_width(U'７')));
    CHECK_FALSE(text::is_digit(U'٣'));  // Arabic-Indic: a digit, not ours
    CHECK(text::is_ascii_letter(U'V'));
    CHECK_FALSE(text::is_ascii_letter(U'Ｖ'));
    CHECK(text::is_han(U'走'));
    CHECK(text::is_han(U'𠀀'));
    CHECK_FALSE(text::is_han(U'，'));
    CHECK_FALSE(text::is_han(U'A'));
    CHECK(text::is_punctuation(U'，'));
    CHECK(text::is_punctuation(U'【'));
    CHECK(text::is_punctuation(U'￥'));
    CHECK_FALSE(text::is_punctuation(U'走'));
}

TEST_CASE("Width folding maps one code point to one, colon look-alikes included", "[text]") {
    const auto [cp, folded] = GENERATE(table<char32_t, char32_t>({
        {U'：', U':'},
        {U'﹕', U':'},  // small colon
        {U'∶', U':'},   // ratio, offered as a colon
        {U'︰', U':'},
        {U'\u2005', U' '},
        {U'\u3000', U' '},
        {U'Ｄ', U'D'},
        {U'１', U'1'},
        {U'【', U'【'},
        {U'…', U'…'},  // NFKC makes three dots of it: kept, so offsets stay aligned
        {U'①', U'①'},
        {U'\n', U'\n'},
    }));
    INFO(static_cast<std::uint32_t>(cp));
    CHECK(text::fold_width(cp) == folded);
}

TEST_CASE("Words split at any white space, none empty", "[text]") {
    CHECK(text::split_words("/核查 V12\u3000遗漏\u2005 原因\n第二行") ==
          std::vector<std::string>{"/核查", "V12", "遗漏", "原因", "第二行"});
    CHECK(text::split_words(" \u3000 ").empty());
}
