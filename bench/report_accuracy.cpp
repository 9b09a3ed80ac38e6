// Per-field accuracy of the visit report parser on the corpus (tests/fixtures/visit_reports):
// for each field, how many cases that state it came out right. The corpus test requires all of
// them; this shows where the parser stands while the corpus or the parser changes.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <string>

#include "config/config_loader.hpp"
#include "tests/support/report_corpus.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Per-field accuracy of the visit report parser on the corpus"};
    bool misses = false;
    std::string fixtures = std::string(LEDGERBOT_SOURCE_DIR) + "/tests/fixtures/visit_reports";
    app.add_flag("--misses", misses, "List every field that came out wrong");
    app.add_option("--fixtures", fixtures, "The corpus folder (cases/ and directory.json)");
    CLI11_PARSE(app, argc, argv);

    namespace corpus = ledgerbot::testing::report_corpus;
    const auto settings = ledgerbot::config::load_default_settings().engine.report;
    const auto directory = corpus::directory(fixtures);
    const auto cases = corpus::load(fixtures);

    struct Tally {
        int right = 0;
        int total = 0;
    };
    std::map<std::string, Tally> fields;
    Tally all;
    int cases_right = 0;
    for (const auto& c : cases) {
        bool case_right = true;
        for (const auto& result : corpus::score(c, directory, settings)) {
            Tally& tally = fields[result.field];
            ++tally.total;
            ++all.total;
            if (result.right) {
                ++tally.right;
                ++all.right;
            } else {
                case_right = false;
                if (misses) {
                    std::printf("%s  %s: expected '%s', got '%s'\n", c.name.c_str(),
                                result.field.c_str(), result.expected.c_str(),
                                result.actual.c_str());
                }
            }
        }
        cases_right += case_right ? 1 : 0;
    }
    std::printf("%-12s %8s %8s %9s\n", "field", "right", "stated", "accuracy");
    for (const auto& [field, tally] : fields) {
        std::printf("%-12s %8d %8d %8.1f%%\n", field.c_str(), tally.right, tally.total,
                    100.0 * tally.right / tally.total);
    }
    std::printf("%-12s %8d %8d %8.1f%%\n", "all fields", all.right, all.total,
                100.0 * all.right / all.total);
    std::printf("%-12s %8d %8zu %8.1f%%\n", "whole cases", cases_right, cases.size(),
                100.0 * cases_right / static_cast<double>(cases.size()));
    return 0;
}
