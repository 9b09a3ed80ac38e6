#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ledgerbot::bot::text {

/// Fields written as `label：value` (full- or half-width colon) in a command or a short
/// labelled message, with the labels per field from config.
struct LabelledFields {
    std::map<std::string, std::string> values;  ///< field → value
    std::string rest;                           ///< unlabelled text before the first label
};

/// `负责人：张三 方案：每月走访` → {owner: 张三, plan: 每月走访}. A value runs to the next label
/// (on the same line or the next); a label inside a longer one at the same place (比例 in
/// 完成比例) is not a label of its own.
LabelledFields labelled_fields(std::string_view text,
                               const std::map<std::string, std::vector<std::string>>& labels);

}  // namespace ledgerbot::bot::text
