#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "bot/model/directory.hpp"
#include "tests/support/report_corpus.hpp"

/// Fixtures shared by the visit report tests: the qualified list they parse against and the
/// corpus files under tests/fixtures/visit_reports/.
namespace ledgerbot::testing {

inline std::filesystem::path visit_report_fixtures() {
    return std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "tests" / "fixtures" / "visit_reports";
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read fixture " + path.string());
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

inline bot::model::Directory visit_report_directory() {
    return report_corpus::directory(visit_report_fixtures());
}

}  // namespace ledgerbot::testing
