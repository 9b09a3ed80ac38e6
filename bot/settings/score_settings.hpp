#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bot/model/notice.hpp"
#include "bot/settings/scoring_rules.hpp"

namespace ledgerbot::bot::settings {

/// A business line (条线): its departments and the director who reviews its weekly table.
struct ScoreLineSettings {
    std::string name;
    std::string director_id;  ///< staff id of the 条线业务总监
    std::vector<std::string> departments;
};

/// The scoring process around the points (第十七条 考核规则, 第十八条): who reviews which line,
/// the command words, where the Monday table is published.
struct ScoreSettings {
    ScoringRules rules;
    std::vector<ScoreLineSettings> lines;
    std::vector<std::string> check_commands;  ///< 核查: /核查 V12 不准确 原因…
    std::vector<std::string> review_commands;  ///< 复核: /复核 通过, /复核 作废 V12 原因…
    std::vector<std::string> score_commands;    ///< 积分: /积分, /积分 V12
    std::vector<std::string> table_commands;    ///< 积分表: /积分表 [2026-W47] [条线]
    std::vector<std::string> inaccurate_words;  ///< 不准确
    std::vector<std::string> omission_words;    ///< 遗漏
    std::vector<std::string> approve_words;     ///< 通过
    std::vector<std::string> void_words;        ///< 作废
    /// Titles that may spot-check and void any record (业务总监或上级领导), besides each line's
    /// director for the line's records.
    std::vector<std::string> reviewer_titles;
    /// Internal groups the Monday table goes to. Each must be a group without external members;
    /// the engine checks the registry and refuses any other.
    std::vector<model::NoticeTarget> publish_to;
    /// One posted part of a table stays under this many bytes (WeCom: 2048 for app text and
    /// markdown); longer tables are split by rows with the header repeated.
    std::size_t message_max_bytes = 2048;
    /// `/复核 通过` reaches back at most this many weeks before the current one.
    int review_window_weeks = 4;
};

}  // namespace ledgerbot::bot::settings
