#include "bot/text/masking.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

namespace {

using ledgerbot::bot::text::mask_phone;
using ledgerbot::bot::text::mask_sensitive;

}  // namespace

TEST_CASE("A phone number keeps its prefix or area code and its last four digits", "[masking]") {
    const auto [digits, masked, why] = GENERATE(table<std::string, std::string, std::string>({
        {"13812345678", "138****5678", "mobile"},
        {"19912345678", "199****5678", "mobile, 19x range"},
        {"09515012345", "0951***2345", "Yinchuan: 4-digit area code, 7-digit number"},
        {"095150123456", "0951****3456", "4-digit area code, 8-digit number"},
        {"01012345678", "010****5678", "Beijing: 3-digit area code, 8-digit number"},
        {"02112345678", "021****5678", "Shanghai: 3-digit area code"},
        {"0101234567", "010***4567", "3-digit area code, 7-digit number"},
        {"1234567", "*******", "too short to show anything"},
        {"", "", "empty"},
    }));
    INFO(why);
    CHECK(mask_phone(digits) == masked);
    CHECK(mask_phone(digits).size() == digits.size());
}

TEST_CASE("Phone and ID numbers inside Chinese text are masked", "[masking]") {
    const auto [input, expected, why] = GENERATE(table<std::string, std::string, std::string>({
        {"王总13812345678", "王总138****5678", "mobile right after Chinese"},
        {"联系人：王总 13812345678，已联系", "联系人：王总 138****5678，已联系",
         "mobile with comma"},
        {"电话138-1234-5678。", "电话138****5678。", "mobile with hyphens"},
        {"电话 138 1234 5678", "电话 138****5678", "mobile with spaces"},
        {"手机+8613812345678", "手机+86138****5678", "country code without separator"},
        {"手机 +86 13812345678", "手机 +86 138****5678", "country code with a space"},
        {"13812345678", "138****5678", "the whole text"},
        {"13812345678、13987654321", "138****5678、139****4321", "two mobiles"},
        {"座机0951-5012345转8", "座机0951-***2345转8", "Yinchuan landline"},
        {"座机09515012345", "座机0951***2345", "landline without hyphen"},
        {"座机010-12345678", "座机010-****5678", "Beijing landline"},
        {"身份证号110101199003071234，男", "身份证号110101********1234，男", "ID number"},
        {"身份证11010119900307123X。", "身份证110101********123X。", "ID number ending in X"},
        {"身份证11010119900307123x", "身份证110101********123x", "ID number ending in x"},
        {"王总13812345678，身份证110101199003071234", "王总138****5678，身份证110101********1234",
         "both in one text"},
    }));
    INFO(why);
    CHECK(mask_sensitive(input) == expected);
}

TEST_CASE("Digit runs that are not phone or ID numbers are left alone", "[masking]") {
    const auto [input, why] = GENERATE(table<std::string, std::string>({
        {"计划融资500万元，估值1.2亿", "amounts"},
        {"融资需求 30000000 元", "an eight-digit amount"},
        {"2026-07-01 10:00 实地走访", "ISO date and time"},
        {"2026年7月1日下午3点", "Chinese date"},
        {"20260701", "compact date"},
        {"订单号 12345678901", "eleven digits not starting 13-19"},
        {"138123456789", "twelve digits starting like a mobile"},
        {"0138123456789", "a mobile inside a longer digit run"},
        {"统一社会信用代码 91640100MA76ABCD1X", "credit code"},
        {"银行卡 6222021234567890123", "nineteen-digit card number"},
        {"11010119900307123", "seventeen digits"},
        {"V12 D3 第5条", "record codes"},
        {"", "empty"},
    }));
    INFO(why);
    CHECK(mask_sensitive(input) == input);
}
