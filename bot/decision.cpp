#include "bot/decision.hpp"

#include <iterator>

namespace ledgerbot::bot {
namespace {

template <typename T>
void move_append(std::vector<T>& to, std::vector<T>& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

void Decision::append(Decision other) {
    move_append(changes, other.changes);
    move_append(group_changes, other.group_changes);
    move_append(score_changes, other.score_changes);
    move_append(maintenance, other.maintenance);
    move_append(notices, other.notices);
    move_append(audit, other.audit);
}

}  // namespace ledgerbot::bot
