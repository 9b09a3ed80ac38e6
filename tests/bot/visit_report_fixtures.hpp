#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "bot/model/directory.hpp"

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
    const auto json = nlohmann::json::parse(read_file(visit_report_fixtures() / "directory.json"));
    std::vector<bot::model::Company> companies;
    for (const auto& entry : json.at("companies")) {
        bot::model::Company company;
        company.id = entry.at("id").get<std::int64_t>();
        company.full_name = entry.at("full_name").get<std::string>();
        company.short_names = entry.at("short_names").get<std::vector<std::string>>();
        company.industry = entry.at("industry").get<std::string>();
        companies.push_back(std::move(company));
    }
    return bot::model::Directory(std::move(companies), {});
}

}  // namespace ledgerbot::testing
