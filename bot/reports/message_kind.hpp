#pragma once

namespace ledgerbot::bot::reports {

/// What a chat message is to the report reader.
enum class MessageKind {
    other,   ///< small talk, a question, a command, another kind of message
    report,  ///< a visit that happened
    plan,  ///< a visit ahead: 明天去示例科技拜访王总, 12月8日上门调研 seen from Dec 5
};

}  // namespace ledgerbot::bot::reports
