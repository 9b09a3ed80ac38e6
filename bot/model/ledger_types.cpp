#include "bot/model/ledger_types.hpp"

#include "bot/model/notice.hpp"

namespace ledgerbot::bot::model {

std::string visit_code(std::int64_t number) {
    return "V" + std::to_string(number);
}
std::string demand_code(std::int64_t number) {
    return "D" + std::to_string(number);
}
std::string briefing_code(std::int64_t number) {
    return "B" + std::to_string(number);
}

std::string_view to_string(NoticeTarget::Kind kind) {
    return kind == NoticeTarget::Kind::chat ? "chat" : "user";
}

}  // namespace ledgerbot::bot::model
