#include "bot/reports/visit_evidence.hpp"
#include "bot/reply_routing.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "tests/bot/visit_fixtures.hpp"

namespace {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::text;
using namespace ledgerbot::bot::time;
using namespace ledgerbot::bot::model;
using namespace ledgerbot::bot::settings;
using namespace ledgerbot::bot::reports;
using namespace ledgerbot::bot::scoring;
using namespace ledgerbot::tests::visits;
using nlohmann::json;

}  // namespace

TEST_CASE("An image from the reporter in the same chat soon after the report is its evidence",
          "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const std::int64_t after = GENERATE(0, 1, 5 * kMinute, 10 * kMinute);
    INFO(after);
    const InboundEvent event = image(kReportedAt + after);

    const Decision decision = engine.handle(event, state);

    const auto attached = changes_of<EvidenceAttached>(decision);
    REQUIRE(attached.size() == 1);
    const Evidence& evidence = attached[0].evidence;
    CHECK(evidence.visit_number == 12);
    CHECK(evidence.channel == "generic");
    CHECK(evidence.event_id == event.id);
    CHECK(evidence.url == event.image->url);
    CHECK(evidence.media_id == "");
    CHECK(evidence.by_id == "wangwu");
    CHECK(evidence.at == event.time);

    const auto answers = notices_of(decision, "evidence_attached");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->target == reply_target(event));
    CHECK(answers[0]->fields.at("record_id") == "V12");
    CHECK(answers[0]->fields.at("count") == 1);
    // The image event carries only the sender's id; the answer names them as the directory does.
    CHECK(answers[0]->fields.at("by") == "王五");

    REQUIRE(decision.audit.size() == 1);
    CHECK(decision.audit[0].action == "visit.evidence_attached");
    CHECK(decision.audit[0].subject == "V12");
    CHECK(decision.audit[0].actor == "wangwu");
    CHECK(decision.audit[0].detail.at("how") == "after_report");
    CHECK(decision.changes.size() == 1);
}

TEST_CASE("An image that matches no record is left alone without an answer", "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    auto other_chat = image(kReportedAt + kMinute);
    other_chat.chat.id = "group-2";
    auto other_channel = image(kReportedAt + kMinute);
    other_channel.source = "wecom-bot";
    auto direct = image(kReportedAt + kMinute);
    direct.chat = Chat{"dm-wangwu", "", ChatKind::direct, "", 0};
    const auto [event, why] = GENERATE_COPY(table<InboundEvent, std::string>({
        {image(kReportedAt + 10 * kMinute + 1), "after the window"},
        {image(kReportedAt - 1), "before the report"},
        {image(kReportedAt + kMinute, "zhaoliu"), "from another sender, even a co-visitor"},
        {other_chat, "in another chat"},
        {other_channel, "through another channel"},
        {direct, "in a direct chat"},
        {image(kReportedAt + 2 * 24 * 3600, "wangwu", "见V99"),
         "quoting a record that does not exist"},
        {image(kReportedAt + 2 * 24 * 3600, "wangwu", "新款AV12样机"), "V12 inside a word"},
    }));
    INFO(why);

    CHECK(engine.handle(event, state).empty());
}

TEST_CASE("An image without any record in the ledger gets no answer", "[visits][evidence]") {
    const Engine engine(default_settings());
    const ledgerbot::tests::InMemoryState empty(ledgerbot::tests::demo_directory());
    CHECK(engine.handle(image(kReportedAt), empty).empty());
    CHECK(engine.handle(image(kReportedAt, "wangwu", "V12 通话记录"), empty).empty());
}

TEST_CASE("An image quoting a record id is attached to it at any time by those who may edit it",
          "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const auto [sender, caption] = GENERATE(table<std::string, std::string>({
        {"wangwu", "V12 通话记录"},
        {"zhaoliu", "补充证据 v-12"},
        {"zhangsan", "（V12）短信截图"},
        {"sunqi", "Ｖ１２"},
    }));
    InboundEvent event = image(kReportedAt + 3 * 24 * 3600, sender, caption);
    event.chat.id = "group-9";

    const Decision decision = engine.handle(event, state);

    const auto attached = changes_of<EvidenceAttached>(decision);
    REQUIRE(attached.size() == 1);
    CHECK(attached[0].evidence.visit_number == 12);
    CHECK(attached[0].evidence.by_id == sender);
    CHECK(decision.audit.at(0).detail.at("how") == "quoted");
    CHECK(notices_of(decision, "evidence_attached").size() == 1);
}

TEST_CASE("An image quoting a record its sender may not edit is refused with who may",
          "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();

    const Decision decision = engine.handle(image(kReportedAt + kMinute, "lisi", "V12"), state);

    CHECK(decision.changes.empty());
    const auto refusals = notices_of(decision, "visit_supplement_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->fields.at("not_allowed") == true);
    CHECK(refusals[0]->fields.at("evidence") == true);
    CHECK(refusals[0]->fields.at("record_id") == "V12");
    CHECK(refusals[0]->fields.at("reporter_name") == "王五");
}

TEST_CASE("Several images attach to one record and the answer counts them", "[visits][evidence]") {
    const Engine engine(default_settings());
    auto state = state_with_v12();

    for (std::int64_t n = 1; n <= 3; ++n) {
        const Decision decision = engine.handle(image(kReportedAt + n * kMinute), state);
        state.apply(decision);
        REQUIRE(notices_of(decision, "evidence_attached").size() == 1);
        CHECK(notices_of(decision, "evidence_attached")[0]->fields.at("count") == n);
    }
    CHECK(state.evidence_count(12) == 3);
    CHECK(state.evidence().size() == 3);
}

TEST_CASE("An image goes to the sender's latest record in the chat", "[visits][evidence]") {
    const Engine engine(default_settings());
    auto state = state_with_v12();
    VisitRecord later = record_v12();
    later.number = 14;
    later.reported_at = kReportedAt + 20 * kMinute;
    state.add_visit(later);
    VisitRecord elsewhere = record_v12();
    elsewhere.number = 15;
    elsewhere.chat_id = "group-2";
    elsewhere.reported_at = kReportedAt + 21 * kMinute;
    state.add_visit(elsewhere);

    const Decision decision = engine.handle(image(kReportedAt + 25 * kMinute), state);

    const auto attached = changes_of<EvidenceAttached>(decision);
    REQUIRE(attached.size() == 1);
    CHECK(attached[0].evidence.visit_number == 14);
}

TEST_CASE("A window of zero minutes turns the after-report rule off", "[visits][evidence]") {
    EngineSettings settings = default_settings();
    settings.report.evidence_window_seconds = 0;
    const Engine engine(settings);
    const auto state = state_with_v12();
    CHECK(engine.handle(image(kReportedAt + kMinute), state).empty());
    CHECK(changes_of<EvidenceAttached>(
              engine.handle(image(kReportedAt + kMinute, "wangwu", "V12"), state))
              .size() == 1);
}

TEST_CASE("A text message is never evidence", "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    CHECK(engine
              .handle(message("V12 的截图稍后发", "wangwu", "王五", ChatKind::group,
                              kReportedAt + kMinute),
                      state)
              .empty());
}

TEST_CASE("An image whose caption is itself a report is recorded as the report",
          "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    const InboundEvent event = image(kReportedAt + kMinute, "wangwu",
                                     "【走访记录】\n企业全称：星河新材\n走访方式：电话回访");

    const Decision decision = engine.handle(event, state);

    CHECK(changes_of<VisitRecordCreated>(decision).size() == 1);
    CHECK(changes_of<EvidenceAttached>(decision).empty());
}

TEST_CASE("/补充 V12 alone makes the author's next image in that chat V12's evidence",
          "[visits][evidence]") {
    const Engine engine(default_settings());
    auto state = state_with_v12();
    // Long after the report's window: an image alone would attach to nothing.
    const std::int64_t later = kReportedAt + 3 * 86400;
    CHECK(engine.handle(image(later - kMinute), state).empty());

    const Decision waiting =
        engine.handle(message("/补充 V12", "wangwu", "王五", ChatKind::group, later), state);
    const auto answers = notices_of(waiting, "evidence_awaited");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]->fields.at("record_id") == "V12");
    CHECK(answers[0]->fields.at("window_minutes") == 10);
    REQUIRE(changes_of<EvidenceAwaited>(waiting).size() == 1);
    state.apply(waiting);

    // Someone else's image, and the author's image in another chat, are not it.
    CHECK(engine.handle(image(later + kMinute, "zhaoliu"), state).empty());
    InboundEvent elsewhere = image(later + kMinute);
    elsewhere.chat.id = "another-chat";
    CHECK(engine.handle(elsewhere, state).empty());

    const Decision attached = engine.handle(image(later + 2 * kMinute), state);
    const auto evidence = changes_of<EvidenceAttached>(attached);
    REQUIRE(evidence.size() == 1);
    CHECK(evidence[0].evidence.visit_number == 12);
    // The window closes as after a report.
    CHECK(engine.handle(image(later + 11 * kMinute), state).empty());
}

TEST_CASE(
    "A fetched evidence image's hash goes into the audit trail; one that could not be "
    "fetched stops counting and its author is asked to post it again",
    "[visits][evidence]") {
    const Engine engine(default_settings());
    const auto state = state_with_v12();
    InboundEvent fetched;
    fetched.id = "evidence:7:fetched";
    fetched.source = std::string(kEvidenceSource);
    fetched.type = EventType::evidence_fetched;
    fetched.time = kReportedAt + kMinute;
    fetched.evidence =
        EvidenceFetch{7,    12,          "wangwu", "generic", "chat-1", false, std::string(64, 'a'),
                      2048, "image/png", 640,      480,       "",       ""};

    const Decision stored = engine.handle(fetched, state);
    REQUIRE(changes_of<EvidenceFetchRecorded>(stored).size() == 1);
    CHECK(stored.notices.empty());
    REQUIRE(stored.audit.size() == 1);
    CHECK(stored.audit[0].action == "visit.evidence_stored");
    CHECK(stored.audit[0].subject == "V12");
    CHECK(stored.audit[0].detail.at("sha256") == std::string(64, 'a'));

    InboundEvent failed = fetched;
    failed.id = "evidence:7:failed";
    failed.evidence = EvidenceFetch{7,
                                    12,
                                    "wangwu",
                                    "wecom-bot",
                                    "chat-1",
                                    false,
                                    "",
                                    0,
                                    "",
                                    0,
                                    0,
                                    "expired",
                                    "the download URL answered 403"};
    const Decision lost = engine.handle(failed, state);
    REQUIRE(changes_of<EvidenceFetchRecorded>(lost).size() == 1);
    REQUIRE(lost.audit.size() == 1);
    CHECK(lost.audit[0].action == "visit.evidence_unavailable");
    CHECK(lost.audit[0].detail.at("error") == "the download URL answered 403");
    const auto notices = notices_of(lost, "evidence_unavailable");
    REQUIRE(notices.size() == 1);
    CHECK(notices[0]->target.id == "wangwu");
    CHECK(notices[0]->target.kind == NoticeTarget::Kind::user);
    // The intelligent bot cannot write to one person: the WeCom app does.
    CHECK(notices[0]->target.channel == default_settings().routing.direct_channel_for("wecom-bot"));
    CHECK(notices[0]->fields.at("expired") == true);
    CHECK(notices[0]->fields.at("in_group") == true);
}

TEST_CASE("An image for a withdrawn record is not attached; its sender is told it was withdrawn",
          "[visits][evidence]") {
    const Engine engine(default_settings());
    auto state = state_with_v12();
    const Decision withdrawal = engine.handle(
        message("/撤回 V12 发错群了", "wangwu", "王五", ChatKind::group, kReportedAt + 2 * kMinute),
        state);
    REQUIRE(notices_of(withdrawal, "visit_withdrawn").size() == 1);
    state.apply(withdrawal);

    const auto [event, why] = GENERATE(table<InboundEvent, std::string>({
        {image(kReportedAt + 3 * kMinute), "posted within the window after the report"},
        {image(kReportedAt + 2 * 24 * 3600, "wangwu", "V12 通话记录"), "quoting V12 days later"},
        {image(kReportedAt + 4 * kMinute, "zhangsan", "（V12）短信截图"),
         "quoted by the account manager"},
    }));
    INFO(why);

    const Decision decision = engine.handle(event, state);

    CHECK(changes_of<EvidenceAttached>(decision).empty());
    CHECK(decision.audit.empty());
    const auto refusals = notices_of(decision, "visit_supplement_refused");
    REQUIRE(refusals.size() == 1);
    CHECK(refusals[0]->target == reply_target(event));
    CHECK(refusals[0]->fields.at("withdrawn") == true);
    CHECK(refusals[0]->fields.at("evidence") == true);
    CHECK(refusals[0]->fields.at("record_id") == "V12");
    CHECK(refusals[0]->fields.at("withdrawn_at") ==
          format_local_minutes(kReportedAt + 2 * kMinute));
}
