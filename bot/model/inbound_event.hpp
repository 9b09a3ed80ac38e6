#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ledgerbot::bot::model {

/// The kinds of normalized event every adapter produces. `tick` is the scheduler's own event.
enum class EventType {
    message,
    member_joined,
    member_left,
    group_created,
    group_renamed,
    group_dismissed,
    nickname_changed,
    owner_changed,  ///< the group's owner changed; who the new owner is comes from a re-sync
    /// The whole current state of a group from a (re-)sync: `chat` with name, owner and creation
    /// time, `members` the complete member list. Members missing from it are gone; `by_self`
    /// says they left on their own (platforms that raise no event for that, such as WeChat);
    /// otherwise how they left is unknown (a lost callback).
    group_snapshot,
    /// A scheduled job's slot came (app/scheduler): `source` "scheduler", `job` the job name,
    /// `id` the run key (`job:period`), `time` the slot's scheduled time. Internal only: no
    /// adapter may accept it from outside.
    tick,
    /// The evidence fetcher (app/evidence) got an evidence image's bytes, or gave up on them:
    /// `source` "evidence", `evidence` says which and what. Internal only.
    evidence_fetched,
    /// The outbox dispatcher has been failing to deliver notices for longer than allowed:
    /// `source` "outbox", `outage` says since when and how many. Internal only.
    delivery_failing,
    /// The platform or bridge refused a notice for good (not an outage: a retry would not
    /// help), so what it was to do did not happen: `source` "outbox", `refused` says which
    /// notice and why. Internal only.
    notice_refused,
};

/// The generic adapter's source: bridges (WeChat) whose people have platform ids.
inline constexpr std::string_view kGenericSource = "generic";
/// The source of tick events; the inbox dedup key of a tick is `scheduler:<run key>`.
inline constexpr std::string_view kSchedulerSource = "scheduler";
/// The source of evidence_fetched events.
inline constexpr std::string_view kEvidenceSource = "evidence";
/// The source of delivery_failing events.
inline constexpr std::string_view kOutboxSource = "outbox";

std::string_view to_string(EventType type);
std::optional<EventType> event_type_from_string(std::string_view text);

/// A person as the platform shows them. `nickname` is the in-group nickname where known.
struct Person {
    std::string id;
    std::string name;
    std::string nickname;
    bool external = false;  ///< not a staff member of the centre (company people, third parties)
    std::int64_t joined_at = 0;  ///< group members: when they joined (unix seconds), 0 = unknown

    bool operator==(const Person&) const = default;
};

enum class ChatKind { group, direct };

struct Chat {
    std::string id;
    std::string name;
    ChatKind kind = ChatKind::group;
    std::string owner_id;         ///< the group's owner (群主) where known
    std::int64_t created_at = 0;  ///< when the group was created (unix seconds), 0 = unknown
    /// Whether the bot account may remove members (it owns or administers the group), where the
    /// adapter tells: nullopt = not said, the registry keeps what it knew.
    std::optional<bool> bot_can_remove{};

    bool operator==(const Chat&) const = default;
};

/// Where an image's bytes are: a URL, a platform media id, or bytes a bridge already uploaded
/// (POST /hooks/generic/media → `upload_id`, the sha256 of the stored file).
struct ImageRef {
    std::string url;
    std::string media_id;
    std::string upload_id{};

    bool operator==(const ImageRef&) const = default;
};

/// What the evidence fetcher found for one evidence item (evidence_fetched events).
struct EvidenceFetch {
    std::int64_t evidence_id = 0;
    std::int64_t visit_number = 0;
    std::string by_id;    ///< who posted the image
    std::string channel;  ///< where it was posted, to answer there
    std::string chat_id;
    bool direct = false;  ///< posted in a direct chat
    /// Fetched: the stored file. Otherwise empty, and `error` says why not.
    std::string sha256;
    std::int64_t size = 0;
    std::string mime;
    int width = 0;
    int height = 0;
    /// Not fetched: why, as a code (expired, not_image, too_large, unreachable) for the answer,
    /// and in words for the audit trail and the log.
    std::string reason;
    std::string error;

    bool fetched() const { return !sha256.empty(); }
    bool operator==(const EvidenceFetch&) const = default;
};

/// Notices that keep failing to be delivered (delivery_failing events).
struct DeliveryOutage {
    std::int64_t since = 0;    ///< the oldest failing notice's first failure
    std::int64_t failing = 0;  ///< pending notices that have failed at least once
    std::string channels;      ///< the channels they are for, comma separated
    std::string last_error;

    bool operator==(const DeliveryOutage&) const = default;
};

/// A notice refused for good (notice_refused events): what it was and what the refusal said.
struct RefusedNotice {
    std::int64_t outbox_id = 0;
    std::string template_id;
    nlohmann::json fields;
    std::string channel;  ///< where it was to go
    std::string target_id;
    std::string error;  ///< e.g. "outbound POST answered HTTP 409"

    bool operator==(const RefusedNotice&) const = default;
};

/// One normalized inbound event. Adapters translate platform payloads into this; the bot core
/// never sees a platform format.
struct InboundEvent {
    std::string id;      ///< unique per source; the inbox dedup key is source + id
    std::string source;  ///< adapter that produced it: "generic", "wecom-app", "wecom-bot"
    EventType type = EventType::message;
    std::int64_t time = 0;  ///< unix seconds (UTC)
    Chat chat;
    Person sender;                ///< author of a message; actor of a group change
    std::vector<Person> members;  ///< joined/left/renamed members for membership events
    std::string text;
    std::optional<ImageRef> image;
    bool by_self = false;  ///< member_left: left on their own rather than removed
    /// member_left and group_snapshot, where the platform says how far it can tell (a WeChat
    /// bridge): "unknown" when a member is gone and nobody can say whether they left or were
    /// removed; the owner is then asked (/确认退群, /已移出). Empty: `by_self` decides.
    std::string leave_kind;
    std::optional<Person> by;  ///< who removed / invited
    std::string old_name;      ///< group_renamed: the previous name
    /// member_joined: how the members came in, where the platform says so: "invited" (by a
    /// member, directly or by link), "qr_code" (scanned the group's QR code), or "other:<raw>"
    /// for a value the adapter does not know. Empty when unknown.
    std::string join_scene;
    std::string reply_handle;  ///< adapter-specific route for an answer (e.g. a response_url)
    /// tick: the scheduled job's name (e.g. "nickname-evening"). A field of its own rather than
    /// `text`, so a tick can never be read as a message's text (a report, a command).
    std::string job;
    /// evidence_fetched: the fetcher's result.
    std::optional<EvidenceFetch> evidence;
    /// delivery_failing: what is failing.
    std::optional<DeliveryOutage> outage;
    /// notice_refused: which notice, and why.
    std::optional<RefusedNotice> refused;

    bool operator==(const InboundEvent&) const = default;
};

void to_json(nlohmann::json& j, const Person& p);
void from_json(const nlohmann::json& j, Person& p);
void to_json(nlohmann::json& j, const InboundEvent& e);
void from_json(const nlohmann::json& j, InboundEvent& e);

}  // namespace ledgerbot::bot::model
