#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

namespace {

// A WeChat group the bot account owns: the bridge says so on its events.
InboundEvent created_by_bot(std::vector<Person> members, bool bot_can_remove = true) {
    InboundEvent event = created(std::move(members));
    event.chat.owner_id = "zhangsan";
    event.chat.bot_can_remove = bot_can_remove;
    return event;
}

std::vector<Person> team_with_lisi() {
    std::vector<Person> team = full_team();
    team.push_back(person("lisi", "李四", "李四-财务专员"));
    return team;
}

}  // namespace

TEST_CASE("/移出 by the owner has the bot remove the member, said in the group",
          "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    REQUIRE(playback.group().group.bot_can_remove);

    // Typed on a phone: full-width slash, no space before the name.
    const Decision decision = playback.play(message("／移出李四-财务专员", "zhangsan", "张三"));
    const auto removals = notices_of(decision, "member_removal");
    REQUIRE(removals.size() == 1);
    CHECK(removals[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""});
    CHECK(removals[0]->fields["remove_member"]["id"] == "lisi");
    CHECK(removals[0]->fields["in_group"] == true);
    CHECK(removals[0]->fields["by_name"] == "张三");
    CHECK(has_action(decision, "member.removal_requested"));
    // Nothing is recorded until WeChat reports the removal.
    CHECK(playback.group().member("lisi")->active());

    InboundEvent reported = group_event(EventType::member_left, kStart + 3 * kHour);
    reported.members = {person("lisi", "李四")};
    reported.leave_kind = "removed";
    reported.by = person("bot-self", "服务台账助手");
    const Decision recorded = playback.play(reported);
    CHECK(notices_of(recorded, "self_leave_violation").empty());
    CHECK(notices_of(recorded, "self_leave_confirm").empty());
    CHECK(playback.group().member("lisi")->left_how == LeftHow::removed);
    CHECK(playback.risks().empty());

    // Asked again once they are gone: told so, nothing sent to the bridge.
    const Decision again = playback.play(message("/移出 李四", "zhangsan", "张三"));
    CHECK(notices_of(again, "member_removal").empty());
    REQUIRE(notices_of(again, "convention_command_refused").size() == 1);
    CHECK(notices_of(again, "convention_command_refused")[0]->fields["member_gone"] == true);
    CHECK(notices_of(again, "convention_command_refused")[0]->fields["left_at"] ==
          "2026-07-01 13:00");
}

TEST_CASE("/移出 asked twice before WeChat reports the removal is carried out once",
          "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    InboundEvent first = message("/移出 李四", "zhangsan", "张三");
    REQUIRE(notices_of(playback.play(first), "member_removal").size() == 1);
    CHECK(playback.group().member("lisi")->removal_requested_at == first.time);

    // The department head asks too, a minute later, before WeChat reported the first.
    InboundEvent second = message("／移出 李四", "sunqi", "孙七");
    second.time = first.time + 60;
    const Decision again = playback.play(second);
    CHECK(notices_of(again, "member_removal").empty());
    REQUIRE(notices_of(again, "convention_command_refused").size() == 1);
    const auto& fields = notices_of(again, "convention_command_refused")[0]->fields;
    CHECK(fields["removal_pending"] == true);
    CHECK(fields["requested_at"] == "2026-07-01 12:00");
    CHECK_FALSE(has_action(again, "member.removal_requested"));

    // Nothing came back in ten minutes (the bridge failed): it may be asked again.
    InboundEvent later = message("/移出 李四", "zhangsan", "张三");
    later.time = first.time + 10 * 60;
    REQUIRE(notices_of(playback.play(later), "member_removal").size() == 1);
    CHECK(playback.group().member("lisi")->removal_requested_at == later.time);
}

namespace {

// What the outbox dispatcher stores when the bridge refuses `notice` for good.
InboundEvent refusal_of(const Notice& notice, const std::string& error) {
    InboundEvent event;
    event.id = "refused:7";
    event.source = "outbox";
    event.type = EventType::notice_refused;
    event.time = kStart + 3 * kHour;
    event.refused = ledgerbot::bot::model::RefusedNotice{
        7, notice.template_id, notice.fields, notice.target.channel, notice.target.id, error};
    return event;
}

}  // namespace

TEST_CASE("A /移出 the bridge refuses is told to whoever asked; the group is marked",
          "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    const Decision asked = playback.play(message("/移出 李四", "zhangsan", "张三"));
    REQUIRE(notices_of(asked, "member_removal").size() == 1);
    const Notice removal = *notices_of(asked, "member_removal")[0];

    const Decision told = playback.play(refusal_of(removal, "outbound POST answered HTTP 409"));
    const auto refused = notices_of(told, "member_removal_refused");
    REQUIRE(refused.size() == 1);
    // Asked in the group: told in the group.
    CHECK(refused[0]->target == removal.target);
    CHECK(refused[0]->fields["who"] == "李四");
    CHECK(refused[0]->fields["not_permitted"] == true);
    CHECK(refused[0]->fields["removed_command"] == "/已移出");
    CHECK(has_action(told, "member.removal_refused"));
    CHECK_FALSE(playback.group().group.bot_can_remove);
    CHECK(playback.group().member("lisi")->active());
    CHECK(playback.group().member("lisi")->removal_requested_at == 0);

    // Asked again at once: refused up front with how to do it by hand, nothing to the bridge.
    const Decision again = playback.play(message("/移出 李四", "zhangsan", "张三"));
    CHECK(notices_of(again, "member_removal").empty());
    REQUIRE(notices_of(again, "convention_command_refused").size() == 1);
    CHECK(notices_of(again, "convention_command_refused")[0]->fields["bot_cannot_remove"] == true);
}

TEST_CASE("A refused /移出 asked of the app is told to the asker directly",
          "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    const Decision asked =
        playback.play(message("/移出 示例科技 李四", "zhangsan", "张三", ChatKind::direct));
    const Notice removal = *notices_of(asked, "member_removal")[0];
    const Decision told = playback.play(refusal_of(removal, "outbound POST answered HTTP 404"));
    const auto refused = notices_of(told, "member_removal_refused");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
    CHECK(refused[0]->fields["not_permitted"] == false);
}

TEST_CASE("Other refused notices decide nothing", "[conventions][engine]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    Notice answer;
    answer.template_id = "visit_recorded";
    answer.target = NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""};
    answer.fields = {{"record_id", "V1"}};
    const Decision decision = playback.play(refusal_of(answer, "outbound POST answered HTTP 404"));
    CHECK(decision.notices.empty());
    CHECK(decision.group_changes.empty());
    CHECK(decision.audit.empty());
}

TEST_CASE("/移出 sent to the app names the company and is answered to the sender",
          "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    const Decision decision =
        playback.play(message("/移出 示例科技 李四", "zhangsan", "张三", ChatKind::direct));
    const auto removals = notices_of(decision, "member_removal");
    REQUIRE(removals.size() == 2);
    CHECK(removals[0]->target.id == "room-1");
    CHECK(removals[0]->fields.contains("remove_member"));
    CHECK(removals[1]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
    CHECK(removals[1]->fields["requested"] == true);
    CHECK_FALSE(removals[1]->fields.contains("remove_member"));
}

TEST_CASE("/移出 is refused where the bot cannot remove, for the owner, and for others",
          "[conventions][engine][commands]") {
    const auto refusal = [](const Decision& decision) {
        const auto refusals = notices_of(decision, "convention_command_refused");
        REQUIRE(refusals.size() == 1);
        CHECK(notices_of(decision, "member_removal").empty());
        return refusals[0]->fields;
    };
    SECTION("the bot does not own the group") {
        Playback playback;
        playback.play(created_by_bot(team_with_lisi(), false));
        const auto fields = refusal(playback.play(message("/移出 李四", "zhangsan", "张三")));
        CHECK(fields["bot_cannot_remove"] == true);
        CHECK(fields["removed_command"] == "/已移出");
        CHECK(fields["who"] == "李四");
    }
    SECTION("a group on a platform that never said (WeCom)") {
        Playback playback;
        playback.play(created(team_with_lisi()));
        CHECK(refusal(playback.play(
                  message("/移出 李四", "zhangsan", "张三")))["bot_cannot_remove"] == true);
    }
    SECTION("the owner") {
        Playback playback;
        playback.play(created_by_bot(team_with_lisi()));
        CHECK(refusal(playback.play(
                  message("/移出 张三", "sunqi", "孙七")))["owner_not_removable"] == true);
    }
    SECTION("someone who does not lead the project") {
        Playback playback;
        playback.play(created_by_bot(team_with_lisi()));
        CHECK(refusal(playback.play(message("/移出 王五", "lisi", "李四")))["not_allowed"] == true);
    }
    SECTION("nobody named, or nobody by that name") {
        Playback playback;
        playback.play(created_by_bot(team_with_lisi()));
        CHECK(refusal(playback.play(message("/移出", "zhangsan", "张三")))["usage_group"] == true);
        CHECK(refusal(playback.play(
                  message("/移出 赵六", "zhangsan", "张三")))["member_not_found"] == true);
    }
}

TEST_CASE("The bridge saying the bot no longer owns the group is kept", "[conventions][engine]") {
    Playback playback;
    playback.play(created_by_bot(team_with_lisi()));
    InboundEvent snapshot = group_event(EventType::group_snapshot, kStart + kHour);
    snapshot.members = team_with_lisi();
    snapshot.chat.bot_can_remove = false;
    playback.play(snapshot);
    CHECK_FALSE(playback.group().group.bot_can_remove);
    // An event that does not say keeps what was known.
    InboundEvent silent = group_event(EventType::group_snapshot, kStart + 2 * kHour);
    silent.members = team_with_lisi();
    playback.play(silent);
    CHECK_FALSE(playback.group().group.bot_can_remove);
}

TEST_CASE("Where the bot account owns the group, the account manager acts as its owner",
          "[conventions][engine]") {
    Playback playback;
    std::vector<Person> members = team_with_lisi();
    members.push_back(person("bot-self", "服务台账助手", "", true));
    InboundEvent event = created_by_bot(members);
    event.chat.owner_id = "bot-self";
    playback.play(event);
    REQUIRE(playback.group().group.owner_id == "bot-self");

    // 孙七 (the department head) closes 李四's stage: the account manager 张三 is told, and told
    // to use /移出, not the bot account.
    const Decision done = playback.play(message("/阶段完成 李四", "sunqi", "孙七"));
    const auto told = notices_of(done, "stage_done_recorded");
    REQUIRE(told.size() == 2);
    CHECK(told[1]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "zhangsan", ""});
    CHECK(told[1]->fields["owner_name"] == "张三");
    CHECK(told[1]->fields["remove_command"] == "/移出");
    // The bot account itself cannot be removed.
    const Decision self = playback.play(message("/移出 服务台账助手", "zhangsan", "张三"));
    REQUIRE(notices_of(self, "convention_command_refused").size() == 1);
    CHECK(notices_of(self, "convention_command_refused")[0]->fields["owner_not_removable"] == true);
}
