#include "bot/platform_identity.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using ledgerbot::bot::address_on_platform;
using ledgerbot::bot::with_staff_ids;
using namespace ledgerbot::bot::model;

namespace {

Directory wechat_directory() {
    StaffMember zhangsan{"zhangsan", "张三", "市场发展部", {"客户经理"}};
    zhangsan.wechat_id = "wxid_zs01";
    StaffMember zhouba{"zhouba", "周八", "合规风控部", {"合规"}};  // no WeChat id
    return Directory({}, {zhangsan, zhouba});
}

Person someone(std::string id, bool external = false) {
    return Person{std::move(id), "", "", external, 0};
}

}  // namespace

TEST_CASE("People on the generic adapter are staff by their WeChat id, everyone else external",
          "[identity]") {
    const Directory directory = wechat_directory();
    InboundEvent event;
    event.source = "generic";
    event.type = EventType::group_snapshot;
    event.chat.owner_id = "wxid_zs01";
    event.sender = someone("wxid_zs01", true);  // a bridge that guessed wrong is corrected
    event.members = {someone("zhouba"), someone("wxid_wang"), someone("wxid_zs01")};
    event.by = someone("wxid_bot");

    const InboundEvent seen = with_staff_ids(event, directory);
    CHECK(seen.sender.id == "zhangsan");
    CHECK_FALSE(seen.sender.external);
    CHECK(seen.chat.owner_id == "zhangsan");
    REQUIRE(seen.members.size() == 3);
    CHECK(seen.members[0].id == "zhouba");
    CHECK_FALSE(seen.members[0].external);
    CHECK(seen.members[1].id == "wxid_wang");
    CHECK(seen.members[1].external);  // WeChat cannot say: not in the directory means outside
    CHECK(seen.members[2].id == "zhangsan");
    CHECK(seen.by->external);

    // An unknown sender of a message is not made external: they are answered (maybe staff whose
    // WeChat id is not imported yet), while as members they count as outside.
    InboundEvent message;
    message.source = "generic";
    message.type = EventType::message;
    message.sender = someone("wxid_new");
    message.members = {someone("wxid_new")};
    const InboundEvent said = with_staff_ids(message, directory);
    CHECK_FALSE(said.sender.external);
    CHECK(said.members[0].external);

    // WeCom's own ids and flags are left as the adapter gave them.
    event.source = "wecom-app";
    CHECK(with_staff_ids(event, directory) == event);
}

TEST_CASE("Notices to people on the generic adapter go to their WeChat id", "[identity]") {
    const Directory directory = wechat_directory();
    std::vector<Notice> notices(4);
    notices[0].target = NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""};
    notices[1].target = NoticeTarget{"generic", NoticeTarget::Kind::user, "zhouba", ""};
    notices[2].target = NoticeTarget{"wecom-app", NoticeTarget::Kind::user, "zhangsan", ""};
    notices[3].target = NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""};
    notices[3].fields["remove_member"] = {{"id", "zhangsan"}, {"name", "张三"}};
    address_on_platform(notices, directory);
    CHECK(notices[0].target.id == "wxid_zs01");
    CHECK(notices[1].target.id == "zhouba");  // no WeChat id: as it was
    CHECK(notices[2].target.id == "zhangsan");
    CHECK(notices[3].target.id == "room-1");
    CHECK(notices[3].fields["remove_member"]["id"] == "wxid_zs01");
}

TEST_CASE("On the generic adapter a colleague's name is no identity", "[identity]") {
    using namespace ledgerbot::tests::playback;
    Playback playback;
    std::vector<Person> team = full_team();
    team.push_back(person("lisi", "李四", "李四-财务专员"));
    InboundEvent created_event = created(team);
    created_event.chat.bot_can_remove = true;
    playback.play(created_event);
    // Someone unknown who calls themselves 张三 (the owner) or 周八 (compliance) in WeChat.
    const Decision removal = playback.play(message("/移出 李四", "wxid_fake", "张三"));
    CHECK(notices_of(removal, "member_removal").empty());
    REQUIRE(notices_of(removal, "convention_command_refused").size() == 1);
    CHECK(notices_of(removal, "convention_command_refused")[0]->fields["not_allowed"] == true);
    const Decision group =
        playback.play(message("/建群 星河新材", "wxid_fake", "张三", ChatKind::direct));
    REQUIRE(notices_of(group, "convention_command_refused").size() == 1);
    CHECK(notices_of(group, "convention_command_refused")[0]->fields["not_staff"] == true);
    const Decision notice =
        playback.play(message("【风险提示】示例科技 材料不全", "wxid_fake2", "周八"));
    CHECK(notices_of(notice, "risk_notice_recorded").empty());
    REQUIRE(notices_of(notice, "risk_notice_refused").size() == 1);
    CHECK(playback.risks().empty());
}
