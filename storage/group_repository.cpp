#include "storage/group_repository.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>

#include <map>

#include <nlohmann/json.hpp>

#include "storage/overloaded.hpp"

namespace ledgerbot::storage {
namespace {

bot::model::GroupKind kind_from_code(const std::string& code) {
    for (bot::model::GroupKind kind :
         {bot::model::GroupKind::project, bot::model::GroupKind::near_miss,
          bot::model::GroupKind::unrelated}) {
        if (bot::model::to_code(kind) == code) {
            return kind;
        }
    }
    return bot::model::GroupKind::unrelated;
}

constexpr const char* kGroupColumns =
    "source, chat_id, name, kind, company_id, company_name, expected_name, owner_id, can_post, "
    "tracks_nicknames, created_at, dismissed_at, name_reminded_for, name_reminded_at, "
    "first_members_reminded_at, name_risk, first_members_risk, compliance_risk, bot_can_remove";

bot::model::GroupRecord group_from_row(SQLite::Statement& row) {
    bot::model::GroupRecord g;
    g.source = row.getColumn(0).getString();
    g.chat_id = row.getColumn(1).getString();
    g.name = row.getColumn(2).getString();
    g.kind = kind_from_code(row.getColumn(3).getString());
    if (!row.getColumn(4).isNull()) {
        g.company_id = row.getColumn(4).getInt64();
    }
    g.company_name = row.getColumn(5).getString();
    g.expected_name = row.getColumn(6).getString();
    g.owner_id = row.getColumn(7).getString();
    g.can_post = row.getColumn(8).getInt() != 0;
    g.tracks_nicknames = row.getColumn(9).getInt() != 0;
    g.created_at = row.getColumn(10).getInt64();
    g.dismissed_at = row.getColumn(11).getInt64();
    g.name_reminded_for = row.getColumn(12).getString();
    g.name_reminded_at = row.getColumn(13).getInt64();
    g.first_members_reminded_at = row.getColumn(14).getInt64();
    g.name_risk = row.getColumn(15).getInt64();
    g.first_members_risk = row.getColumn(16).getInt64();
    g.compliance_risk = row.getColumn(17).getInt64();
    g.bot_can_remove = row.getColumn(18).getInt() != 0;
    return g;
}

}  // namespace

void GroupRepository::apply(const bot::GroupChange& change) {
    std::visit(Overloaded{
                   [&](const bot::GroupSaved& saved) { save_group(saved.group); },
                   [&](const bot::MemberSaved& saved) { save_member(saved); },
                   [&](const bot::RiskRaised& raised) { insert_risk(raised.risk); },
                   [&](const bot::RiskClosed& closed) { close_risk(closed); },
                   [&](const bot::RiskAcknowledged& acknowledged) {
                       Prepared update(db_,
                                       "UPDATE risks SET acknowledged_by = ?, "
                                       "acknowledged_at = ?, ack_note = ? "
                                       "WHERE number = ?");
                       update->bind(1, acknowledged.by);
                       update->bind(2, acknowledged.at);
                       update->bind(3, acknowledged.note);
                       update->bind(4, acknowledged.number);
                       update->exec();
                   },
                   [&](const bot::RiskEscalated& escalated) {
                       Prepared update(db_, "UPDATE risks SET escalated_at = ? WHERE number = ?");
                       update->bind(1, escalated.at);
                       update->bind(2, escalated.number);
                       update->exec();
                   },
               },
               change);
}

void GroupRepository::save_group(const bot::model::GroupRecord& g) {
    Prepared upsert(db_, std::string("INSERT OR REPLACE INTO groups (") + kGroupColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?)");
    upsert->bind(1, g.source);
    upsert->bind(2, g.chat_id);
    upsert->bind(3, g.name);
    upsert->bind(4, std::string(bot::model::to_code(g.kind)));
    if (g.company_id) {
        upsert->bind(5, *g.company_id);
    } else {
        upsert->bind(5);
    }
    upsert->bind(6, g.company_name);
    upsert->bind(7, g.expected_name);
    upsert->bind(8, g.owner_id);
    upsert->bind(9, g.can_post ? 1 : 0);
    upsert->bind(10, g.tracks_nicknames ? 1 : 0);
    upsert->bind(11, g.created_at);
    upsert->bind(12, g.dismissed_at);
    upsert->bind(13, g.name_reminded_for);
    upsert->bind(14, g.name_reminded_at);
    upsert->bind(15, g.first_members_reminded_at);
    upsert->bind(16, g.name_risk);
    upsert->bind(17, g.first_members_risk);
    upsert->bind(18, g.compliance_risk);
    upsert->bind(19, g.bot_can_remove ? 1 : 0);
    upsert->exec();
}

void GroupRepository::save_member(const bot::MemberSaved& saved) {
    const bot::model::GroupMemberRecord& m = saved.member;
    Prepared upsert(
        db_,
        "INSERT OR REPLACE INTO group_members (source, chat_id, member_id, name, nickname, "
        "external, joined_at, left_at, left_how, stage_done_at, nickname_reminded_at, "
        "nickname_risk, removal_requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    upsert->bind(1, saved.source);
    upsert->bind(2, saved.chat_id);
    upsert->bind(3, m.id);
    upsert->bind(4, m.name);
    upsert->bind(5, m.nickname);
    upsert->bind(6, m.external ? 1 : 0);
    upsert->bind(7, m.joined_at);
    upsert->bind(8, m.left_at);
    upsert->bind(9, std::string(bot::model::to_code(m.left_how)));
    upsert->bind(10, m.stage_done_at);
    upsert->bind(11, m.nickname_reminded_at);
    upsert->bind(12, m.nickname_risk);
    upsert->bind(13, m.removal_requested_at);
    upsert->exec();
}

void GroupRepository::insert_risk(const bot::model::Risk& r) {
    Prepared insert(db_,
                    "INSERT INTO risks (number, kind, source, chat_id, company_id, "
                    "company_name, subject, summary, raised_at, raised_by, lead_id, "
                    "detail, told) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, r.number);
    insert->bind(2, r.kind);
    insert->bind(3, r.source);
    insert->bind(4, r.chat_id);
    if (r.company_id) {
        insert->bind(5, *r.company_id);
    } else {
        insert->bind(5);
    }
    insert->bind(6, r.company_name);
    insert->bind(7, r.subject);
    insert->bind(8, r.summary);
    insert->bind(9, r.raised_at);
    insert->bind(10, r.raised_by);
    insert->bind(11, r.lead_id);
    insert->bind(12, nlohmann::json(r.detail).dump());
    insert->bind(13, nlohmann::json(r.told).dump());
    insert->exec();
}

void GroupRepository::close_risk(const bot::RiskClosed& closed) {
    Prepared update(db_,
                    "UPDATE risks SET status = 'closed', closed_at = ?, close_reason = ?, "
                    "closed_by = ? WHERE number = ? AND status = 'open'");
    update->bind(1, closed.closed_at);
    update->bind(2, closed.reason);
    update->bind(3, closed.by);
    update->bind(4, closed.number);
    update->exec();
}

std::vector<bot::model::GroupMemberRecord> GroupRepository::members_of(const std::string& source,
                                                                       const std::string& chat_id) {
    Prepared query(db_,
                   "SELECT member_id, name, nickname, external, joined_at, left_at, "
                   "left_how, stage_done_at, nickname_reminded_at, nickname_risk, "
                   "removal_requested_at FROM "
                   "group_members WHERE source = ? AND chat_id = ? ORDER BY rowid");
    query->bind(1, source);
    query->bind(2, chat_id);
    std::vector<bot::model::GroupMemberRecord> out;
    while (query->executeStep()) {
        bot::model::GroupMemberRecord m;
        m.id = query->getColumn(0).getString();
        m.name = query->getColumn(1).getString();
        m.nickname = query->getColumn(2).getString();
        m.external = query->getColumn(3).getInt() != 0;
        m.joined_at = query->getColumn(4).getInt64();
        m.left_at = query->getColumn(5).getInt64();
        m.left_how = bot::model::left_how_from_code(query->getColumn(6).getString());
        m.stage_done_at = query->getColumn(7).getInt64();
        m.nickname_reminded_at = query->getColumn(8).getInt64();
        m.nickname_risk = query->getColumn(9).getInt64();
        m.removal_requested_at = query->getColumn(10).getInt64();
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<bot::model::GroupView> GroupRepository::find(std::string_view source,
                                                           std::string_view chat_id) {
    Prepared query(db_, std::string("SELECT ") + kGroupColumns +
                            " FROM groups WHERE source = ? AND chat_id = ?");
    query->bind(1, std::string(source));
    query->bind(2, std::string(chat_id));
    if (!query->executeStep()) {
        return std::nullopt;
    }
    bot::model::GroupView view;
    view.group = group_from_row(query);
    view.members = members_of(view.group.source, view.group.chat_id);
    return view;
}

std::vector<bot::model::GroupView> GroupRepository::enforced() {
    Prepared query(db_, std::string("SELECT ") + kGroupColumns +
                            " FROM groups WHERE kind != 'unrelated' AND dismissed_at = 0 "
                            "ORDER BY source, chat_id");
    std::vector<bot::model::GroupView> out;
    while (query->executeStep()) {
        bot::model::GroupView view;
        view.group = group_from_row(query);
        if (view.group.enforced()) {
            out.push_back(std::move(view));
        }
    }
    for (auto& view : out) {
        view.members = members_of(view.group.source, view.group.chat_id);
    }
    return out;
}

std::int64_t GroupRepository::next_risk_number() {
    return single_int64(db_, "SELECT COALESCE(MAX(number), 0) + 1 FROM risks");
}

std::vector<bot::model::Risk> GroupRepository::query_risks(const std::string& where,
                                                           std::int64_t number) {
    Prepared query(db_,
                   "SELECT number, kind, source, chat_id, company_id, company_name, "
                   "subject, summary, raised_at, raised_by, lead_id, acknowledged_by, "
                   "acknowledged_at, escalated_at, status, detail, told, ack_note, "
                   "COALESCE(closed_at, 0), closed_by, COALESCE(close_reason, '') "
                   "FROM risks " +
                       where + " ORDER BY number");
    if (number != 0) {
        query->bind(1, number);
    }
    std::vector<bot::model::Risk> out;
    while (query->executeStep()) {
        bot::model::Risk r;
        r.number = query->getColumn(0).getInt64();
        r.kind = query->getColumn(1).getString();
        r.source = query->getColumn(2).getString();
        r.chat_id = query->getColumn(3).getString();
        if (!query->getColumn(4).isNull()) {
            r.company_id = query->getColumn(4).getInt64();
        }
        r.company_name = query->getColumn(5).getString();
        r.subject = query->getColumn(6).getString();
        r.summary = query->getColumn(7).getString();
        r.raised_at = query->getColumn(8).getInt64();
        r.raised_by = query->getColumn(9).getString();
        r.lead_id = query->getColumn(10).getString();
        r.acknowledged_by = query->getColumn(11).getString();
        r.acknowledged_at = query->getColumn(12).getInt64();
        r.escalated_at = query->getColumn(13).getInt64();
        r.open = query->getColumn(14).getString() == "open";
        r.detail = nlohmann::json::parse(query->getColumn(15).getString())
                       .get<std::map<std::string, std::string>>();
        r.told =
            nlohmann::json::parse(query->getColumn(16).getString()).get<std::vector<std::string>>();
        r.ack_note = query->getColumn(17).getString();
        r.closed_at = query->getColumn(18).getInt64();
        r.closed_by = query->getColumn(19).getString();
        r.close_reason = query->getColumn(20).getString();
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<bot::model::Risk> GroupRepository::risk(std::int64_t number) {
    auto found = query_risks("WHERE number = ?", number);
    if (found.empty()) {
        return std::nullopt;
    }
    return std::move(found.front());
}

std::vector<bot::model::Risk> GroupRepository::unacknowledged_notices() {
    return query_risks(
        "WHERE status = 'open' AND kind = 'notice' AND acknowledged_at = 0 AND escalated_at = 0");
}

std::vector<bot::model::Risk> GroupRepository::open_risks() {
    return query_risks("WHERE status = 'open'");
}

std::vector<bot::model::Risk> GroupRepository::risks() {
    return query_risks("");
}

}  // namespace ledgerbot::storage
