// The visit report corpus: realistic chat messages under tests/fixtures/visit_reports/cases/,
// one file per message. Each file starts with `key: value` lines saying what the parser must
// understand, then a line `=====`, then the message exactly as posted (the file's final newline
// is not part of it). Keys:
//   note, message_time (RFC 3339), is_report (yes/no); for reports also company, visit_time
//   ("YYYY-MM-DD HH:MM" or "YYYY-MM-DD"), mode, visitors (joined with 、), phone, missing and
//   issues (comma-separated field keys / issue codes, in order); optionally contact, demands
//   (separated by |), content, inferred (field keys, any order). "-" means none.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bot/reports/visit_report_parser.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "tests/bot/visit_report_fixtures.hpp"

namespace {

using ledgerbot::bot::model::VisitField;
using ledgerbot::bot::reports::ParsedReport;

struct CorpusCase {
    std::string name;
    std::map<std::string, std::string> expect;
    std::string text;
};

const std::set<std::string> kKeys{"note",    "message_time", "is_report", "company", "visit_time",
                                  "mode",    "visitors",     "contact",   "phone",   "demands",
                                  "content", "missing",      "issues",    "inferred"};
const std::vector<std::string> kRequiredForReports{"company", "visit_time", "mode",  "visitors",
                                                   "phone",   "missing",    "issues"};

CorpusCase read_case(const std::filesystem::path& path) {
    CorpusCase out;
    out.name = path.filename().string();
    const std::string contents = ledgerbot::testing::read_file(path);
    const std::string separator = "\n=====\n";
    const std::size_t split = contents.find(separator);
    if (split == std::string::npos) {
        FAIL(out.name << ": no ===== line");
    }
    for (const std::string& line : ledgerbot::bot::text::split_lines(contents.substr(0, split))) {
        const std::size_t colon = line.find(": ");
        if (colon == std::string::npos || !kKeys.count(line.substr(0, colon))) {
            FAIL(out.name << ": bad header line '" << line << "'");
        }
        out.expect[line.substr(0, colon)] = line.substr(colon + 2);
    }
    out.text = contents.substr(split + separator.size());
    if (!out.text.empty() && out.text.back() == '\n') {
        out.text.pop_back();
    }
    return out;
}

std::vector<CorpusCase> load_corpus() {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(
             ledgerbot::testing::visit_report_fixtures() / "cases")) {
        if (entry.path().extension() == ".txt") {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    std::vector<CorpusCase> out;
    for (const auto& path : paths) {
        out.push_back(read_case(path));
    }
    return out;
}

std::vector<std::string> list(const std::string& value, std::u32string_view separators) {
    if (value == "-") {
        return {};
    }
    return ledgerbot::bot::text::split_any(value, separators);
}

std::vector<std::string> keys(const std::vector<VisitField>& fields) {
    std::vector<std::string> out;
    for (VisitField field : fields) {
        out.emplace_back(ledgerbot::bot::model::to_key(field));
    }
    return out;
}

std::optional<VisitField> field_of(const std::string& key) {
    return ledgerbot::bot::model::visit_field_from_key(key);
}

// A single-valued field: "-" means the parser must not have accepted any value.
void check_value(const ParsedReport& parsed, const CorpusCase& c, const std::string& key) {
    auto it = c.expect.find(key);
    if (it == c.expect.end()) {
        return;
    }
    const VisitField field = *field_of(key);
    INFO("field " << key);
    if (it->second == "-") {
        CHECK_FALSE(parsed.has(field));
        CHECK(parsed.value(field).empty());
    } else {
        CHECK(parsed.value(field) == it->second);
    }
}

}  // namespace

TEST_CASE("The visit report corpus holds at least 60 messages, reports and non-reports") {
    const auto corpus = load_corpus();
    CHECK(corpus.size() >= 60);
    const auto reports = std::count_if(corpus.begin(), corpus.end(), [](const auto& c) {
        return c.expect.at("is_report") == "yes";
    });
    CHECK(reports >= 40);
    CHECK(static_cast<std::size_t>(reports) < corpus.size() - 10);
    for (const auto& c : corpus) {
        INFO(c.name);
        CHECK(c.expect.count("message_time") == 1);
        CHECK(c.expect.count("note") == 1);
        REQUIRE(c.expect.count("is_report") == 1);
        if (c.expect.at("is_report") == "yes") {
            for (const auto& key : kRequiredForReports) {
                INFO("key " << key);
                CHECK(c.expect.count(key) == 1);
            }
        }
    }
}

TEST_CASE("Every corpus message parses the way its case file says") {
    const auto settings = ledgerbot::config::load_default_settings().engine.report;
    const auto directory = ledgerbot::testing::visit_report_directory();
    for (const auto& c : load_corpus()) {
        DYNAMIC_SECTION(c.name) {
            INFO("note: " << c.expect.at("note"));
            INFO("text: " << c.text);
            const auto now = ledgerbot::bot::time::parse_rfc3339(c.expect.at("message_time"));
            REQUIRE(now.has_value());
            const ParsedReport parsed =
                ledgerbot::bot::reports::parse_visit_report(c.text, *now, directory, settings);

            const bool expected_report = c.expect.at("is_report") == "yes";
            CHECK(parsed.is_report == expected_report);
            // The engine decides with these two; they must agree with the full parse.
            CHECK((ledgerbot::bot::reports::has_report_header(c.text, settings) ||
                   ledgerbot::bot::reports::looks_like_visit_report(c.text, directory, settings)) ==
                  expected_report);
            if (!expected_report) {
                continue;
            }

            for (const char* key : {"company", "visit_time", "mode", "contact", "phone"}) {
                check_value(parsed, c, key);
            }
            if (c.expect.at("company") != "-") {
                CHECK(parsed.company_id.has_value());
            }
            if (const std::string& time = c.expect.at("visit_time"); time != "-") {
                REQUIRE(parsed.visit_time.has_value());
                CHECK(parsed.visit_time_date_only == (time.size() == 10));
                const std::string shown =
                    parsed.visit_time_date_only
                        ? ledgerbot::bot::time::format_date(
                              ledgerbot::bot::time::local_date(*parsed.visit_time))
                        : ledgerbot::bot::time::format_local_minutes(*parsed.visit_time);
                CHECK(shown == time);
            } else {
                CHECK_FALSE(parsed.visit_time.has_value());
            }

            const auto visitors = list(c.expect.at("visitors"), U"、");
            CHECK(parsed.visitors == visitors);
            check_value(parsed, c, "visitors");

            if (auto it = c.expect.find("demands"); it != c.expect.end()) {
                CHECK(parsed.demands == list(it->second, U"|"));
            }
            if (auto it = c.expect.find("content"); it != c.expect.end()) {
                CHECK(parsed.value(VisitField::content) == it->second);
            }

            CHECK(keys(parsed.missing) == list(c.expect.at("missing"), U","));
            std::vector<std::string> codes;
            for (const auto& issue : parsed.issues) {
                codes.push_back(issue.code);
            }
            CHECK(codes == list(c.expect.at("issues"), U","));

            if (auto it = c.expect.find("inferred"); it != c.expect.end()) {
                auto expected = list(it->second, U",");
                auto actual = keys(parsed.inferred);
                std::sort(expected.begin(), expected.end());
                std::sort(actual.begin(), actual.end());
                CHECK(actual == expected);
            }
        }
    }
}
