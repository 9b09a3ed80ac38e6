#include "bot/conventions/convention_engine.hpp"

#include <catch2/catch.hpp>

#include "tests/bot/playback.hpp"

using namespace ledgerbot::tests::playback;

TEST_CASE("A correctly named group with its first members is registered and left in peace",
          "[conventions][engine]") {
    Playback playback;
    const Decision decision = playback.play(created(full_team()));

    CHECK(decision.notices.empty());
    CHECK(actions(decision) == std::vector<std::string>{"group.registered"});
    const GroupView view = playback.group();
    CHECK(view.group.kind == GroupKind::project);
    CHECK(view.group.company_id == std::optional<std::int64_t>{1});
    CHECK(view.group.owner_id == "zhangsan");
    CHECK(view.active_members().size() == 4);
    CHECK(playback.play(tick("conventions-check", kStart + 30 * kHour)).empty());
}

TEST_CASE("A group that is no project group is registered but never enforced",
          "[conventions][engine]") {
    Playback playback;
    CHECK(playback.play(created({person("zhangsan", "张三")}, "市场部周报群")).notices.empty());
    CHECK(playback.group().group.kind == GroupKind::unrelated);
    InboundEvent left = group_event(EventType::member_left, kStart + kHour, "市场部周报群");
    left.members = {person("zhangsan", "张三")};
    left.by_self = true;
    const Decision decision = playback.play(left);
    CHECK(decision.notices.empty());
    CHECK(decision.audit.empty());
    CHECK(playback.play(tick("conventions-check", kStart + 30 * kHour)).empty());
}

TEST_CASE("A misnamed project group: the owner is told the exact name, then compliance",
          "[conventions][engine]") {
    Playback playback;
    const Decision first = playback.play(created(full_team(), "示例科技服务项目群"));

    const auto reminders = notices_of(first, "group_name_reminder");
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]->target == kOwnerDm);
    CHECK(reminders[0]->fields["expected_name"] == kProjectName);
    CHECK(reminders[0]->fields["wrong_suffix"] == true);
    CHECK(reminders[0]->fields["deadline"] == "2026-07-02 10:00");
    CHECK(has_action(first, "convention.group_name_reminded"));

    // The same wrong name again is not a second reminder; the grace period runs from the first.
    InboundEvent same = group_event(EventType::group_renamed, kStart + kHour, "示例科技服务项目群");
    CHECK(notices_of(playback.play(same), "group_name_reminder").empty());
    CHECK(
        notices_of(playback.play(tick("conventions-check", kStart + 23 * kHour)), "group_name_risk")
            .empty());

    const Decision late = playback.play(tick("conventions-check", kStart + 24 * kHour));
    const auto risks = notices_of(late, "group_name_risk");
    REQUIRE(risks.size() == 1);
    CHECK(risks[0]->target == kComplianceDm);
    CHECK(risks[0]->fields["reminded_at"] == "2026-07-01 10:00");
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{{"group_name", true}});
    CHECK(
        notices_of(playback.play(tick("conventions-check", kStart + 25 * kHour)), "group_name_risk")
            .empty());

    const Decision fixed =
        playback.play(group_event(EventType::group_renamed, kStart + 26 * kHour));
    CHECK(fixed.notices.empty());
    CHECK(has_action(fixed, "group.name_fixed"));
    CHECK(has_action(fixed, "risk.closed"));
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{{"group_name", false}});
    CHECK(playback.group().group.kind == GroupKind::project);
}

TEST_CASE("Renaming a project group to something unrelated does not switch the rules off",
          "[conventions][engine]") {
    Playback playback;
    playback.play(created(full_team()));
    const Decision renamed =
        playback.play(group_event(EventType::group_renamed, kStart + kHour, "周末聚餐"));
    const auto reminders = notices_of(renamed, "group_name_reminder");
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]->fields["expected_name"] == kProjectName);
    CHECK(playback.group().group.enforced());
}

TEST_CASE("Missing first members: a reminder to the owner, then a risk after the grace period",
          "[conventions][engine]") {
    Playback playback;
    CHECK(playback.play(created({person("zhangsan", "张三", "张三-项目负责人")})).notices.empty());
    CHECK(playback.play(tick("conventions-check", kStart + kHour / 2)).empty());

    const Decision reminded = playback.play(tick("conventions-check", kStart + kHour));
    const auto reminders = notices_of(reminded, "first_members_reminder");
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]->target == kOwnerDm);
    CHECK(reminders[0]->fields["deadline"] == "2026-07-02 10:00");
    const auto& missing = reminders[0]->fields["missing"];
    REQUIRE(missing.size() == 3);
    CHECK(missing[0]["executor"] == true);
    CHECK(missing[1]["department_head"] == true);
    CHECK(missing[1]["candidates"] == "孙七");
    CHECK(missing[2]["compliance"] == true);
    CHECK(missing[2]["candidates"] == "周八");
    CHECK(playback.play(tick("conventions-check", kStart + 2 * kHour)).empty());

    // 孙七 joins in time; the executor and compliance do not.
    InboundEvent joined = group_event(EventType::member_joined, kStart + 3 * kHour);
    joined.members = {person("sunqi", "孙七", "孙七项目顾问")};
    CHECK(playback.play(joined).notices.empty());

    const Decision risk = playback.play(tick("conventions-check", kStart + 24 * kHour));
    const auto risks = notices_of(risk, "first_members_risk");
    REQUIRE(risks.size() == 1);
    CHECK(risks[0]->target == kComplianceDm);
    CHECK(risks[0]->fields["missing"].size() == 2);
    CHECK(risks[0]->fields["grace_hours"] == 24);
    // The compliance gap is in that notice; the register also keeps it open on its own.
    CHECK(notices_of(risk, "compliance_missing_risk").empty());
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{
                                  {"first_members", true}, {"compliance_missing", true}});

    InboundEvent compliance = group_event(EventType::member_joined, kStart + 25 * kHour);
    compliance.members = {person("zhouba", "周八", "周八-合规质效督办")};
    const Decision closed = playback.play(compliance);
    CHECK(closed.notices.empty());
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{
                                  {"first_members", true}, {"compliance_missing", false}});

    InboundEvent executor = group_event(EventType::member_joined, kStart + 26 * kHour);
    executor.members = {person("wangwu", "王五", "王五 项目专员1")};
    playback.play(executor);
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{
                                  {"first_members", false}, {"compliance_missing", false}});
}

TEST_CASE("A project group that loses its compliance member is an open risk at once",
          "[conventions][engine]") {
    Playback playback;
    playback.play(created(full_team()));
    InboundEvent removed = group_event(EventType::member_left, kStart + 30 * kHour);
    removed.members = {person("zhouba", "周八")};
    const Decision decision = playback.play(removed);

    const auto risks = notices_of(decision, "compliance_missing_risk");
    REQUIRE(risks.size() == 1);
    CHECK(risks[0]->target == kComplianceDm);
    CHECK(risks[0]->fields["compliance_role"] == "合规质效督办");
    CHECK(risks[0]->fields["candidates"] == "周八");
    // The specific notice only: the other first members are all there.
    CHECK(notices_of(decision, "first_members_risk").empty());
    // Compliance's own departure was removal by the owner, not a violation.
    CHECK(notices_of(decision, "self_leave_violation").empty());
    CHECK(playback.risks() ==
          std::vector<std::pair<std::string, bool>>{{"compliance_missing", true}});
}

TEST_CASE("Leaving on one's own is a violation for the owner and compliance; removal is not",
          "[conventions][engine]") {
    Playback playback;
    playback.play(created(full_team()));

    InboundEvent left = group_event(EventType::member_left, kStart + 5 * kHour);
    left.members = {person("wangwu", "王五")};
    left.by_self = true;
    const Decision violation = playback.play(left);
    const auto notices = notices_of(violation, "self_leave_violation");
    REQUIRE(notices.size() == 2);
    CHECK(notices[0]->target == kOwnerDm);
    CHECK(notices[1]->target == kComplianceDm);
    CHECK(notices[0]->fields["member_name"] == "王五");
    CHECK(notices[0]->fields["left_at"] == "2026-07-01 15:00");
    CHECK(has_action(violation, "convention.self_leave"));
    CHECK(playback.group().member("wangwu")->left_how == LeftHow::self);

    InboundEvent rejoined = group_event(EventType::member_joined, kStart + 6 * kHour);
    rejoined.members = {person("wangwu", "王五", "王五 项目专员1")};
    playback.play(rejoined);
    InboundEvent removed = group_event(EventType::member_left, kStart + 7 * kHour);
    removed.members = {person("wangwu", "王五")};
    const Decision removal = playback.play(removed);
    CHECK(notices_of(removal, "self_leave_violation").empty());
    CHECK(has_action(removal, "member.removed"));
    CHECK(playback.group().member("wangwu")->left_how == LeftHow::removed);
}

TEST_CASE("Supervisors and members whose stage is done may leave on their own",
          "[conventions][engine]") {
    Playback playback;
    std::vector<Person> team = full_team();
    team.push_back(person("zhengshi", "郑十", "郑十项目顾问"));  // a line director
    playback.play(created(team));

    InboundEvent director = group_event(EventType::member_left, kStart + kHour);
    director.members = {person("zhengshi", "郑十")};
    director.by_self = true;
    const Decision supervised = playback.play(director);
    CHECK(supervised.notices.empty());
    CHECK(supervised.audit.front().detail["exempt"] == "supervisor");

    const Decision done = playback.play(message("/阶段完成 王五", "zhangsan", "张三"));
    InboundEvent left = group_event(EventType::member_left, kStart + 3 * kHour);
    left.members = {person("wangwu", "王五")};
    left.by_self = true;
    const Decision after_stage = playback.play(left);
    CHECK(notices_of(after_stage, "self_leave_violation").empty());
    CHECK(after_stage.audit.front().detail["exempt"] == "stage_done");
}

TEST_CASE("Nicknames: a reminder the evening of the join day, a risk the next morning",
          "[conventions][engine]") {
    Playback playback;
    playback.play(created(full_team()));
    InboundEvent joined = group_event(EventType::member_joined, kStart + 4 * kHour);
    joined.members = {person("lisi", "李四", "李四"), person("ext-wang", "王总", "王总", true)};
    playback.play(joined);
    InboundEvent late = group_event(EventType::member_joined, kStart + 11 * kHour);  // 21:00
    late.members = {person("zhaoliu", "赵六", "")};
    playback.play(late);

    const Decision evening = playback.play(tick("nickname-evening", kStart + 10 * kHour));
    const auto reminders = notices_of(evening, "nickname_reminder");
    // Only 李四: the external member is not checked by default and 赵六 joined after 20:00.
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::user, "lisi", ""});
    CHECK(reminders[0]->fields["missing_role"] == true);
    CHECK(reminders[0]->fields["expected_example"] == "李四-项目负责人");
    CHECK(reminders[0]->fields["deadline"] == "2026-07-02 09:00");
    CHECK(notices_of(playback.play(tick("nickname-evening", kStart + 10 * kHour + 60)),
                     "nickname_reminder")
              .empty());

    const Decision morning = playback.play(tick("nickname-morning", kStart + 23 * kHour));
    const auto risks = notices_of(morning, "nickname_risk");
    REQUIRE(risks.size() == 1);
    CHECK(risks[0]->target == kComplianceDm);
    CHECK(risks[0]->fields["member_name"] == "李四");
    CHECK(risks[0]->fields["reminded_at"] == "2026-07-01 20:00");
    CHECK(notices_of(playback.play(tick("nickname-morning", kStart + 23 * kHour + 60)),
                     "nickname_risk")
              .empty());

    // 赵六 gets his reminder the next evening; 李四 fixes his nickname and the risk closes.
    const Decision second_evening = playback.play(tick("nickname-evening", kStart + 34 * kHour));
    REQUIRE(notices_of(second_evening, "nickname_reminder").size() == 1);
    CHECK(notices_of(second_evening, "nickname_reminder")[0]->fields["empty"] == true);
    InboundEvent fixed = group_event(EventType::nickname_changed, kStart + 35 * kHour);
    fixed.members = {person("lisi", "李四", "李四-财务专员")};
    const Decision closed = playback.play(fixed);
    CHECK(has_action(closed, "convention.nickname_fixed"));
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{{"nickname", false}});
}

TEST_CASE("A supervisor's nickname is reminded but never escalated", "[conventions][engine]") {
    Playback playback;
    std::vector<Person> team = full_team();
    team[3].nickname = "周八";
    playback.play(created(team));
    CHECK(notices_of(playback.play(tick("nickname-evening", kStart + 10 * kHour)),
                     "nickname_reminder")
              .size() == 1);
    CHECK(playback.play(tick("nickname-morning", kStart + 23 * kHour)).notices.empty());
}

TEST_CASE("A snapshot is diffed: joins, nickname changes, and departures by platform",
          "[conventions][engine]") {
    const bool wechat = GENERATE(true, false);
    Playback playback;
    playback.play(created(full_team()));

    InboundEvent snapshot = group_event(EventType::group_snapshot, kStart + 5 * kHour);
    snapshot.members = full_team();
    snapshot.members.erase(snapshot.members.begin() + 1);  // 王五 is gone
    snapshot.members[1].nickname = "孙七";                 // 孙七 dropped the role
    snapshot.members.push_back(person("lisi", "李四", "李四-财务专员"));
    snapshot.by_self = wechat;
    const Decision decision = playback.play(snapshot);

    const GroupView view = playback.group();
    CHECK(view.member("lisi")->active());
    CHECK(view.member("sunqi")->nickname == "孙七");
    CHECK_FALSE(view.member("wangwu")->active());
    if (wechat) {
        // WeChat raises no event for a self-leave: a disappearance is one.
        CHECK(view.member("wangwu")->left_how == LeftHow::self);
        CHECK(notices_of(decision, "self_leave_violation").size() == 2);
    } else {
        CHECK(view.member("wangwu")->left_how == LeftHow::unknown);
        CHECK(notices_of(decision, "self_leave_violation").empty());
        CHECK(has_action(decision, "member.gone"));
    }
    // An identical snapshot changes nothing.
    snapshot.id += "-again";
    snapshot.time += kHour;
    CHECK(playback.play(snapshot).empty());
}

TEST_CASE("WeCom customer groups are learnt from snapshots and their owners told directly",
          "[conventions][engine]") {
    Playback playback;
    // The callback says only that a group was created.
    InboundEvent create = group_event(EventType::group_created, kStart, "", "wecom-app");
    CHECK(playback.play(create).notices.empty());
    CHECK(playback.group("wecom-app").group.kind == GroupKind::unrelated);
    CHECK_FALSE(playback.group("wecom-app").group.can_post);

    InboundEvent snapshot =
        group_event(EventType::group_snapshot, kStart + 2, "示例科技专属群", "wecom-app");
    snapshot.chat.owner_id = "zhangsan";
    snapshot.members = full_team();
    const Decision decision = playback.play(snapshot);
    const auto reminders = notices_of(decision, "group_name_reminder");
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]->target ==
          NoticeTarget{"wecom-app", NoticeTarget::Kind::user, "zhangsan", ""});
}

TEST_CASE("A dismissed group closes its open risks and is no longer checked",
          "[conventions][engine]") {
    Playback playback;
    playback.play(created({person("zhangsan", "张三", "张三-项目负责人")}));
    playback.play(tick("conventions-check", kStart + 24 * kHour));
    REQUIRE(playback.risks().size() == 2);
    const Decision dismissed =
        playback.play(group_event(EventType::group_dismissed, kStart + 25 * kHour));
    CHECK(has_action(dismissed, "group.dismissed"));
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{
                                  {"first_members", false}, {"compliance_missing", false}});
    CHECK(playback.state().enforced_groups().empty());
}

TEST_CASE("Compliance risks go to a configured compliance group instead", "[conventions][engine]") {
    EngineSettings settings = default_settings();
    settings.routing.compliance_channel = "wecom-webhook";
    settings.routing.compliance_chat_id = "compliance";
    Playback playback(settings);
    playback.play(created(full_team()));
    InboundEvent left = group_event(EventType::member_left, kStart + kHour);
    left.members = {person("wangwu", "王五")};
    left.by_self = true;
    const auto notices = notices_of(playback.play(left), "self_leave_violation");
    REQUIRE(notices.size() == 2);
    CHECK(notices[1]->target ==
          NoticeTarget{"wecom-webhook", NoticeTarget::Kind::chat, "compliance", ""});
}

TEST_CASE("/阶段完成 by the owner or lead records the stage and asks the owner to remove",
          "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created(full_team()));

    // 孙七 heads the company's department: he may, and the owner is told too.
    const Decision decision = playback.play(message("/阶段完成 @王五", "sunqi", "孙七"));
    const auto answers = notices_of(decision, "stage_done_recorded");
    REQUIRE(answers.size() == 2);
    CHECK(answers[0]->target == NoticeTarget{"generic", NoticeTarget::Kind::chat, "room-1", ""});
    CHECK(answers[1]->target == kOwnerDm);
    CHECK(answers[0]->fields["member_name"] == "王五");
    CHECK(answers[0]->fields["owner_name"] == "张三");
    CHECK(playback.group().member("wangwu")->stage_done_at == kStart + 2 * kHour);
    CHECK(has_action(decision, "member.stage_done"));

    // By nickname, from the owner: one answer.
    CHECK(notices_of(playback.play(message("／阶段完结　周八-合规质效督办", "zhangsan", "张三")),
                     "stage_done_recorded")
              .size() == 1);
}

TEST_CASE("/阶段完成 is refused with the reason", "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created(full_team()));
    const auto [text, sender, problem] = GENERATE(table<std::string, std::string, std::string>({
        {"/阶段完成 王五", "wangwu", "not_allowed"},
        {"/阶段完成 钱十一", "zhangsan", "member_not_found"},
        {"/阶段完成", "zhangsan", "usage_group"},
    }));
    const Decision decision = playback.play(message(text, sender, ""));
    const auto refusals = notices_of(decision, "convention_command_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields[problem] == true);
    CHECK(decision.group_changes.empty());
    CHECK(playback.group().member("wangwu")->stage_done_at == 0);
}

TEST_CASE("/阶段完成 in a direct chat names the company", "[conventions][engine][commands]") {
    Playback playback;
    playback.play(created(full_team(), kProjectName, "generic"));
    const Decision decision =
        playback.play(message("/阶段完成 示例科技 王五", "zhangsan", "张三", ChatKind::direct));
    const auto answers = notices_of(decision, "stage_done_recorded");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->target.id == "zhangsan");
    CHECK(playback.group().member("wangwu")->stage_done_at != 0);

    const Decision unknown =
        playback.play(message("/阶段完成 不存在公司 王五", "zhangsan", "张三", ChatKind::direct));
    CHECK(notices_of(unknown, "convention_command_refused")[0]->fields["company_not_found"] ==
          true);
}

TEST_CASE("/建群 creates a correctly named group with its first members through the app",
          "[conventions][engine][commands]") {
    EngineSettings settings = default_settings();
    settings.routing.group_creation_channel = "wecom-app";
    Playback playback(settings);
    InboundEvent request = message("/建群 示例科技", "zhangsan", "张三", ChatKind::direct);
    request.source = "wecom-app";
    const Decision decision = playback.play(request);

    const auto welcome = notices_of(decision, "project_group_welcome");
    REQUIRE(welcome.size() == 1);
    CHECK(welcome[0]->target.channel == "wecom-app");
    CHECK(welcome[0]->target.kind == NoticeTarget::Kind::chat);
    const std::string chat_id = welcome[0]->target.id;
    CHECK(chat_id.size() == 18);
    CHECK(chat_id.rfind("lb", 0) == 0);
    const auto& create = welcome[0]->fields["create_chat"];
    CHECK(create["name"] == kProjectName);
    CHECK(create["owner"] == "zhangsan");
    // Owner, executor (王五 holds the executor title), department head, compliance.
    CHECK(create["userlist"] == nlohmann::json::array({"zhangsan", "wangwu", "sunqi", "zhouba"}));

    const auto answers = notices_of(decision, "group_create_answer");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields["created"] == true);
    CHECK(answers[0]->target.id == "zhangsan");

    // Registered as it was made: conforming, complete, never checked for nicknames it cannot see.
    const auto view = playback.state().group("wecom-app", chat_id);
    REQUIRE(view.has_value());
    CHECK(view->group.kind == GroupKind::project);
    CHECK_FALSE(view->group.tracks_nicknames);
    CHECK(view->active_members().size() == 4);
    CHECK(playback.play(tick("conventions-check", kStart + 30 * kHour)).empty());
    CHECK(playback.play(tick("nickname-evening", kStart + 10 * kHour)).empty());

    // The same request again (a retry with the same id) makes the same chat id.
    EngineSettings again_settings = settings;
    Playback again(again_settings);
    CHECK(notices_of(again.play(request), "project_group_welcome")[0]->target.id == chat_id);

    // A second /建群 for the company is refused: it has a group.
    InboundEvent second = message("/建群 宁夏示例科技有限公司", "lisi", "李四", ChatKind::direct);
    second.id = "another";
    const Decision refused = playback.play(second);
    const auto refusals = notices_of(refused, "convention_command_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields["group_exists"] == true);
}

TEST_CASE("/建群 without a platform that can create groups says how to do it by hand",
          "[conventions][engine][commands]") {
    Playback playback;
    const Decision decision =
        playback.play(message("/建群 示例科技", "zhangsan", "张三", ChatKind::direct));
    CHECK(decision.group_changes.empty());
    const auto answers = notices_of(decision, "group_create_answer");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields["created"] == false);
    CHECK(answers[0]->fields["group_name"] == kProjectName);
    CHECK(answers[0]->fields["members"].size() == 4);
}

TEST_CASE("/建群 is refused for strangers and unknown companies",
          "[conventions][engine][commands]") {
    Playback playback;
    const auto [text, sender, problem] = GENERATE(table<std::string, std::string, std::string>({
        {"/建群 示例科技", "stranger", "not_staff"},
        {"/建群 不存在的公司", "zhangsan", "company_not_found"},
        {"/建群", "zhangsan", "usage_create"},
    }));
    const Decision decision = playback.play(message(text, sender, "", ChatKind::direct));
    const auto refusals = notices_of(decision, "convention_command_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields[problem] == true);
}

TEST_CASE("A member gone without a word of how is asked about, and settled by the owner",
          "[conventions][engine]") {
    Playback playback;
    std::vector<Person> team = full_team();
    team.push_back(person("lisi", "李四", "李四-财务专员"));
    playback.play(created(team));

    // The WeChat bridge cannot tell how 王五 left: no violation, the owner is asked.
    InboundEvent gone = group_event(EventType::member_left, kStart + 5 * kHour);
    gone.members = {person("wangwu", "王五")};
    gone.leave_kind = "unknown";
    const Decision asked = playback.play(gone);
    CHECK(notices_of(asked, "self_leave_violation").empty());
    const auto questions = notices_of(asked, "self_leave_confirm");
    REQUIRE(questions.size() == 1);
    CHECK(questions[0]->target == kOwnerDm);
    CHECK(questions[0]->fields["member_name"] == "王五");
    CHECK(questions[0]->fields["confirm_command"] == "/确认退群");
    CHECK(questions[0]->fields["removed_command"] == "/已移出");
    CHECK(playback.group().member("wangwu")->left_how == LeftHow::unknown);
    CHECK(playback.risks().empty());

    // Someone who does not lead the project may not settle it.
    const Decision refused = playback.play(message("/确认退群 王五", "lisi", "李四"));
    REQUIRE(notices_of(refused, "convention_command_refused").size() == 1);
    CHECK(notices_of(refused, "convention_command_refused")[0]->fields.value("not_allowed", false));

    // The owner confirms a self-leave: the violation of 第九条（二） is recorded now.
    const Decision confirmed = playback.play(message("/确认退群 王五", "zhangsan", "张三"));
    CHECK(notices_of(confirmed, "self_leave_violation").size() == 2);
    REQUIRE(notices_of(confirmed, "departure_settled").size() == 1);
    CHECK(notices_of(confirmed, "departure_settled")[0]->fields.value("left_self", false));
    CHECK(has_action(confirmed, "member.self_leave_confirmed"));
    CHECK(has_action(confirmed, "convention.self_leave"));
    CHECK(playback.group().member("wangwu")->left_how == LeftHow::self);
    CHECK(playback.risks() == std::vector<std::pair<std::string, bool>>{{"self_leave", true}});

    // Settled once: asking again is refused, not recorded twice.
    const Decision again = playback.play(message("/确认退群 王五", "zhangsan", "张三"));
    REQUIRE(notices_of(again, "convention_command_refused").size() == 1);
    CHECK(
        notices_of(again, "convention_command_refused")[0]->fields.value("departure_known", false));
    CHECK(notices_of(again, "self_leave_violation").empty());

    // 李四 disappears from a snapshot; the owner says they removed him: no violation.
    InboundEvent snapshot = group_event(EventType::group_snapshot, kStart + 8 * kHour);
    snapshot.members = full_team();
    snapshot.members.erase(snapshot.members.begin() + 1);  // 王五 is gone already
    snapshot.leave_kind = "unknown";
    CHECK(notices_of(playback.play(snapshot), "self_leave_confirm").size() == 1);
    const Decision removed = playback.play(message("/已移出 李四", "zhangsan", "张三"));
    CHECK(notices_of(removed, "self_leave_violation").empty());
    REQUIRE(notices_of(removed, "departure_settled").size() == 1);
    CHECK(notices_of(removed, "departure_settled")[0]->fields.value("left_removed", false));
    CHECK(playback.group().member("lisi")->left_how == LeftHow::removed);
    CHECK(playback.risks().size() == 1);
}
