#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/settings/report_settings.hpp"

/// The visit report corpus (tests/fixtures/visit_reports/): reading its case files and scoring
/// the parser field by field against them. Shared by the corpus test, which requires every
/// field right, and bench/report_accuracy, which prints the accuracy per field.
namespace ledgerbot::testing::report_corpus {

struct Case {
    std::string name;
    std::map<std::string, std::string> expect;
    std::string text;
};

/// The keys a case file may hold, and those every report case must give.
const std::vector<std::string>& known_keys();
const std::vector<std::string>& required_report_keys();

/// Reads one case file; throws std::runtime_error naming the file when it is malformed.
Case read_case(const std::filesystem::path& path);

/// Every tests/fixtures/visit_reports/cases/*.txt in name order.
std::vector<Case> load(const std::filesystem::path& fixtures);

/// The qualified list and staff the corpus is parsed against (directory.json).
bot::model::Directory directory(const std::filesystem::path& fixtures);

/// One field of one case: what the case file says and what the parser gave, both as text.
struct FieldResult {
    std::string field;  ///< a case key: kind, company, visit_time, …
    std::string expected;
    std::string actual;
    bool right = false;
};

/// Parses the case's message and compares every field its file states. `kind` (report / plan /
/// no) is always compared; the fields of a report only for report cases. Content and feedback
/// are compared without punctuation and white space.
std::vector<FieldResult> score(const Case& c, const bot::model::Directory& directory,
                               const bot::settings::ReportSettings& settings);

}  // namespace ledgerbot::testing::report_corpus
