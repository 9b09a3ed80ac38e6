#include "bot/text/chat_command.hpp"

#include <catch2/catch.hpp>

#include <string>

using ledgerbot::bot::text::parse_chat_command;

TEST_CASE("A command is a slash, a word and the rest of the message", "[commands]") {
    const auto [text, word, argument] = GENERATE(table<std::string, std::string, std::string>({
        {"/补充 V12 联系电话：139", "补充", "V12 联系电话：139"},
        {"／补充　V12", "补充", "V12"},
        {"  /建群 宁夏示例科技有限公司  ", "建群", "宁夏示例科技有限公司"},
        {"/补充\nV12\n联系电话：139", "补充", "V12\n联系电话：139"},
        {"/阶段完成", "阶段完成", ""},
    }));
    INFO(text);
    const auto command = parse_chat_command(text);
    REQUIRE(command.has_value());
    CHECK(command->word == word);
    CHECK(command->argument == argument);
}

TEST_CASE("Text without a leading slash is no command", "[commands]") {
    const std::string text =
        GENERATE(as<std::string>{}, "", "补充 V12", "请 /补充 V12", "【走访记录】");
    CHECK_FALSE(parse_chat_command(text).has_value());
}
