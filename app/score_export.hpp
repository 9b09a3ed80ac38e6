#pragma once

#include <string>
#include <vector>

#include "bot/score_sheet.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app {

/// Score rows as a table in the appendix's layout (templates/score_columns.mustache): 序号 /
/// 被走访企业（机构） / 责任部门 / 客户经理 / 真实性考核得分 / 质效考核得分 / 积分小计, then 合计.
std::vector<std::vector<std::string>> score_table(const std::vector<bot::ScoreRow>& rows,
                                                  const templates::Renderer& renderer);

/// The annual ranking as a table (templates/ranking_columns.mustache): departments, then lines.
std::vector<std::vector<std::string>> ranking_table(const bot::Ranking& ranking,
                                                    const templates::Renderer& renderer);

}  // namespace ledgerbot::app
