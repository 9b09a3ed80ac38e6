#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/settings/convention_settings.hpp"
#include "bot/settings/report_settings.hpp"
#include "bot/settings/score_settings.hpp"
#include "bot/time/working_day_calendar.hpp"

namespace ledgerbot::bot::settings {

/// Where notices that are not answers go. Filled by the app from what is configured.
struct NoticeRouting {
    /// The channel that reaches a person directly, per source channel (wecom-bot → wecom-app:
    /// the intelligent bot cannot write to one person, the app can). Absent = the source itself.
    std::map<std::string, std::string> direct_channel;
    /// Compliance risks go to this chat when set; otherwise to every compliance staff member
    /// (ConventionSettings: compliance titles and departments) directly.
    std::string compliance_channel;
    std::string compliance_chat_id;
    /// The service's administrators (staff ids), told about operations on `admin_channel`.
    std::vector<std::string> admin_ids;
    std::string admin_channel;
    /// The channel that can create a group through its API for `/建群` ("wecom-app" when the
    /// WeCom app's API is configured); "" = none, the answer says how to create it by hand.
    std::string group_creation_channel;

    std::string direct_channel_for(const std::string& source) const;
};

/// 【风险提示】 (第九条（四）): compliance raises a risk in a project group, the lead acknowledges.
struct RiskNoticeSettings {
    std::vector<std::string> headers;  ///< 风险提示, written as 【风险提示】 or [风险提示]
    std::vector<std::string> acknowledge_commands;  ///< 确认, typed as /确认 R3 已整改
    std::vector<std::string> close_commands;  ///< 关闭, typed as /关闭 R3 说明 (compliance)
    std::int64_t escalate_after_seconds = 0;  ///< unacknowledged this long → escalation
};

/// The demand ledger's commands (第七、八条): command words per action and the field labels
/// people write after the demand id (`/方案 D7 负责人：张三 方案：…`).
struct LedgerSettings {
    std::map<std::string, std::vector<std::string>> commands;  ///< action → words
    std::map<std::string, std::vector<std::string>> labels;    ///< field → labels
    int plan_working_days = 3;                                 ///< 第八条
    /// /签约 /进度 /转介落地 may say when it happened: at most this many days back.
    int backdate_days = 30;
    /// The 服务需求简述 of an agreement signed with a company that no visit report recorded a
    /// demand for (/签约 <企业>), when the command says none.
    std::string unvisited_agreement_summary = "服务协议（未经走访登记）";
    /// 第六条: companies with these listing statuses must be visited every quarter (all
    /// companies of the list when empty).
    std::vector<std::string> coverage_listing_statuses;
};

/// 第六条: whether a company must be visited every quarter (its listing status is one of
/// `coverage_listing_statuses`, or that list is empty).
bool must_be_covered(const model::Company& company, const LedgerSettings& ledger);

/// 【简报】 (第九条（五）): the header words and the labels of its fields (form, time,
/// participants, invitation, consensus, outcome, next_steps).
struct BriefingSettings {
    std::vector<std::string> headers;
    std::vector<std::string> fields;  ///< field keys in the order answers list them
    std::map<std::string, std::vector<std::string>> labels;
};

/// Personal data kept only as long as needed ([retention]).
struct RetentionSettings {
    int raw_events_days = 30;    ///< then a processed event's raw JSON is redacted
    int sent_notices_days = 90;  ///< then a sent notice's text fields are dropped
};

/// The chat interface: the words that ask for help (/帮助, or alone: 帮助, ？).
/// Help and the questions people ask in chat, each answered for what their roles may see.
struct ChatSettings {
    std::vector<std::string> help_commands{"帮助", "help"};
    std::vector<std::string> help_words{"帮助", "help", "?", "？", "怎么用", "使用说明"};
    std::vector<std::string> risk_commands{"风险"};    ///< /风险 [企业|R12]
    std::vector<std::string> ledger_commands{"台账"};  ///< /台账 <企业>
    std::vector<std::string> demand_commands{"需求"};  ///< /需求 D3
    /// /需求 D3 删除: the author takes back a demand read wrongly, within [report]
    /// withdraw_window_hours of reporting it and before it has a plan.
    std::vector<std::string> demand_delete_words{"删除"};
    std::vector<std::string> export_commands{"导出"};  ///< /导出 台账|积分表
    std::vector<std::string> ledger_export_words{"台账"};
    std::vector<std::string> table_export_words{"积分表"};
    /// Lines a list answer shows before it says how many more there are.
    int list_limit = 15;
    /// Someone outside the staff directory is told how to be added at most once in this time.
    std::int64_t stranger_answer_seconds = 86400;
};

struct EngineSettings {
    ReportSettings report;
    ConventionSettings conventions;
    RiskNoticeSettings risk_notices;
    LedgerSettings ledger;
    BriefingSettings briefing;
    ScoreSettings scores;
    time::WorkingDayCalendar calendar;
    NoticeRouting routing;
    RetentionSettings retention;
    ChatSettings chat;
};

}  // namespace ledgerbot::bot::settings
