#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

#include "templates/mstch_node.hpp"
#include "templates/page_renderer.hpp"
#include "templates/renderer.hpp"
#include "templates/template_partials.hpp"

namespace ledgerbot::templates {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_templates();
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_pages();
}  // namespace ledgerbot::templates

using namespace ledgerbot::templates;

namespace {

/// The *.mustache files of an embedded list, by name without the suffix.
TemplateTexts mustache_texts(
    const std::vector<std::pair<std::string_view, std::string_view>>& files) {
    TemplateTexts texts;
    for (const auto& [file, text] : files) {
        if (file.ends_with(".mustache")) {
            texts.emplace(std::string(file.substr(0, file.size() - 9)), std::string(text));
        }
    }
    return texts;
}

}  // namespace

TEST_CASE("A template is given the partials it includes and theirs, and no others", "[renderer]") {
    const TemplateTexts all{{"list", "{{#items}}{{>item}}{{/items}}"},
                            {"item", "{{> name }} {{ >status}}\n"},
                            {"name", "{{name}}"},
                            {"status", "{{status}}{{>status}}"},  // includes itself: no loop
                            {"unused", "never"}};
    const auto used = partials_used(all.at("list"), all);
    CHECK(used == std::map<std::string, std::string>{{"item", all.at("item")},
                                                     {"name", all.at("name")},
                                                     {"status", all.at("status")}});
    CHECK(partials_used("{{>missing}} {{> name", all).empty());
    CHECK(partials_of_each(all).at("unused").empty());
}

TEST_CASE("Every chat template renders the same with only its partials as with all of them",
          "[renderer]") {
    const TemplateTexts all = mustache_texts(embedded_templates());
    const std::map<std::string, std::string> every(all.begin(), all.end());
    const Renderer renderer;
    // Fields that open the sections the partials sit in: lists of one item with the fields
    // the partials read.
    nlohmann::json item{{"name", "宁夏示例科技有限公司"},
                        {"status", "进行中"},
                        {"rule", "第九条"},
                        {"summary", "群名不符"},
                        {"company", "宁夏示例科技有限公司"},
                        {"points", 2}};
    nlohmann::json fields{{"items", {item}},
                          {"risks", {item}},
                          {"demands", {item}},
                          {"issues", {item}},
                          {"rows", {item}},
                          {"commands", {item}},
                          {"groups", {{{"commands", {item}}}}},
                          {"company", "宁夏示例科技有限公司"}};
    int with_partials = 0;
    for (const auto& [name, text] : all) {
        std::string expected = mstch::render(text, to_mstch_node(fields, false), every);
        while (!expected.empty() && (expected.back() == '\n' || expected.back() == ' ')) {
            expected.pop_back();
        }
        INFO(name);
        CHECK(renderer.render(name, fields) == expected);
        with_partials += partials_used(text, all).empty() ? 0 : 1;
    }
    CHECK(with_partials >= 20);
}

TEST_CASE("Every console page renders the same with only its partials as with all of them",
          "[renderer]") {
    const TemplateTexts all = mustache_texts(embedded_pages());
    const std::map<std::string, std::string> every(all.begin(), all.end());
    const PageRenderer pages;
    const nlohmann::json fields{{"title", "台账"}, {"user", {{"name", "张三"}}}};
    int with_partials = 0;
    for (const auto& [name, text] : all) {
        INFO(name);
        CHECK(pages.render(name, fields) ==
              mstch::render(text, to_mstch_node(fields, true), every));
        with_partials += partials_used(text, all).empty() ? 0 : 1;
    }
    CHECK(with_partials > 0);
}
