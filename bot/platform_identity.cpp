#include "bot/platform_identity.hpp"

#include <string>

namespace ledgerbot::bot {
namespace {

void identify(model::Person& person, const model::Directory& directory, bool unknown_external) {
    if (person.id.empty()) {
        return;
    }
    if (directory.find_staff(person.id) != nullptr) {
        person.external = false;
    } else if (const model::StaffMember* staff = directory.find_staff_by_wechat_id(person.id)) {
        person.id = staff->id;
        person.external = false;
    } else if (unknown_external) {
        person.external = true;
    }
}

std::string wechat_id_of(const std::string& id, const model::Directory& directory) {
    const model::StaffMember* staff = directory.find_staff(id);
    return staff != nullptr && !staff->wechat_id.empty() ? staff->wechat_id : id;
}

}  // namespace

model::InboundEvent with_staff_ids(model::InboundEvent event, const model::Directory& directory) {
    if (event.source != model::kGenericSource) {
        return event;
    }
    // Someone unknown who writes to the bot is still answered (told how to be added: they may
    // be staff whose WeChat id is not imported yet); as a member they count as outside.
    identify(event.sender, directory, event.type != model::EventType::message);
    for (model::Person& member : event.members) {
        identify(member, directory, true);
    }
    if (event.by) {
        identify(*event.by, directory, true);
    }
    if (const model::StaffMember* owner = directory.find_staff_by_wechat_id(event.chat.owner_id)) {
        event.chat.owner_id = owner->id;
    }
    return event;
}

void address_on_platform(std::vector<model::Notice>& notices, const model::Directory& directory) {
    for (model::Notice& notice : notices) {
        if (notice.target.channel != model::kGenericSource) {
            continue;
        }
        if (notice.target.kind == model::NoticeTarget::Kind::user) {
            notice.target.id = wechat_id_of(notice.target.id, directory);
        }
        if (auto remove = notice.fields.find("remove_member");
            remove != notice.fields.end() && remove->contains("id")) {
            (*remove)["id"] = wechat_id_of((*remove)["id"].get<std::string>(), directory);
        }
    }
}

}  // namespace ledgerbot::bot
