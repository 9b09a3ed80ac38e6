#pragma once

namespace ledgerbot::bot::reports {

/// What a chat message is to the report reader.
enum class MessageKind {
    other,   ///< small talk, a question, a command, another kind of message
    report,  ///< a visit that happened
    plan,  ///< a visit ahead: 明天去示例科技拜访王总, 12月8日上门调研 seen from Dec 5
    /// Reads as a visit that happened but names no company of the list (今天上午去了宁东能源化工
    /// 集团…): not recorded, and in a direct chat the author is told why.
    unlisted_report,
};

}  // namespace ledgerbot::bot::reports
