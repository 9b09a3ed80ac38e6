#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "adapters/http/hmac.hpp"
#include "adapters/wecom/group_snapshot.hpp"

using namespace ledgerbot;
using adapters::wecom::group_snapshot_event;
using adapters::wecom::GroupChat;
using adapters::wecom::GroupChatMember;

namespace {

GroupChatMember member(const std::string& userid, int type, const std::string& nickname,
                       const std::string& name, std::int64_t join_time) {
    GroupChatMember out;
    out.userid = userid;
    out.type = type;
    out.join_time = join_time;
    out.join_scene = 1;
    out.group_nickname = nickname;
    out.name = name;
    return out;
}

/// The protocol document's groupchat/get example (wecom-protocol.md §4.2).
GroupChat sales_group() {
    GroupChat chat;
    chat.chat_id = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA";
    chat.name = "销售客服群";
    chat.owner = "ZhuShengBen";
    chat.create_time = 1572505490;
    chat.notice = "文明沟通，拒绝脏话";
    chat.members = {
        member("abel", 1, "客服小张", "张三丰", 1572505491),
        member("wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", 2, "顾客老王", "王语嫣", 1572505491)};
    chat.admins = {"sam", "pony"};
    chat.member_version = "71217227bbd112ecfe3a49c482195cb4";
    return chat;
}

}  // namespace

TEST_CASE("SHA-256 hex matches the FIPS 180-2 \"abc\" vector", "[wecom]") {
    CHECK(adapters::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("A groupchat/get answer becomes a complete group_snapshot event", "[wecom]") {
    const bot::model::InboundEvent event = group_snapshot_event(sales_group(), 1700000000);

    CHECK(event.source == "wecom-app");
    CHECK(event.type == bot::model::EventType::group_snapshot);
    CHECK(event.time == 1700000000);
    CHECK(event.chat == bot::model::Chat{"wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", "销售客服群",
                                         bot::model::ChatKind::group, "ZhuShengBen", 1572505490});
    REQUIRE(event.members.size() == 2);
    CHECK(event.members[0] == bot::model::Person{"abel", "张三丰", "客服小张", false, 1572505491});
    CHECK(event.members[1] == bot::model::Person{"wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", "王语嫣",
                                                 "顾客老王", true, 1572505491});
    CHECK_FALSE(event.by_self);
    CHECK(event.sender == bot::model::Person{});
    CHECK_THAT(event.id, Catch::StartsWith("sync:wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA:"));
    CHECK(event.id.size() == std::string("sync:wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA:").size() + 64);
}

TEST_CASE("An unchanged group read again, at another time and in another order, has the same id",
          "[wecom]") {
    GroupChat again = sales_group();
    std::reverse(again.members.begin(), again.members.end());
    // Not part of the group's state as ledgerbot sees it.
    again.notice = "新公告";
    again.member_version = "another-version";
    again.admins.clear();
    again.members[0].join_scene = 3;
    again.members[0].invitor = "jack";

    CHECK(group_snapshot_event(again, 1800000000).id ==
          group_snapshot_event(sales_group(), 1700000000).id);
}

TEST_CASE("Any change to the group's name, owner or members gives a new snapshot id", "[wecom]") {
    const std::string original = group_snapshot_event(sales_group(), 1700000000).id;
    GroupChat changed = sales_group();
    const std::string what = GENERATE("name", "owner", "nickname", "member name", "external",
                                      "join time", "member left", "member joined", "chat id");
    if (what == std::string("name")) {
        changed.name = "销售客服群2";
    } else if (what == std::string("owner")) {
        changed.owner = "abel";
    } else if (what == std::string("nickname")) {
        changed.members[0].group_nickname = "客服小李";
    } else if (what == std::string("member name")) {
        changed.members[1].name = "王五";
    } else if (what == std::string("external")) {
        changed.members[0].type = 2;
    } else if (what == std::string("join time")) {
        changed.members[1].join_time += 60;  // left and came back between two reads
    } else if (what == std::string("member left")) {
        changed.members.pop_back();
    } else if (what == std::string("member joined")) {
        changed.members.push_back(member("lisi", 1, "", "李四", 1572600000));
    } else {
        changed.chat_id = "wrOtherGroup";
    }
    INFO(what);
    CHECK(group_snapshot_event(changed, 1700000000).id != original);
}
