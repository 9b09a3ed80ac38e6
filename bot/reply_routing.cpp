#include "bot/reply_routing.hpp"

namespace ledgerbot::bot {

model::NoticeTarget reply_target(const model::InboundEvent& event) {
    model::NoticeTarget target;
    target.channel = event.source;
    if (event.chat.kind == model::ChatKind::direct) {
        target.kind = model::NoticeTarget::Kind::user;
        target.id = event.sender.id;
    } else {
        target.kind = model::NoticeTarget::Kind::chat;
        target.id = event.chat.id;
    }
    target.reply_handle = event.reply_handle;
    return target;
}

model::NoticeTarget confidential_reply_target(const model::InboundEvent& event,
                                              const std::optional<std::int64_t>& company_id,
                                              const State& state,
                                              const settings::NoticeRouting& routing) {
    if (event.chat.kind == model::ChatKind::group) {
        const auto group = state.group(event.source, event.chat.id);
        if (group && group->group.enforced() && group->group.company_id != company_id) {
            return model::NoticeTarget{routing.direct_channel_for(event.source),
                                       model::NoticeTarget::Kind::user, event.sender.id, ""};
        }
    }
    return reply_target(event);
}

model::NoticeTarget internal_reply_target(const model::InboundEvent& event,
                                          const std::optional<std::int64_t>& company_id,
                                          const State& state,
                                          const settings::NoticeRouting& routing) {
    if (event.chat.kind == model::ChatKind::group) {
        const auto group = state.group(event.source, event.chat.id);
        if (event.sender.external || (group && group->has_active_external_member())) {
            return model::NoticeTarget{routing.direct_channel_for(event.source),
                                       model::NoticeTarget::Kind::user, event.sender.id, ""};
        }
    }
    return confidential_reply_target(event, company_id, state, routing);
}

}  // namespace ledgerbot::bot
