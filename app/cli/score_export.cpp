#include "app/cli/score_export.hpp"

#include "bot/scoring/score_fields.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::app::cli {
namespace {

std::vector<std::string> lines_of(const templates::Renderer& renderer, const char* id) {
    std::vector<std::string> out;
    for (const auto& line : bot::text::split_lines(renderer.render(id, {}))) {
        if (!bot::text::trim(line).empty()) {
            out.push_back(bot::text::trim(line));
        }
    }
    return out;
}

}  // namespace

std::vector<std::vector<std::string>> score_table_cells(const nlohmann::json& attachment,
                                                        const templates::Renderer& renderer) {
    std::vector<std::string> words = lines_of(renderer, "score_columns");
    const std::string total_word = words.back();
    words.pop_back();
    std::vector<std::vector<std::string>> table{words};
    for (const auto& row : attachment.at("rows")) {
        table.push_back(row.get<std::vector<std::string>>());
    }
    const auto& totals = attachment.at("totals");
    table.push_back({total_word, "", "", "", totals.at(0), totals.at(1), totals.at(2)});
    return table;
}

std::vector<std::vector<std::string>> ranking_table(const bot::scoring::Ranking& ranking,
                                                    const templates::Renderer& renderer) {
    std::vector<std::string> words = lines_of(renderer, "ranking_columns");
    const std::string line_word = words.back();
    words.pop_back();
    const std::string department_word = words.back();
    words.pop_back();
    std::vector<std::vector<std::string>> table{words};
    const auto add = [&](const std::vector<bot::scoring::RankEntry>& entries,
                         const std::string& kind) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            table.push_back({kind, std::to_string(i + 1), e.name, e.director,
                             bot::scoring::format_points(e.truthfulness),
                             bot::scoring::format_points(e.quality),
                             bot::scoring::format_points(e.total())});
        }
    };
    add(ranking.departments, department_word);
    add(ranking.lines, line_word);
    return table;
}

}  // namespace ledgerbot::app::cli
