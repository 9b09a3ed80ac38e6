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

constexpr std::array kMigrations{
    Migration{1, "inbox, outbox, directory, visits, demands, audit log, job runs", kInitialSchema},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace ledgerbot::storage
