#include "adapters/wecom/group_snapshot.hpp"

#include <algorithm>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/hmac.hpp"
#include "adapters/wecom/app_callback.hpp"

namespace ledgerbot::adapters::wecom {

namespace {

// groupchat/get member_list[].type: 1 = enterprise member, 2 = external contact.
constexpr int kExternalContact = 2;

/// One string per group state: a JSON array (fixed field order, no whitespace, members sorted)
/// so that the same state always hashes the same, whatever order WeCom lists members in.
std::string canonical_content(const bot::model::InboundEvent& snapshot) {
    std::vector<const bot::model::Person*> members;
    members.reserve(snapshot.members.size());
    for (const auto& member : snapshot.members) {
        members.push_back(&member);
    }
    std::sort(members.begin(), members.end(),
              [](const bot::model::Person* a, const bot::model::Person* b) {
                  return std::tie(a->id, a->nickname, a->name, a->external, a->joined_at) <
                         std::tie(b->id, b->nickname, b->name, b->external, b->joined_at);
              });
    nlohmann::json member_rows = nlohmann::json::array();
    for (const bot::model::Person* member : members) {
        member_rows.push_back(nlohmann::json::array(
            {member->id, member->nickname, member->name, member->external, member->joined_at}));
    }
    const nlohmann::json content =
        nlohmann::json::array({snapshot.chat.name, snapshot.chat.owner_id, member_rows});
    // The strings come from a parsed JSON answer and are valid UTF-8; `replace` only makes
    // sure a hash can never throw.
    return content.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

bot::model::InboundEvent group_snapshot_event(const GroupChat& chat, std::int64_t now_seconds) {
    bot::model::InboundEvent event;
    event.source = std::string(kAppSource);
    event.type = bot::model::EventType::group_snapshot;
    event.time = now_seconds;
    event.chat = bot::model::Chat{chat.chat_id, chat.name, bot::model::ChatKind::group, chat.owner,
                                  chat.create_time};
    event.members.reserve(chat.members.size());
    for (const auto& member : chat.members) {
        event.members.push_back(
            bot::model::Person{member.userid, member.name, member.group_nickname,
                               member.type == kExternalContact, member.join_time});
    }
    event.by_self = false;
    event.id =
        std::string(kSnapshotIdPrefix) + chat.chat_id + ":" + sha256_hex(canonical_content(event));
    return event;
}

}  // namespace ledgerbot::adapters::wecom
