#include "bot/model/group_kind.hpp"

namespace ledgerbot::bot::model {

std::string_view to_code(GroupKind kind) {
    switch (kind) {
        case GroupKind::project:
            return "project";
        case GroupKind::near_miss:
            return "near_miss";
        case GroupKind::unrelated:
            return "unrelated";
    }
    return "unknown";
}

}  // namespace ledgerbot::bot::model
