#include "storage/migrations.hpp"

#include <array>

namespace ledgerbot::storage {
namespace {

constexpr std::string_view kInitialSchema = R"SQL(
CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY,
    dedup_key    TEXT    NOT NULL UNIQUE,   -- source + ':' + platform event id
    source       TEXT    NOT NULL,
    chat_id      TEXT    NOT NULL,
    received_at  INTEGER NOT NULL,
    event_json   TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    deliveries   INTEGER NOT NULL DEFAULT 1,
    processed_at INTEGER,
    error        TEXT
);
CREATE INDEX inbox_pending ON inbox (status, id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    inbox_id        INTEGER REFERENCES inbox (id),
    channel         TEXT    NOT NULL,
    target_kind     TEXT    NOT NULL CHECK (target_kind IN ('chat', 'user')),
    target_id       TEXT    NOT NULL,
    reply_handle    TEXT    NOT NULL DEFAULT '',
    template_id     TEXT    NOT NULL,
    fields_json     TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE companies (
    id              INTEGER PRIMARY KEY,
    full_name       TEXT NOT NULL UNIQUE,
    short_names     TEXT NOT NULL DEFAULT '[]',
    industry        TEXT NOT NULL DEFAULT '',
    listing_status  TEXT NOT NULL DEFAULT '',
    department      TEXT NOT NULL DEFAULT '',
    account_manager TEXT NOT NULL DEFAULT '',
    updated_at      INTEGER NOT NULL
);

CREATE TABLE staff (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    titles     TEXT NOT NULL DEFAULT '[]',
    updated_at INTEGER NOT NULL
);

CREATE TABLE visits (
    number          INTEGER PRIMARY KEY,
    company_id      INTEGER REFERENCES companies (id),
    company_name    TEXT    NOT NULL DEFAULT '',
    visit_time      INTEGER,
    mode            TEXT    NOT NULL DEFAULT '',
    visitors_json   TEXT    NOT NULL DEFAULT '[]',
    values_json     TEXT    NOT NULL DEFAULT '{}',
    missing_json    TEXT    NOT NULL DEFAULT '[]',
    complete        INTEGER NOT NULL DEFAULT 0,
    reporter_id     TEXT    NOT NULL,
    reporter_name   TEXT    NOT NULL DEFAULT '',
    channel         TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    source_event_id TEXT    NOT NULL,
    reported_at     INTEGER NOT NULL,
    raw_text        TEXT    NOT NULL
);
CREATE INDEX visits_company ON visits (company_id, visit_time);

CREATE TABLE demands (
    number       INTEGER PRIMARY KEY,
    visit_number INTEGER NOT NULL REFERENCES visits (number),
    company_id   INTEGER REFERENCES companies (id),
    company_name TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    collected_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    detail_json  TEXT    NOT NULL,
    source_event TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);

-- Small counters other processes bump: directory_version (imports), audit_head_* (chain tip).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE job_runs (
    run_key TEXT PRIMARY KEY,
    ran_at  INTEGER NOT NULL
);
)SQL";

// 第九条: every group the bot has seen, its members, and the risk register.
constexpr std::string_view kGroupRegistry = R"SQL(
CREATE TABLE groups (
    source                    TEXT    NOT NULL,
    chat_id                   TEXT    NOT NULL,
    name                      TEXT    NOT NULL DEFAULT '',
    kind                      TEXT    NOT NULL CHECK (kind IN ('project', 'near_miss', 'unrelated')),
    company_id                INTEGER,
    company_name              TEXT    NOT NULL DEFAULT '',
    expected_name             TEXT    NOT NULL DEFAULT '',
    owner_id                  TEXT    NOT NULL DEFAULT '',
    can_post                  INTEGER NOT NULL,
    tracks_nicknames          INTEGER NOT NULL,
    created_at                INTEGER NOT NULL,
    dismissed_at              INTEGER NOT NULL DEFAULT 0,
    name_reminded_for         TEXT    NOT NULL DEFAULT '',
    name_reminded_at          INTEGER NOT NULL DEFAULT 0,
    first_members_reminded_at INTEGER NOT NULL DEFAULT 0,
    name_risk                 INTEGER NOT NULL DEFAULT 0,
    first_members_risk        INTEGER NOT NULL DEFAULT 0,
    compliance_risk           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, chat_id)
);
CREATE INDEX groups_enforced ON groups (kind, dismissed_at);
CREATE INDEX groups_company ON groups (company_id);

CREATE TABLE group_members (
    source               TEXT    NOT NULL,
    chat_id              TEXT    NOT NULL,
    member_id            TEXT    NOT NULL,
    name                 TEXT    NOT NULL DEFAULT '',
    nickname             TEXT    NOT NULL DEFAULT '',
    external             INTEGER NOT NULL DEFAULT 0,
    joined_at            INTEGER NOT NULL DEFAULT 0,
    left_at              INTEGER NOT NULL DEFAULT 0,
    left_how             TEXT    NOT NULL DEFAULT '',
    stage_done_at        INTEGER NOT NULL DEFAULT 0,
    nickname_reminded_at INTEGER NOT NULL DEFAULT 0,
    nickname_risk        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, chat_id, member_id),
    FOREIGN KEY (source, chat_id) REFERENCES groups (source, chat_id)
);

CREATE TABLE risks (
    number       INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',
    chat_id      TEXT    NOT NULL DEFAULT '',
    company_id   INTEGER,
    company_name TEXT    NOT NULL DEFAULT '',
    subject      TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL,
    raised_at    INTEGER NOT NULL,
    raised_by    TEXT    NOT NULL DEFAULT '',
    lead_id      TEXT    NOT NULL DEFAULT '',
    acknowledged_by TEXT NOT NULL DEFAULT '',
    acknowledged_at INTEGER NOT NULL DEFAULT 0,
    escalated_at INTEGER NOT NULL DEFAULT 0,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at    INTEGER,
    close_reason TEXT
);
CREATE INDEX risks_open ON risks (status, kind, acknowledged_at);

-- 第七、八条: a demand's plan, owner, agreement, progress, referral and closing, and its
-- follow-up history (跟进情况记录).
ALTER TABLE demands ADD COLUMN plan_deadline INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN plan TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN owner_id TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN owner_name TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN planned_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN contracted_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN completion_percent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN revenue_yuan INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN referral_department TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN referred_by TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN referral_landed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN closed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN infeasible_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE demands ADD COLUMN sla_reminded_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE demands ADD COLUMN sla_escalated_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX demands_status ON demands (status);

CREATE TABLE demand_history (
    id            INTEGER PRIMARY KEY,
    demand_number INTEGER NOT NULL REFERENCES demands (number),
    at            INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    text          TEXT    NOT NULL
);
CREATE INDEX demand_history_demand ON demand_history (demand_number, at);

-- 第九条（五）: briefings (简报) announced in project groups.
CREATE TABLE briefings (
    number          INTEGER PRIMARY KEY,
    company_id      INTEGER REFERENCES companies (id),
    company_name    TEXT    NOT NULL DEFAULT '',
    source          TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    sender_id       TEXT    NOT NULL,
    sender_name     TEXT    NOT NULL DEFAULT '',
    at              INTEGER NOT NULL,
    fields_json     TEXT    NOT NULL,
    raw_text        TEXT    NOT NULL,
    source_event_id TEXT    NOT NULL
);
CREATE INDEX briefings_company ON briefings (company_id, at);
)SQL";

// Visit records after the report: supplements (/补充) keep what they wrote and what it replaced,
// so an UPDATE of visits never loses a value without a trace; evidence images are referenced by
// the platform's url / media_id.
constexpr std::string_view kVisitSupplementsAndEvidence = R"SQL(
CREATE TABLE visit_supplements (
    id            INTEGER PRIMARY KEY,
    visit_number  INTEGER NOT NULL REFERENCES visits (number),
    channel       TEXT    NOT NULL,
    event_id      TEXT    NOT NULL,
    by_id         TEXT    NOT NULL,
    by_name       TEXT    NOT NULL DEFAULT '',
    at            INTEGER NOT NULL,
    fields_json   TEXT    NOT NULL,   -- field key → the value this supplement wrote
    previous_json TEXT    NOT NULL    -- field key → its value before ('' = none)
);
CREATE INDEX visit_supplements_visit ON visit_supplements (visit_number, id);

CREATE TABLE visit_evidence (
    id           INTEGER PRIMARY KEY,
    visit_number INTEGER NOT NULL REFERENCES visits (number),
    channel      TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    url          TEXT    NOT NULL DEFAULT '',
    media_id     TEXT    NOT NULL DEFAULT '',
    by_id        TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX visit_evidence_visit ON visit_evidence (visit_number);

-- An image is evidence for its sender's latest record in the same chat.
CREATE INDEX visits_reporter_chat ON visits (reporter_id, channel, chat_id, number);
)SQL";

// 第十七条: what line directors decide about records and weekly tables. Scores themselves are
// never stored: they are computed from the ledger at the scoring date, so a late supplement or
// a landing changes them without a second copy to keep in step.
constexpr const char* kScoreReviews = R"SQL(
CREATE TABLE visit_findings (
    id           INTEGER PRIMARY KEY,
    visit_number INTEGER NOT NULL REFERENCES visits (number),
    kind         TEXT    NOT NULL CHECK (kind IN ('inaccurate', 'omission')),
    reason       TEXT    NOT NULL DEFAULT '',
    by_id        TEXT    NOT NULL,
    by_name      TEXT    NOT NULL DEFAULT '',
    at           INTEGER NOT NULL,
    deadline     INTEGER NOT NULL DEFAULT 0   -- omission: supplement by then
);
CREATE INDEX visit_findings_visit ON visit_findings (visit_number, id);

CREATE TABLE visit_voids (
    visit_number INTEGER PRIMARY KEY REFERENCES visits (number),
    reason       TEXT    NOT NULL DEFAULT '',
    by_id        TEXT    NOT NULL,
    by_name      TEXT    NOT NULL DEFAULT '',
    at           INTEGER NOT NULL
);

CREATE TABLE score_reviews (
    week  TEXT    NOT NULL,   -- ISO week, 2026-W47
    line  TEXT    NOT NULL,
    by_id TEXT    NOT NULL,
    at    INTEGER NOT NULL,
    PRIMARY KEY (week, line)
);

CREATE INDEX visits_scoring_time ON visits (COALESCE(visit_time, reported_at));
)SQL";

// Nothing lost: evidence kept as bytes (the fetch job is the evidence row's own state), the
// outbox's retry budget runs from a notice's first failure, and retention marks what it redacted.
constexpr std::string_view kEvidenceBytesAndRetention = R"SQL(
ALTER TABLE visit_evidence ADD COLUMN upload_id      TEXT    NOT NULL DEFAULT '';
ALTER TABLE visit_evidence ADD COLUMN chat_id        TEXT    NOT NULL DEFAULT '';
ALTER TABLE visit_evidence ADD COLUMN direct         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visit_evidence ADD COLUMN fetch_status   TEXT    NOT NULL DEFAULT 'pending'
    CHECK (fetch_status IN ('pending', 'fetched', 'failed'));
ALTER TABLE visit_evidence ADD COLUMN fetch_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visit_evidence ADD COLUMN next_fetch_at  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visit_evidence ADD COLUMN fetch_error    TEXT    NOT NULL DEFAULT '';
ALTER TABLE visit_evidence ADD COLUMN fetched_at     INTEGER;
ALTER TABLE visit_evidence ADD COLUMN sha256         TEXT;
ALTER TABLE visit_evidence ADD COLUMN size_bytes     INTEGER;
ALTER TABLE visit_evidence ADD COLUMN mime           TEXT;
ALTER TABLE visit_evidence ADD COLUMN width          INTEGER;
ALTER TABLE visit_evidence ADD COLUMN height         INTEGER;
CREATE INDEX visit_evidence_fetch ON visit_evidence (fetch_status, next_fetch_at);
-- References stored before this version are past every platform's lifetime after three days.
UPDATE visit_evidence SET fetch_status = 'failed',
    fetch_error = 'posted before evidence was kept as bytes; the reference has expired'
    WHERE at < CAST(strftime('%s', 'now') AS INTEGER) - 259200;

ALTER TABLE outbox ADD COLUMN first_failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN purged_at       INTEGER;
-- Delivery keeps each target's notices in order: the oldest pending one goes first.
CREATE INDEX outbox_target_queue ON outbox (status, channel, target_kind, target_id, id);

ALTER TABLE inbox ADD COLUMN redacted_at INTEGER;
CREATE INDEX inbox_redaction ON inbox (redacted_at, processed_at);

-- `/补充 V12` with nothing else: the author's next image in that chat is V12's evidence.
CREATE TABLE evidence_waits (
    id           INTEGER PRIMARY KEY,
    visit_number INTEGER NOT NULL REFERENCES visits (number),
    by_id        TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    chat_id      TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX evidence_waits_by ON evidence_waits (by_id, channel, chat_id, at);

-- One summary per delivery outage: the time the failing started, once told.
CREATE TABLE delivery_alerts (
    since   INTEGER PRIMARY KEY,
    told_at INTEGER NOT NULL
);
)SQL";

// Scores as a points journal: entries dated when earned, tables frozen once published.
constexpr std::string_view kPointsJournal = R"SQL(
CREATE TABLE point_entries (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,   -- when earned or lost: the week it counts in
    recorded_at   INTEGER NOT NULL,
    person_id     TEXT    NOT NULL,
    person_name   TEXT    NOT NULL,
    department    TEXT    NOT NULL,
    line          TEXT    NOT NULL,
    company_id    INTEGER,
    company       TEXT    NOT NULL,
    visit_number  INTEGER NOT NULL,
    demand_number INTEGER NOT NULL,
    item          TEXT    NOT NULL,
    axis          TEXT    NOT NULL CHECK (axis IN ('truthfulness', 'quality')),
    rule          TEXT    NOT NULL,
    points        REAL    NOT NULL,
    share         REAL    NOT NULL,
    adjusts_week  TEXT    NOT NULL,   -- '' or the published week an adjustment corrects
    detail        TEXT    NOT NULL
);
CREATE INDEX point_entries_at ON point_entries (at);
CREATE INDEX point_entries_visit ON point_entries (visit_number);
CREATE TRIGGER point_entries_append_only_update BEFORE UPDATE ON point_entries
BEGIN SELECT RAISE(ABORT, 'point entries are never changed'); END;
CREATE TRIGGER point_entries_append_only_delete BEFORE DELETE ON point_entries
BEGIN SELECT RAISE(ABORT, 'point entries are never deleted'); END;

CREATE TABLE published_tables (
    week         TEXT    NOT NULL,
    line         TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    table_json   TEXT    NOT NULL,
    approved_by  TEXT    NOT NULL,   -- '' = published 未复核
    approved_at  INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (week, line)
);
CREATE TRIGGER published_tables_frozen_update BEFORE UPDATE ON published_tables
BEGIN SELECT RAISE(ABORT, 'a published table is never changed'); END;
CREATE TRIGGER published_tables_frozen_delete BEFORE DELETE ON published_tables
BEGIN SELECT RAISE(ABORT, 'a published table is never deleted'); END;

ALTER TABLE score_reviews ADD COLUMN version TEXT NOT NULL DEFAULT '';
-- 服务起始日期: served before the system, so not a new company at its first visit here.
ALTER TABLE companies ADD COLUMN served_since INTEGER;
CREATE INDEX visits_company_time ON visits (company_id, COALESCE(visit_time, reported_at));
CREATE INDEX visit_findings_deadline ON visit_findings (deadline);

-- Quality events are facts about a company: a demand may exist without a visit (an agreement
-- with a company served before the system, /签约 <企业>), so visit_number becomes optional;
-- progress_at dates the last change of the completion ratio; channel reaches the people of a
-- demand that has no visit to take it from. SQLite cannot relax NOT NULL in place: rebuilt.
CREATE TABLE demands_rebuilt (
    number              INTEGER PRIMARY KEY,
    visit_number        INTEGER REFERENCES visits (number),
    company_id          INTEGER REFERENCES companies (id),
    company_name        TEXT    NOT NULL DEFAULT '',
    summary             TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    collected_at        INTEGER NOT NULL,
    plan_deadline       INTEGER NOT NULL DEFAULT 0,
    plan                TEXT    NOT NULL DEFAULT '',
    owner_id            TEXT    NOT NULL DEFAULT '',
    owner_name          TEXT    NOT NULL DEFAULT '',
    planned_at          INTEGER NOT NULL DEFAULT 0,
    contracted_at       INTEGER NOT NULL DEFAULT 0,
    completion_percent  INTEGER NOT NULL DEFAULT 0,
    revenue_yuan        INTEGER NOT NULL DEFAULT 0,
    referral_department TEXT    NOT NULL DEFAULT '',
    referred_by         TEXT    NOT NULL DEFAULT '',
    referral_landed_at  INTEGER NOT NULL DEFAULT 0,
    closed_at           INTEGER NOT NULL DEFAULT 0,
    infeasible_reason   TEXT    NOT NULL DEFAULT '',
    sla_reminded_at     INTEGER NOT NULL DEFAULT 0,
    sla_escalated_at    INTEGER NOT NULL DEFAULT 0,
    progress_at         INTEGER NOT NULL DEFAULT 0,
    channel             TEXT    NOT NULL DEFAULT ''
);
INSERT INTO demands_rebuilt (number, visit_number, company_id, company_name, summary, status,
    collected_at, plan_deadline, plan, owner_id, owner_name, planned_at, contracted_at,
    completion_percent, revenue_yuan, referral_department, referred_by, referral_landed_at,
    closed_at, infeasible_reason, sla_reminded_at, sla_escalated_at)
SELECT number, visit_number, company_id, company_name, summary, status, collected_at,
    plan_deadline, plan, owner_id, owner_name, planned_at, contracted_at, completion_percent,
    revenue_yuan, referral_department, referred_by, referral_landed_at, closed_at,
    infeasible_reason, sla_reminded_at, sla_escalated_at FROM demands;
DROP TABLE demands;
ALTER TABLE demands_rebuilt RENAME TO demands;
CREATE INDEX demands_status ON demands (status);
CREATE INDEX demands_visit ON demands (visit_number);
CREATE INDEX demands_company ON demands (company_id);
)SQL";

// The risk register in Chinese (issue 13): the bot's risks keep what their text names (detail, a
// JSON object) instead of an English sentence, who was told, the acknowledgement's note and who
// closed it. Risks stored before get their group and member names from the registry.
constexpr std::string_view kRiskRegister = R"SQL(
ALTER TABLE risks ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
ALTER TABLE risks ADD COLUMN told TEXT NOT NULL DEFAULT '[]';
ALTER TABLE risks ADD COLUMN ack_note TEXT NOT NULL DEFAULT '';
ALTER TABLE risks ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
UPDATE risks SET
    detail = json_object(
        'group', COALESCE((SELECT g.name FROM groups g
                           WHERE g.source = risks.source AND g.chat_id = risks.chat_id), ''),
        'member', COALESCE((SELECT COALESCE(NULLIF(m.name, ''), NULLIF(m.nickname, ''), m.member_id)
                            FROM group_members m
                            WHERE m.source = risks.source AND m.chat_id = risks.chat_id
                              AND m.member_id = risks.subject), risks.subject)),
    summary = ''
WHERE kind IN ('group_name', 'first_members', 'compliance_missing', 'nickname', 'self_leave');
UPDATE risks SET detail = json_object('demand', subject), summary = '' WHERE kind = 'sla';
CREATE INDEX risks_company ON risks (company_id, status);
)SQL";

// /撤回 V12 (issue 13): a record its reporter withdrew as posted by mistake is kept, marked, and
// earns nothing like a void; it does not count as a visit for the quarter's coverage either.
constexpr std::string_view kWithdrawals = R"SQL(
ALTER TABLE visit_voids ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
)SQL";

// "Told at most once a day" answers look up when the trail last recorded an action on a subject.
constexpr std::string_view kAuditLookup = R"SQL(
CREATE INDEX audit_action_subject ON audit_log (action, subject, at);
)SQL";

// The acknowledgement side of the inbox moved to a file of its own (received_inbox.hpp); the
// ledger records how far it has taken events from there, with the rows it takes.
constexpr std::string_view kTwoFileInbox = R"SQL(
CREATE TABLE inbox_import (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    taken_through INTEGER NOT NULL,
    received_id   TEXT    NOT NULL DEFAULT ''  -- the identity of the file taken_through counts in
);
INSERT INTO inbox_import (id, taken_through) VALUES (1, 0);
)SQL";

// Staff who left: kept for the names on their records, without roles, notices or permissions.
constexpr std::string_view kStaffDeactivation = R"SQL(
ALTER TABLE staff ADD COLUMN deactivated_at INTEGER;
)SQL";

// The web console's sign-in: pending WeCom logins (by the hash of their state), one-time links,
// and sessions. Only hashes of the random values are stored, so a copy of the database cannot be
// used to sign in.
constexpr std::string_view kConsoleSessions = R"SQL(
CREATE TABLE console_logins (
    state_hash TEXT    PRIMARY KEY,
    next       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE console_links (
    token_hash TEXT    PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE TABLE console_sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL,
    via          TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ended_at     INTEGER,
    end_reason   TEXT
);
)SQL";

// One person, one staff row: the WeChat id a WeChat bridge reports for them (WeCom reports the
// userid, the row's id). And whether the bot account may remove members from a group (it owns or
// administers it), so that /移出 is refused up front where the platform would refuse it.
constexpr std::string_view kWeChatIdentity = R"SQL(
ALTER TABLE staff ADD COLUMN wechat_id TEXT;
CREATE UNIQUE INDEX staff_wechat_id ON staff (wechat_id) WHERE wechat_id IS NOT NULL;
ALTER TABLE groups ADD COLUMN bot_can_remove INTEGER NOT NULL DEFAULT 0;
)SQL";

// When a member's removal was last asked of the bot, so that a second /移出 before the platform
// reports the first is not carried out (and said in the group) twice.
constexpr std::string_view kRemovalRequests = R"SQL(
ALTER TABLE group_members ADD COLUMN removal_requested_at INTEGER NOT NULL DEFAULT 0;
)SQL";

constexpr std::array kMigrations{
    Migration{1, "inbox, outbox, directory, visits, demands, audit log, job runs", kInitialSchema},
    Migration{2, "group registry, group members, risk register, demand follow-up, briefings",
              kGroupRegistry},
    Migration{3, "visit supplements and evidence", kVisitSupplementsAndEvidence},
    Migration{4, "visit findings, voids and weekly score reviews", kScoreReviews},
    Migration{5, "evidence bytes, outbox retry budget and order, retention",
              kEvidenceBytesAndRetention},
    Migration{6, "points journal, published tables, demands without a visit", kPointsJournal, true},
    Migration{7, "risk register: detail, who was told, acknowledgement notes", kRiskRegister},
    Migration{8, "withdrawn visit records", kWithdrawals},
    Migration{9, "audit lookups by action and subject", kAuditLookup},
    Migration{10, "inbox: received events taken from their own file", kTwoFileInbox},
    Migration{11, "staff deactivation", kStaffDeactivation},
    Migration{12, "web console sign-in: logins, one-time links, sessions", kConsoleSessions},
    Migration{13, "staff WeChat ids, groups the bot may remove members from", kWeChatIdentity},
    Migration{14, "group members: when their removal was asked of the bot", kRemovalRequests},
};

}  // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

}  // namespace ledgerbot::storage
