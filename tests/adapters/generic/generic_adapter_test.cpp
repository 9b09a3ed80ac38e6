#include <catch2/catch.hpp>

#include <string>

#include "adapters/generic/generic_adapter.hpp"
#include "adapters/http/hmac.hpp"

using namespace ledgerbot;
using adapters::IngestError;
namespace generic = adapters::generic;

namespace {

constexpr std::int64_t kNow = 1795399200;
const std::string kSecret = "s3cret";

std::string report_body() {
    return R"({"id":"evt-1","type":"message","time":"2026-11-23T10:00:00+08:00",)"
           R"("chat":{"id":"g1","name":"宁夏示例科技有限公司服务项目专属服务群"},)"
           R"("sender":{"id":"zhangsan","name":"张三","nickname":"张三-项目负责人"},)"
           R"("text":"【走访记录】\n企业名称：示例科技"})";
}

generic::Decoded decode_signed(const std::string& body, std::int64_t timestamp = kNow) {
    const std::string ts = std::to_string(timestamp);
    const std::string signature = generic::sign(kSecret, ts, body);
    return generic::decode({ts, signature, body}, {kSecret, 300}, kNow);
}

}  // namespace

TEST_CASE("HMAC-SHA256 matches the RFC 4231 test case 2", "[generic]") {
    CHECK(adapters::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("a correctly signed message decodes into a normalized event", "[generic]") {
    auto decoded = decode_signed(report_body());
    REQUIRE(decoded);
    const bot::model::InboundEvent& event = decoded.value();
    CHECK(event.id == "evt-1");
    CHECK(event.source == "generic");
    CHECK(event.type == bot::model::EventType::message);
    CHECK(event.chat.id == "g1");
    CHECK(event.chat.kind == bot::model::ChatKind::group);
    CHECK(event.sender.nickname == "张三-项目负责人");
    CHECK(event.text.find("示例科技") != std::string::npos);
}

TEST_CASE("the event time is read as RFC 3339 with its offset", "[generic]") {
    auto decoded = decode_signed(report_body());
    REQUIRE(decoded);
    // 2026-11-23T10:00:00+08:00 is 2026-11-23T02:00:00Z.
    CHECK(decoded.value().time == 1795399200);
}

TEST_CASE("signatures and timestamps are checked before anything is parsed", "[generic]") {
    const std::string body = report_body();
    const std::string ts = std::to_string(kNow);
    const generic::Verifier verifier{kSecret, 300};

    SECTION("no headers") {
        auto r = generic::decode({"", "", body}, verifier, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == IngestError::missing_signature);
    }
    SECTION("a signature made with another secret") {
        auto r = generic::decode({ts, generic::sign("other", ts, body), body}, verifier, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == IngestError::bad_signature);
    }
    SECTION("a body changed after signing") {
        auto r =
            generic::decode({ts, generic::sign(kSecret, ts, body), body + " "}, verifier, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == IngestError::bad_signature);
    }
    SECTION("a signature without the sha256= prefix") {
        auto r =
            generic::decode({ts, generic::sign(kSecret, ts, body).substr(7), body}, verifier, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == IngestError::bad_signature);
    }
    SECTION("a timestamp that is not a number") {
        auto r =
            generic::decode({"12a", generic::sign(kSecret, "12a", body), body}, verifier, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == IngestError::bad_signature);
    }
}

TEST_CASE("a validly signed request outside the clock window is a replay", "[generic]") {
    auto [offset, accepted] = GENERATE(table<std::int64_t, bool>(
        {{0, true}, {300, true}, {-300, true}, {301, false}, {-301, false}, {86400, false}}));
    auto decoded = decode_signed(report_body(), kNow + offset);
    CHECK(static_cast<bool>(decoded) == accepted);
    if (!accepted) {
        CHECK(decoded.error().code == IngestError::stale_timestamp);
    }
}

TEST_CASE("bodies that are not UTF-8 JSON objects are refused with their reason", "[generic]") {
    auto [body, expected] = GENERATE(table<std::string, IngestError>({
        {std::string("{\"id\":\"\xC3\x28\"}"), IngestError::invalid_utf8},
        {std::string("\xEF\xBF"), IngestError::invalid_utf8},
        {std::string("{\"id\": "), IngestError::invalid_json},
        {std::string(""), IngestError::invalid_json},
        {std::string("[1,2]"), IngestError::schema_violation},
        {std::string("\"text\""), IngestError::schema_violation},
    }));
    auto decoded = decode_signed(body);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == expected);
}

TEST_CASE("schema violations name the offending field", "[generic]") {
    auto [body, field] = GENERATE(table<std::string, std::string>({
        {R"({"type":"message","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"sender":{"id":"u"},"text":"x"})",
         "id"},
        {R"({"id":"a","type":"shout","time":"2026-11-23T10:00:00Z","chat":{"id":"g"}})", "type"},
        {R"({"id":"a","type":"message","time":"yesterday","chat":{"id":"g"},"sender":{"id":"u"},"text":"x"})",
         "time"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","sender":{"id":"u"},"text":"x"})",
         "chat"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","chat":{"name":"n"},"sender":{"id":"u"},"text":"x"})",
         "chat.id"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"text":"x"})",
         "sender"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"sender":{"id":"u"}})",
         "text or image"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"sender":{"id":7},"text":"x"})",
         "sender.id"},
        {R"({"id":"a","type":"member_left","time":"2026-11-23T10:00:00Z","chat":{"id":"g"}})",
         "member"},
        {R"({"id":"a","type":"member_left","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"member":{"id":"u"},"by_self":"yes"})",
         "by_self"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","chat":{"id":"g","type":"channel"},"sender":{"id":"u"},"text":"x"})",
         "chat.type"},
        {R"({"id":"a","type":"member_left","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"member":{"id":"u"},"leave_kind":"maybe"})",
         "leave_kind"},
        {R"({"id":"a","type":"message","time":"2026-11-23T10:00:00Z","chat":{"id":"g"},"sender":{"id":"u"},"image":{}})",
         "image"},
    }));
    auto decoded = decode_signed(body);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == IngestError::schema_violation);
    CHECK_THAT(decoded.error().detail, Catch::Contains(field));
}

TEST_CASE("a correctly signed internal event from outside is refused: they are the service's own",
          "[generic]") {
    const std::string type = GENERATE(as<std::string>{}, "tick", "evidence_fetched",
                                      "delivery_failing", "notice_refused");
    INFO(type);
    const std::string body =
        R"({"id":"weekly-scores:2026-W47","type":")" + type +
        R"(","time":"2026-11-23T14:00:00+08:00",)"
        R"("chat":{"id":"g"},"sender":{"id":"u"},"text":"weekly-scores",)"
        R"("evidence":{"visit_number":1,"sha256":"00"},"outage":{"since":1,"failing":9}})";
    auto decoded = decode_signed(body);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == IngestError::schema_violation);
    CHECK_THAT(decoded.error().detail, Catch::Contains("type"));
}

TEST_CASE("membership events carry members, who acted and whether they left by themselves",
          "[generic]") {
    const std::string body =
        R"({"id":"leave-1","type":"member_left","time":"2026-11-23T10:00:00Z",)"
        R"("chat":{"id":"g1","name":"群"},"member":{"id":"u2","name":"李四","external":true},)"
        R"("by_self":true,"by":{"id":"u2"}})";
    auto decoded = decode_signed(body);
    REQUIRE(decoded);
    REQUIRE(decoded.value().members.size() == 1);
    CHECK(decoded.value().members[0].external);
    CHECK(decoded.value().by_self);
    REQUIRE(decoded.value().by);
    CHECK(decoded.value().by->id == "u2");
}

TEST_CASE("leave_kind says how far the bridge can tell how a member left", "[generic]") {
    const auto left = [](const std::string& kind, const std::string& by_self) {
        return decode_signed(R"({"id":"leave-)" + kind +
                             R"(","type":"member_left","time":"2026-11-23T10:00:00Z",)"
                             R"("chat":{"id":"g1"},"member":{"id":"u2"},"by_self":)" +
                             by_self + R"(,"leave_kind":")" + kind + R"("})");
    };
    const auto unknown = left("unknown", "true");
    REQUIRE(unknown);
    CHECK(unknown.value().leave_kind == "unknown");
    CHECK_FALSE(unknown.value().by_self);  // nobody can tell: never a self-leave by itself
    const auto self = left("self", "false");
    REQUIRE(self);
    CHECK(self.value().by_self);
    const auto removed = left("removed", "true");
    REQUIRE(removed);
    CHECK_FALSE(removed.value().by_self);
}

TEST_CASE("a direct chat with an image is accepted", "[generic]") {
    const std::string body =
        R"({"id":"img-1","type":"message","time":"2026-11-23T10:00:00Z",)"
        R"("chat":{"id":"dm-u1","type":"direct"},"sender":{"id":"u1"},"image":{"url":"https://x/y.png"}})";
    auto decoded = decode_signed(body);
    REQUIRE(decoded);
    CHECK(decoded.value().chat.kind == bot::model::ChatKind::direct);
    REQUIRE(decoded.value().image);
    CHECK(decoded.value().image->url == "https://x/y.png");
}

TEST_CASE("outbound bodies carry the notice id, target and rendered text", "[generic]") {
    bot::model::Notice notice;
    notice.template_id = "visit_recorded";
    notice.target = {"generic", bot::model::NoticeTarget::Kind::user, "zhangsan", ""};
    const auto body = generic::outbound_body(42, notice, "已记录走访 V1");
    CHECK(body["notice_id"] == 42);
    CHECK(body["target"]["kind"] == "user");
    CHECK(body["target"]["id"] == "zhangsan");
    CHECK(body["text"] == "已记录走访 V1");
    CHECK_FALSE(body.contains("remove_members"));

    // /移出: the bridge is asked to remove the member before saying the text.
    notice.template_id = "member_removal";
    notice.target = {"generic", bot::model::NoticeTarget::Kind::chat, "room-17", ""};
    notice.fields["remove_member"] = {{"id", "wxid_lisi"}, {"name", "李四"}};
    const auto removal = generic::outbound_body(43, notice, "移出 李四");
    CHECK(removal["remove_members"] == nlohmann::json::parse(R"([{"id":"wxid_lisi"}])"));
}

TEST_CASE("chat.bot_can_remove says whether the bot may remove members, when the bridge knows",
          "[generic]") {
    const auto snapshot = [](const std::string& extra) {
        return decode_signed(
            R"({"id":"snap","type":"group_snapshot","time":"2026-11-23T10:00:00Z",)"
            R"("chat":{"id":"g1")" +
            extra + R"(},"members":[{"id":"u1"}]})");
    };
    REQUIRE(snapshot(R"(,"bot_can_remove":true)"));
    CHECK(snapshot(R"(,"bot_can_remove":true)").value().chat.bot_can_remove == true);
    CHECK(snapshot(R"(,"bot_can_remove":false)").value().chat.bot_can_remove == false);
    CHECK_FALSE(snapshot("").value().chat.bot_can_remove.has_value());
    const auto wrong = snapshot(R"(,"bot_can_remove":"yes")");
    REQUIRE_FALSE(wrong);
    CHECK_THAT(wrong.error().detail, Catch::Contains("chat.bot_can_remove"));
}

TEST_CASE("During a rotation every listed secret is accepted; once dropped, the old one is refused",
          "[generic]") {
    const std::string body = report_body();
    const std::string ts = std::to_string(kNow);
    auto ring = std::make_shared<generic::SecretRing>(std::vector<std::string>{"new", "old"});
    const generic::Verifier verifier{ring, 300};
    CHECK(generic::decode({ts, generic::sign("new", ts, body), body}, verifier, kNow));
    CHECK(generic::decode({ts, generic::sign("old", ts, body), body}, verifier, kNow));
    CHECK(ring->newest() == "new");

    ring->replace({"new"});
    const auto refused =
        generic::decode({ts, generic::sign("old", ts, body), body}, verifier, kNow);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == IngestError::bad_signature);
    CHECK(generic::decode({ts, generic::sign("new", ts, body), body}, verifier, kNow));
    // A ring is never left without a secret.
    CHECK_THROWS(ring->replace({}));
    CHECK(ring->newest() == "new");
}
