#pragma once

#include <string>
#include <vector>

#include "bot/scoring/score_sheet.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::cli {

/// A score table attachment (bot::score_table_attachment) as cells in the appendix's layout
/// (templates/score_columns.mustache): 序号 / 被走访企业（机构） / 责任部门 / 客户经理 /
/// 真实性考核得分 / 质效考核得分 / 积分小计, then the 合计 row.
std::vector<std::vector<std::string>> score_table_cells(const nlohmann::json& attachment,
                                                        const templates::Renderer& renderer);

/// The annual ranking as a table (templates/ranking_columns.mustache): departments, then lines.
std::vector<std::vector<std::string>> ranking_table(const bot::scoring::Ranking& ranking,
                                                    const templates::Renderer& renderer);

}  // namespace ledgerbot::app::cli
