#include "config/config_loader.hpp"

#include "bot/text/text.hpp"

#include "config/holiday_calendar_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include <toml++/toml.h>

namespace ledgerbot::config {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_config_files();

namespace {

constexpr std::string_view kDevelopmentSecret = "ledgerbot-dev-secret";

std::string where(const toml::node& node) {
    const auto& source = node.source();
    if (!source.begin) {
        return {};
    }
    std::ostringstream out;
    out << " (";
    if (source.path) {
        out << *source.path << ":";
    }
    out << "line " << source.begin.line << ")";
    return out.str();
}

/// Reads one table strictly: every key must be read exactly by name, and `finish` rejects the
/// rest. This is what turns a typo like `listn_port` into a startup error instead of a silently
/// ignored line.
class TableReader {
public:
    TableReader(const toml::table& table, std::string path)
        : table_(table), path_(std::move(path)) {}

    std::string key_path(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    const toml::node& require(std::string_view key) {
        used_.emplace(key);
        const toml::node* node = table_.get(key);
        if (!node) {
            throw ConfigError("config: missing key '" + key_path(key) + "'");
        }
        return *node;
    }

    bool has(std::string_view key) const { return table_.get(key) != nullptr; }

    std::string string(std::string_view key) {
        const toml::node& node = require(key);
        if (auto value = node.value_exact<std::string>()) {
            return *value;
        }
        throw ConfigError("config: '" + key_path(key) + "' must be a string" + where(node));
    }

    bool boolean(std::string_view key) {
        const toml::node& node = require(key);
        if (auto value = node.value_exact<bool>()) {
            return *value;
        }
        throw ConfigError("config: '" + key_path(key) + "' must be true or false" + where(node));
    }

    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) {
        const toml::node& node = require(key);
        auto value = node.value_exact<std::int64_t>();
        if (!value || *value < min || *value > max) {
            throw ConfigError("config: '" + key_path(key) + "' must be an integer from " +
                              std::to_string(min) + " to " + std::to_string(max) + where(node));
        }
        return *value;
    }

    std::vector<std::string> strings(std::string_view key) {
        const toml::node& node = require(key);
        const toml::array* array = node.as_array();
        if (!array) {
            throw ConfigError("config: '" + key_path(key) + "' must be an array of strings" +
                              where(node));
        }
        std::vector<std::string> out;
        for (const auto& element : *array) {
            auto value = element.value_exact<std::string>();
            if (!value) {
                throw ConfigError("config: '" + key_path(key) + "' must be an array of strings" +
                                  where(element));
            }
            out.push_back(*value);
        }
        return out;
    }

    TableReader table(std::string_view key) {
        const toml::node& node = require(key);
        if (const toml::table* sub = node.as_table()) {
            return TableReader(*sub, key_path(key));
        }
        throw ConfigError("config: '" + key_path(key) + "' must be a table" + where(node));
    }

    std::vector<TableReader> tables(std::string_view key) {
        const toml::node& node = require(key);
        const toml::array* array = node.as_array();
        if (!array) {
            throw ConfigError("config: '" + key_path(key) + "' must be an array of tables" +
                              where(node));
        }
        std::vector<TableReader> out;
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::table* sub = (*array)[i].as_table();
            if (!sub) {
                throw ConfigError("config: '" + key_path(key) + "' must be an array of tables" +
                                  where((*array)[i]));
            }
            out.emplace_back(*sub, key_path(key) + "[" + std::to_string(i) + "]");
        }
        return out;
    }

    /// Every key of a free-form table (e.g. per-channel rates), marked as used.
    std::vector<std::string> keys() {
        std::vector<std::string> out;
        for (auto&& [key, node] : table_) {
            out.emplace_back(key.str());
        }
        return out;
    }

    void finish() const {
        for (auto&& [key, node] : table_) {
            if (!used_.count(std::string(key.str()))) {
                throw ConfigError("config: unknown key '" + key_path(key.str()) + "'" +
                                  where(node));
            }
        }
    }

private:
    const toml::table& table_;
    std::string path_;
    std::set<std::string, std::less<>> used_;
};

toml::table parse(std::string_view text, std::string_view origin) {
    try {
        return toml::parse(text, origin);
    } catch (const toml::parse_error& error) {
        std::ostringstream out;
        out << "config: " << origin << ":" << error.source().begin.line << ": "
            << error.description();
        throw ConfigError(out.str());
    }
}

// Tables merge key by key; any other value in `overlay` replaces the default. Nodes are moved,
// not copied: toml++ drops the source region on copy, and error messages need the override
// file's line.
void merge_into(toml::table& base, toml::table&& overlay) {
    for (auto&& [key, node] : overlay) {
        toml::node* existing = base.get(key.str());
        if (existing && existing->is_table() && node.is_table()) {
            merge_into(*existing->as_table(), std::move(*node.as_table()));
            continue;
        }
        // A named copy of the key: clang 14 cannot capture a structured binding.
        const toml::key& name = key;
        node.visit([&](auto& value) { base.insert_or_assign(name, std::move(value)); });
    }
}

std::vector<std::string> non_empty_strings(TableReader& table, std::string_view key) {
    std::vector<std::string> out = table.strings(key);
    for (const auto& value : out) {
        if (value.empty()) {
            throw ConfigError("config: '" + table.key_path(key) + "' must not contain \"\"");
        }
    }
    return out;
}

// Command words as people type them after the slash: at least one, no slash, no space.
std::vector<std::string> command_words(TableReader& table, std::string_view key) {
    std::vector<std::string> words = non_empty_strings(table, key);
    if (words.empty()) {
        throw ConfigError("config: '" + table.key_path(key) +
                          "' must list at least one command word");
    }
    for (const auto& word : words) {
        if (word.find_first_of(" /") != std::string::npos) {
            throw ConfigError("config: '" + table.key_path(key) +
                              "' entries are words without '/' or spaces, not '" + word + "'");
        }
    }
    return words;
}

bot::settings::ReportSettings read_report(TableReader report) {
    bot::settings::ReportSettings out;
    out.headers = report.strings("headers");
    out.evidence_window_seconds = report.integer("evidence_window_minutes", 0, 24 * 60) * 60;
    for (TableReader field : report.tables("fields")) {
        bot::settings::FieldVocabulary vocabulary;
        const std::string key = field.string("key");
        auto parsed = bot::model::visit_field_from_key(key);
        if (!parsed) {
            throw ConfigError("config: '" + field.key_path("key") +
                              "' names no report field: " + key);
        }
        vocabulary.field = *parsed;
        vocabulary.label = field.string("label");
        vocabulary.aliases = field.strings("aliases");
        field.finish();
        out.fields.push_back(std::move(vocabulary));
    }
    for (const auto& key : report.strings("required")) {
        auto parsed = bot::model::visit_field_from_key(key);
        if (!parsed) {
            throw ConfigError("config: 'report.required' names no report field: " + key);
        }
        out.required.push_back(*parsed);
    }
    for (bot::model::VisitField field : bot::model::kAllVisitFields) {
        if (!out.vocabulary(field)) {
            throw ConfigError("config: 'report.fields' has no entry for '" +
                              std::string(bot::model::to_key(field)) + "'");
        }
    }
    out.visit_cues = report.strings("visit_cues");
    out.placeholders = report.strings("placeholders");
    out.remark_words = report.strings("remark_words");
    out.first_person_words = report.strings("first_person_words");
    out.visitor_joiners = report.strings("visitor_joiners");
    out.need_cues = non_empty_strings(report, "need_cues");
    out.need_negations = non_empty_strings(report, "need_negations");
    out.company_subjects = non_empty_strings(report, "company_subjects");
    out.our_subjects = non_empty_strings(report, "our_subjects");
    out.speech_verbs = non_empty_strings(report, "speech_verbs");
    out.sentence_openers = non_empty_strings(report, "sentence_openers");
    out.supplement_commands = command_words(report, "supplement_commands");
    out.show_commands = command_words(report, "show_commands");
    out.withdraw_commands = command_words(report, "withdraw_commands");
    out.withdraw_window_seconds = report.integer("withdraw_window_hours", 1, 720) * 3600;
    for (TableReader mode : report.tables("modes")) {
        bot::settings::VisitMode value;
        value.name = mode.string("name");
        value.keywords = mode.strings("keywords");
        mode.finish();
        out.modes.push_back(std::move(value));
    }
    for (TableReader need : report.tables("needs")) {
        bot::settings::NeedType value;
        value.type = need.string("type");
        value.phrases = non_empty_strings(need, "phrases");
        if (need.has("unless")) {
            value.unless = need.strings("unless");
        }
        if (value.type.empty() || value.phrases.empty()) {
            throw ConfigError("config: '" + need.key_path("phrases") +
                              "' needs a type and at least one phrase");
        }
        need.finish();
        out.needs.push_back(std::move(value));
    }
    for (const auto& need : out.needs) {
        for (const auto& other : need.unless) {
            if (std::none_of(out.needs.begin(), out.needs.end(),
                             [&](const auto& n) { return n.type == other; })) {
                throw ConfigError("config: 'report.needs' type '" + need.type +
                                  "' names an unknown type in 'unless': " + other);
            }
        }
    }
    report.finish();
    return out;
}

// Nickname roles that decide first members must be words people can write, i.e. in role_words.
void require_role_words(const std::vector<std::string>& roles,
                        const bot::settings::ConventionSettings& out, const TableReader& table,
                        std::string_view key) {
    for (const auto& role : roles) {
        if (std::find(out.role_words.begin(), out.role_words.end(), role) == out.role_words.end()) {
            throw ConfigError("config: '" + table.key_path(key) + "' names '" + role +
                              "' that conventions.role_words lacks");
        }
    }
}

bot::settings::ConventionSettings read_conventions(TableReader conventions) {
    bot::settings::ConventionSettings out;
    out.group_name_suffix = conventions.string("group_name_suffix");
    if (out.group_name_suffix.empty()) {
        throw ConfigError("config: '" + conventions.key_path("group_name_suffix") +
                          "' must not be empty");
    }
    out.near_miss_suffixes = non_empty_strings(conventions, "near_miss_suffixes");
    out.project_group_cues = non_empty_strings(conventions, "project_group_cues");
    out.group_name_grace_seconds = conventions.integer("group_name_grace_hours", 0, 720) * 3600;

    out.role_words = non_empty_strings(conventions, "role_words");
    if (out.role_words.empty()) {
        throw ConfigError("config: '" + conventions.key_path("role_words") +
                          "' must list at least one role word");
    }
    out.nickname_separators = conventions.strings("nickname_separators");
    for (const auto& separator : out.nickname_separators) {
        // One character each: they are matched one code point at a time.
        std::size_t code_points = 0;
        for (unsigned char byte : separator) {
            code_points += (byte & 0xC0) != 0x80;
        }
        if (code_points != 1) {
            throw ConfigError("config: '" + conventions.key_path("nickname_separators") +
                              "' entries must be single characters, not '" + separator + "'");
        }
    }

    out.executor_titles = non_empty_strings(conventions, "executor_titles");
    out.executor_roles = non_empty_strings(conventions, "executor_roles");
    require_role_words(out.executor_roles, out, conventions, "executor_roles");
    out.account_manager_is_executor = conventions.boolean("account_manager_is_executor");
    out.owner_counts_as_executor = conventions.boolean("owner_counts_as_executor");
    out.department_head_titles = non_empty_strings(conventions, "department_head_titles");
    out.compliance_titles = non_empty_strings(conventions, "compliance_titles");
    out.compliance_departments = non_empty_strings(conventions, "compliance_departments");
    out.compliance_roles = non_empty_strings(conventions, "compliance_roles");
    require_role_words(out.compliance_roles, out, conventions, "compliance_roles");
    out.first_members_grace_seconds =
        conventions.integer("first_members_grace_hours", 0, 720) * 3600;
    out.first_members_reminder_seconds =
        conventions.integer("first_members_reminder_minutes", 0, 720 * 60) * 60;
    if (out.first_members_reminder_seconds > out.first_members_grace_seconds) {
        throw ConfigError("config: '" + conventions.key_path("first_members_reminder_minutes") +
                          "' must not be later than first_members_grace_hours");
    }
    out.supervisor_titles = non_empty_strings(conventions, "supervisor_titles");
    out.check_external_nicknames = conventions.boolean("check_external_nicknames");
    out.stage_done_commands = command_words(conventions, "stage_done_commands");
    out.create_group_commands = command_words(conventions, "create_group_commands");
    out.confirm_self_leave_commands = command_words(conventions, "confirm_self_leave_commands");
    out.confirm_removed_commands = command_words(conventions, "confirm_removed_commands");
    out.remove_member_commands = command_words(conventions, "remove_member_commands");
    conventions.finish();
    return out;
}

// One word, one command: the conventions' commands are looked at first, so a supplement word
// that is also one of theirs would never reach /补充.
void require_distinct_commands(const bot::settings::EngineSettings& engine) {
    for (const auto& word : engine.report.supplement_commands) {
        for (const auto* others :
             {&engine.conventions.stage_done_commands, &engine.conventions.create_group_commands,
              &engine.conventions.confirm_self_leave_commands,
              &engine.conventions.confirm_removed_commands,
              &engine.conventions.remove_member_commands}) {
            if (std::find(others->begin(), others->end(), word) != others->end()) {
                throw ConfigError("config: 'report.supplement_commands' names '" + word +
                                  "', which is a [conventions] command too");
            }
        }
    }
}

// The scoring commands are looked at before the conventions' and /补充: a shared word would
// make one of them unreachable.
void require_distinct_score_commands(const bot::settings::EngineSettings& engine) {
    const auto& scores = engine.scores;
    std::set<std::string> taken;
    for (const auto* words :
         {&engine.report.supplement_commands, &engine.report.show_commands,
          &engine.conventions.stage_done_commands, &engine.conventions.create_group_commands,
          &engine.conventions.confirm_self_leave_commands,
          &engine.conventions.confirm_removed_commands, &engine.conventions.remove_member_commands,
          &engine.risk_notices.acknowledge_commands}) {
        taken.insert(words->begin(), words->end());
    }
    for (const auto& [action, words] : engine.ledger.commands) {
        taken.insert(words.begin(), words.end());
    }
    for (const auto* words : {&scores.check_commands, &scores.review_commands,
                              &scores.score_commands, &scores.table_commands}) {
        for (const auto& word : *words) {
            if (!taken.insert(word).second) {
                throw ConfigError("config: [scores] command word '" + word +
                                  "' is already the word of another command");
            }
        }
    }
}

// The morning nickname check's time, for reminders that say by when to fix a nickname. The
// schedule is the one place the time is written.
bot::settings::TimeOfDay nickname_risk_time(const ScheduleSettings& schedule) {
    for (const auto& job : schedule.jobs) {
        if (job.name == "nickname-morning" && job.at.kind == bot::time::ScheduleSpec::Kind::daily) {
            return bot::settings::TimeOfDay{job.at.hour, job.at.minute};
        }
    }
    return bot::settings::TimeOfDay{9, 0};
}

bot::settings::RiskNoticeSettings read_risk_notices(TableReader risks) {
    bot::settings::RiskNoticeSettings out;
    out.headers = non_empty_strings(risks, "headers");
    out.acknowledge_commands = non_empty_strings(risks, "acknowledge_commands");
    out.close_commands = command_words(risks, "close_commands");
    for (std::string_view key : {"headers", "acknowledge_commands"}) {
        const auto& words = key == "headers" ? out.headers : out.acknowledge_commands;
        if (words.empty()) {
            throw ConfigError("config: '" + risks.key_path(key) + "' must list at least one word");
        }
    }
    out.escalate_after_seconds = risks.integer("escalate_after_hours", 1, 720) * 3600;
    risks.finish();
    return out;
}

bot::settings::LedgerSettings read_ledger(TableReader ledger) {
    bot::settings::LedgerSettings out;
    out.plan_working_days = static_cast<int>(ledger.integer("plan_working_days", 1, 30));
    out.backdate_days = static_cast<int>(ledger.integer("backdate_days", 0, 366));
    out.unvisited_agreement_summary = ledger.string("unvisited_agreement_summary");
    out.coverage_listing_statuses = non_empty_strings(ledger, "coverage_listing_statuses");
    // Fixed sets of actions and fields: the words are the centre's, the meanings are the code's.
    TableReader commands = ledger.table("commands");
    std::set<std::string> words;
    for (const char* action :
         {"plan", "contract", "progress", "refer", "referral_landed", "complete", "infeasible"}) {
        out.commands[action] = non_empty_strings(commands, action);
        if (out.commands[action].empty()) {
            throw ConfigError("config: '" + commands.key_path(action) +
                              "' must list at least one command word");
        }
        for (const auto& word : out.commands[action]) {
            if (!words.insert(word).second) {
                throw ConfigError("config: '" + commands.key_path(action) + "' repeats '" + word +
                                  "', already the word of another command");
            }
        }
    }
    commands.finish();
    TableReader labels = ledger.table("labels");
    for (const char* field : {"owner", "plan", "ratio", "revenue", "department", "reason"}) {
        out.labels[field] = non_empty_strings(labels, field);
    }
    labels.finish();
    ledger.finish();
    return out;
}

std::string read_file_text(const std::filesystem::path& path, const std::string& key) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError("config: '" + key + "' names " + path.string() +
                          ", which cannot be read");
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

bot::settings::ScoreSettings read_scores(TableReader scores) {
    bot::settings::ScoreSettings out;
    const std::string rules_file = scores.string("rules_file");
    out.rules = rules_file.empty()
                    ? load_default_scoring_rules()
                    : load_scoring_rules(read_file_text(rules_file, scores.key_path("rules_file")),
                                         rules_file);
    out.check_commands = command_words(scores, "check_commands");
    out.review_commands = command_words(scores, "review_commands");
    out.score_commands = command_words(scores, "score_commands");
    out.table_commands = command_words(scores, "table_commands");
    out.inaccurate_words = command_words(scores, "inaccurate_words");
    out.omission_words = command_words(scores, "omission_words");
    out.approve_words = command_words(scores, "approve_words");
    out.void_words = command_words(scores, "void_words");
    out.reviewer_titles = non_empty_strings(scores, "reviewer_titles");
    out.message_max_bytes =
        static_cast<std::size_t>(scores.integer("message_max_bytes", 1024, 1 << 20));
    out.review_window_weeks = static_cast<int>(scores.integer("review_window_weeks", 1, 53));
    std::set<std::string> names;
    std::set<std::string> departments;
    for (TableReader line : scores.tables("lines")) {
        bot::settings::ScoreLineSettings value;
        value.name = line.string("name");
        if (value.name.empty() || !names.insert(value.name).second) {
            throw ConfigError("config: '" + line.key_path("name") +
                              "' must be a name no other line has");
        }
        value.director_id = line.string("director");
        value.departments = non_empty_strings(line, "departments");
        for (const auto& department : value.departments) {
            if (!departments.insert(department).second) {
                throw ConfigError("config: '" + line.key_path("departments") + "' lists '" +
                                  department + "', which another line lists too");
            }
        }
        line.finish();
        out.lines.push_back(std::move(value));
    }
    for (TableReader group : scores.tables("publish_to")) {
        bot::model::NoticeTarget target;
        target.channel = group.string("channel");
        target.kind = bot::model::NoticeTarget::Kind::chat;
        target.id = group.string("chat_id");
        if (target.channel.empty() || target.id.empty()) {
            throw ConfigError("config: '" + group.key_path("chat_id") +
                              "' and its channel must both be set");
        }
        group.finish();
        out.publish_to.push_back(std::move(target));
    }
    scores.finish();
    return out;
}

bot::settings::BriefingSettings read_briefing(TableReader briefing) {
    bot::settings::BriefingSettings out;
    out.headers = non_empty_strings(briefing, "headers");
    if (out.headers.empty()) {
        throw ConfigError("config: '" + briefing.key_path("headers") +
                          "' must list at least one header word");
    }
    TableReader labels = briefing.table("labels");
    for (const char* field :
         {"form", "time", "participants", "invitation", "consensus", "outcome", "next_steps"}) {
        out.fields.emplace_back(field);
        out.labels[field] = non_empty_strings(labels, field);
        if (out.labels[field].empty()) {
            throw ConfigError("config: '" + labels.key_path(field) +
                              "' must list at least one label");
        }
    }
    labels.finish();
    briefing.finish();
    return out;
}

bot::settings::NoticeRouting read_notices(TableReader notices, const WecomSettings& wecom) {
    bot::settings::NoticeRouting out;
    out.compliance_channel = notices.string("compliance_channel");
    out.compliance_chat_id = notices.string("compliance_chat_id");
    if (out.compliance_channel.empty() != out.compliance_chat_id.empty()) {
        throw ConfigError("config: '" + notices.key_path("compliance_chat_id") +
                          "' and compliance_channel are set together or not at all");
    }
    out.admin_ids = notices.strings("admin_ids");
    out.admin_channel = notices.string("admin_channel");
    notices.finish();
    if (wecom.api_configured()) {
        // The intelligent bot cannot write to one person; the app can, and can create groups.
        out.direct_channel["wecom-bot"] = "wecom-app";
        out.group_creation_channel = "wecom-app";
    }
    return out;
}

ScheduleSettings read_schedule(TableReader schedule) {
    ScheduleSettings out;
    out.enabled = schedule.boolean("enabled");
    out.check_interval_seconds =
        static_cast<int>(schedule.integer("check_interval_seconds", 1, 3600));
    // At least an hour, which is also more than the longest check interval: otherwise a slot
    // could be "too late" by the time the scheduler first looks at it.
    out.max_lateness_hours = static_cast<int>(schedule.integer("max_lateness_hours", 1, 24 * 92));
    std::set<std::string> names;
    for (TableReader job : schedule.tables("jobs")) {
        ScheduledJob value;
        value.name = job.string("name");
        const bool name_ok = !value.name.empty() && value.name.size() <= 64 &&
                             value.name.find_first_not_of(
                                 "abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
        if (!name_ok) {
            throw ConfigError("config: '" + job.key_path("name") +
                              "' must be 1 to 64 of a-z, 0-9 and '-': " + value.name);
        }
        if (!names.insert(value.name).second) {
            throw ConfigError("config: '" + job.key_path("name") + "' repeats job '" + value.name +
                              "'");
        }
        const std::string at = job.string("at");
        auto parsed = bot::time::parse_schedule(at);
        if (!parsed.spec) {
            throw ConfigError("config: '" + job.key_path("at") +
                              "' is not a schedule: " + parsed.error);
        }
        value.at = std::move(*parsed.spec);
        value.enabled = job.boolean("enabled");
        job.finish();
        out.jobs.push_back(std::move(value));
    }
    schedule.finish();
    return out;
}

// A value the environment may override (secrets stay out of config files that way).
void override_from_env(std::string& value, const EnvironmentLookup& env, std::string_view name) {
    if (auto from_env = env(name); from_env && !from_env->empty()) {
        value = *from_env;
    }
}

void require_path(const std::string& path, const std::string& key) {
    if (path.empty() || path.front() != '/' || path.find('?') != std::string::npos) {
        throw ConfigError("config: '" + key + "' must be a path starting with '/' and no query");
    }
}

// Messages name the key and the variable, never the value: these are secrets.
void require_set(const std::string& value, const std::string& key, std::string_view env_name) {
    if (value.empty()) {
        std::string message = "config: '" + key + "' is required when the callback is enabled";
        if (!env_name.empty()) {
            message += " (or set " + std::string(env_name) + ")";
        }
        throw ConfigError(message);
    }
}

WecomSettings read_wecom(TableReader wecom, const EnvironmentLookup& env) {
    WecomSettings out;
    out.enabled = wecom.boolean("enabled");
    out.app_path = wecom.string("app_path");
    out.corp_id = wecom.string("corp_id");
    out.token = wecom.string("token");
    out.encoding_aes_key = wecom.string("encoding_aes_key");
    out.bot_enabled = wecom.boolean("bot_enabled");
    out.bot_path = wecom.string("bot_path");
    out.bot_token = wecom.string("bot_token");
    out.bot_encoding_aes_key = wecom.string("bot_encoding_aes_key");
    out.agent_id = wecom.integer("agent_id", 0, std::numeric_limits<std::int32_t>::max());
    out.secret = wecom.string("secret");
    out.api_base_url = wecom.string("api_base_url");
    out.request_timeout_ms = static_cast<int>(wecom.integer("request_timeout_ms", 100, 120000));
    out.api_keep_alive_seconds = static_cast<int>(wecom.integer("api_keep_alive_seconds", 0, 300));
    out.group_sync_delay_ms = static_cast<int>(wecom.integer("group_sync_delay_ms", 0, 600000));
    out.group_resync_minutes =
        static_cast<int>(wecom.integer("group_resync_minutes", 0, 7 * 24 * 60));
    const std::string format = wecom.string("message_format");
    if (format != "text" && format != "markdown") {
        throw ConfigError("config: '" + wecom.key_path("message_format") +
                          "' must be text or markdown");
    }
    out.markdown = format == "markdown";
    TableReader webhooks = wecom.table("webhooks");
    for (const auto& name : webhooks.keys()) {
        out.webhooks[name] = webhooks.string(name);
        std::string env_name = "LEDGERBOT_WECOM_WEBHOOK_";
        for (char c : name) {
            env_name += std::isalnum(static_cast<unsigned char>(c))
                            ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                            : '_';
        }
        override_from_env(out.webhooks[name], env, env_name.c_str());
    }
    webhooks.finish();
    TableReader chat_robots = wecom.table("chat_robots");
    for (const auto& chat : chat_robots.keys()) {
        out.chat_robots[chat] = chat_robots.string(chat);
        if (!out.webhooks.count(out.chat_robots[chat])) {
            throw ConfigError("config: '" + chat_robots.key_path(chat) + "' names robot '" +
                              out.chat_robots[chat] + "' that adapters.wecom.webhooks lacks");
        }
    }
    chat_robots.finish();
    wecom.finish();

    override_from_env(out.token, env, "LEDGERBOT_WECOM_TOKEN");
    override_from_env(out.encoding_aes_key, env, "LEDGERBOT_WECOM_AES_KEY");
    override_from_env(out.bot_token, env, "LEDGERBOT_WECOM_BOT_TOKEN");
    override_from_env(out.bot_encoding_aes_key, env, "LEDGERBOT_WECOM_BOT_AES_KEY");
    override_from_env(out.secret, env, "LEDGERBOT_WECOM_SECRET");

    // The key's format is checked where the crypto lives (app/wecom_hooks.cpp, at startup):
    // config/ depends on bot/ only.
    if (out.enabled) {
        require_path(out.app_path, wecom.key_path("app_path"));
        require_set(out.corp_id, wecom.key_path("corp_id"), "");
        require_set(out.token, wecom.key_path("token"), "LEDGERBOT_WECOM_TOKEN");
        require_set(out.encoding_aes_key, wecom.key_path("encoding_aes_key"),
                    "LEDGERBOT_WECOM_AES_KEY");
    }
    if (out.bot_enabled) {
        require_path(out.bot_path, wecom.key_path("bot_path"));
        require_set(out.bot_token, wecom.key_path("bot_token"), "LEDGERBOT_WECOM_BOT_TOKEN");
        require_set(out.bot_encoding_aes_key, wecom.key_path("bot_encoding_aes_key"),
                    "LEDGERBOT_WECOM_BOT_AES_KEY");
    }
    if (!out.api_base_url.starts_with("https://") && !out.api_base_url.starts_with("http://")) {
        throw ConfigError("config: '" + wecom.key_path("api_base_url") +
                          "' must start with https:// (or http:// for a local fake)");
    }
    if (out.enabled && out.bot_enabled && out.app_path == out.bot_path) {
        throw ConfigError("config: '" + wecom.key_path("app_path") + "' and '" +
                          wecom.key_path("bot_path") + "' must differ");
    }
    return out;
}

Settings read_settings(const toml::table& root, const EnvironmentLookup& env) {
    Settings settings;
    TableReader top(root, "");

    TableReader server = top.table("server");
    settings.server.listen_address = server.string("listen_address");
    settings.server.listen_port =
        static_cast<std::uint16_t>(server.integer("listen_port", 0, 65535));
    settings.server.body_limit_bytes =
        static_cast<std::size_t>(server.integer("body_limit_bytes", 1024, 64LL << 20));
    settings.server.read_timeout_seconds =
        static_cast<int>(server.integer("read_timeout_seconds", 1, 3600));
    settings.server.shutdown_grace_seconds =
        static_cast<int>(server.integer("shutdown_grace_seconds", 0, 600));
    settings.server.ops_listen_address = server.string("ops_listen_address");
    settings.server.ops_listen_port =
        static_cast<std::uint16_t>(server.integer("ops_listen_port", 0, 65535));
    settings.server.metrics_token = server.string("metrics_token");
    override_from_env(settings.server.metrics_token, env, "LEDGERBOT_METRICS_TOKEN");
    server.finish();

    TableReader console = top.table("console");
    settings.console.enabled = console.boolean("enabled");
    settings.console.listen_address = console.string("listen_address");
    settings.console.listen_port =
        static_cast<std::uint16_t>(console.integer("listen_port", 0, 65535));
    settings.console.public_base_url = console.string("public_base_url");
    while (settings.console.public_base_url.ends_with('/')) {
        settings.console.public_base_url.pop_back();
    }
    settings.console.oauth_authorize_url = console.string("oauth_authorize_url");
    settings.console.sso_login_url = console.string("sso_login_url");
    settings.console.session_idle_minutes =
        static_cast<int>(console.integer("session_idle_minutes", 1, 24 * 60));
    settings.console.session_hours = static_cast<int>(console.integer("session_hours", 1, 24 * 7));
    settings.console.login_minutes = static_cast<int>(console.integer("login_minutes", 1, 60));
    settings.console.link_minutes = static_cast<int>(console.integer("link_minutes", 1, 24 * 60));
    console.finish();
    for (const std::string* url :
         {&settings.console.public_base_url, &settings.console.oauth_authorize_url,
          &settings.console.sso_login_url}) {
        if (!url->empty() && !url->starts_with("https://") && !url->starts_with("http://")) {
            throw ConfigError(
                "config: the [console] URLs must start with https:// (or http:// "
                "for a local test), not '" +
                *url + "'");
        }
    }

    TableReader storage = top.table("storage");
    settings.storage.database_path = storage.string("database_path");
    settings.storage.backup_directory = storage.string("backup_directory");
    settings.storage.backups_kept = static_cast<int>(storage.integer("backups_kept", 0, 1000));
    settings.storage.received_path = storage.string("received_path");
    settings.storage.inbox_lag_warning_seconds =
        static_cast<int>(storage.integer("inbox_lag_warning_seconds", 0, 86400));
    settings.storage.received_keep_hours =
        static_cast<int>(storage.integer("received_keep_hours", 1, 24 * 90));
    storage.finish();
    if (settings.storage.received_path.empty()) {
        std::filesystem::path database(settings.storage.database_path);
        settings.storage.received_path =
            (database.parent_path() /
             (database.stem().string() + "-received" + database.extension().string()))
                .string();
    }
    const std::filesystem::path database_dir =
        std::filesystem::path(settings.storage.database_path).parent_path();
    if (settings.storage.backup_directory.empty()) {
        settings.storage.backup_directory = (database_dir / "backups").string();
    }

    TableReader evidence = top.table("evidence");
    settings.evidence.directory = evidence.string("directory");
    if (settings.evidence.directory.empty()) {
        settings.evidence.directory = (database_dir / "evidence").string();
    }
    settings.evidence.max_bytes = evidence.integer("max_bytes", 1024, 1LL << 30);
    settings.evidence.types = evidence.strings("types");
    static const std::set<std::string> kImageTypes{"jpeg", "png", "gif", "webp"};
    for (const auto& type : settings.evidence.types) {
        if (!kImageTypes.count(type)) {
            throw ConfigError("config: 'evidence.types' may list jpeg, png, gif and webp, not '" +
                              type + "'");
        }
    }
    settings.evidence.upload_path = evidence.string("upload_path");
    settings.evidence.first_retry_seconds =
        static_cast<int>(evidence.integer("first_retry_seconds", 1, 3600));
    settings.evidence.max_retry_seconds =
        static_cast<int>(evidence.integer("max_retry_seconds", 1, 86400));
    settings.evidence.fetch_timeout_ms =
        static_cast<int>(evidence.integer("fetch_timeout_ms", 100, 600000));
    settings.evidence.media_id_lifetime_hours =
        static_cast<int>(evidence.integer("media_id_lifetime_hours", 1, 24 * 30));
    settings.evidence.bot_url_lifetime_seconds =
        static_cast<int>(evidence.integer("bot_url_lifetime_seconds", 10, 86400));
    settings.evidence.url_lifetime_hours =
        static_cast<int>(evidence.integer("url_lifetime_hours", 1, 24 * 365));
    evidence.finish();

    TableReader import = top.table("import");
    settings.import.listing_statuses = import.strings("listing_statuses");
    const auto read_headers = [&import](const char* key, const std::set<std::string>& columns) {
        std::map<std::string, std::vector<std::string>> out;
        TableReader headers = import.table(key);
        for (const auto& column : headers.keys()) {
            if (!columns.count(column)) {
                throw ConfigError("config: '" + headers.key_path(column) +
                                  "' is not a column of that import");
            }
            out[column] = headers.strings(column);
        }
        headers.finish();
        return out;
    };
    settings.import.company_headers =
        read_headers("company_headers", {"full_name", "short_names", "industry", "listing_status",
                                         "department", "account_manager", "served_since"});
    settings.import.staff_headers =
        read_headers("staff_headers", {"id", "name", "department", "titles"});
    import.finish();

    TableReader retention = top.table("retention");
    settings.engine.retention.raw_events_days =
        static_cast<int>(retention.integer("raw_events_days", 1, 3650));
    settings.engine.retention.sent_notices_days =
        static_cast<int>(retention.integer("sent_notices_days", 1, 3650));
    retention.finish();

    TableReader chat = top.table("chat");
    settings.engine.chat.help_commands = command_words(chat, "help_commands");
    settings.engine.chat.help_words = non_empty_strings(chat, "help_words");
    settings.engine.chat.risk_commands = command_words(chat, "risk_commands");
    settings.engine.chat.ledger_commands = command_words(chat, "ledger_commands");
    settings.engine.chat.demand_commands = command_words(chat, "demand_commands");
    settings.engine.chat.demand_delete_words = non_empty_strings(chat, "demand_delete_words");
    settings.engine.chat.export_commands = command_words(chat, "export_commands");
    settings.engine.chat.ledger_export_words = non_empty_strings(chat, "ledger_export_words");
    settings.engine.chat.table_export_words = non_empty_strings(chat, "table_export_words");
    settings.engine.chat.list_limit = static_cast<int>(chat.integer("list_limit", 1, 100));
    settings.engine.chat.stranger_answer_seconds =
        chat.integer("stranger_answer_hours", 1, 720) * 3600;
    chat.finish();

    TableReader log = top.table("log");
    settings.log.level = log.string("level");
    static const std::set<std::string> kLevels{"trace", "debug", "info", "warn", "error"};
    if (!kLevels.count(settings.log.level)) {
        throw ConfigError("config: 'log.level' must be one of trace, debug, info, warn, error");
    }
    settings.log.format = log.string("format");
    if (settings.log.format != "text" && settings.log.format != "json") {
        throw ConfigError("config: 'log.format' must be text or json");
    }
    log.finish();

    TableReader adapters = top.table("adapters");
    TableReader generic = adapters.table("generic");
    settings.generic.enabled = generic.boolean("enabled");
    settings.generic.path = generic.string("path");
    settings.generic.secret = generic.string("secret");
    settings.generic.previous_secrets = generic.strings("previous_secrets");
    settings.generic.max_clock_skew_seconds = generic.integer("max_clock_skew_seconds", 1, 86400);
    settings.generic.outbound_url = generic.string("outbound_url");
    settings.generic.console_sink = generic.string("console_sink");
    generic.finish();
    settings.wecom = read_wecom(adapters.table("wecom"), env);
    adapters.finish();
    if (auto secret = env("LEDGERBOT_GENERIC_SECRET"); secret && !secret->empty()) {
        settings.generic.secret = *secret;
    }
    if (auto previous = env("LEDGERBOT_GENERIC_PREVIOUS_SECRETS"); previous && !previous->empty()) {
        settings.generic.previous_secrets = bot::text::split_any(*previous, U",");
    }
    for (const auto& previous : settings.generic.previous_secrets) {
        if (previous.empty()) {
            throw ConfigError("config: 'adapters.generic.previous_secrets' holds an empty secret");
        }
    }
    if (settings.generic.enabled && settings.generic.secret.empty()) {
        throw ConfigError(
            "config: 'adapters.generic.secret' is empty (or set LEDGERBOT_GENERIC_SECRET)");
    }
    settings.generic.secret_is_development_default = settings.generic.secret == kDevelopmentSecret;
    for (const auto& [enabled, path, key] :
         {std::tuple{settings.wecom.enabled, settings.wecom.app_path, "app_path"},
          std::tuple{settings.wecom.bot_enabled, settings.wecom.bot_path, "bot_path"}}) {
        if (enabled && settings.generic.enabled && path == settings.generic.path) {
            throw ConfigError(std::string("config: 'adapters.wecom.") + key +
                              "' is the generic adapter's path too");
        }
    }

    TableReader outbox = top.table("outbox");
    settings.outbox.retry_for_hours =
        static_cast<int>(outbox.integer("retry_for_hours", 1, 24 * 30));
    settings.outbox.alert_after_minutes =
        static_cast<int>(outbox.integer("alert_after_minutes", 1, 24 * 60));
    settings.outbox.initial_backoff_seconds =
        static_cast<int>(outbox.integer("initial_backoff_seconds", 0, 3600));
    settings.outbox.max_backoff_seconds =
        static_cast<int>(outbox.integer("max_backoff_seconds", 0, 86400));
    settings.outbox.poll_interval_ms =
        static_cast<int>(outbox.integer("poll_interval_ms", 10, 60000));
    settings.outbox.concurrency = static_cast<int>(outbox.integer("concurrency", 1, 64));
    settings.outbox.rate_per_minute =
        static_cast<int>(outbox.integer("rate_per_minute", 1, 100000));
    TableReader channel_rates = outbox.table("channel_rate_per_minute");
    for (const auto& channel : channel_rates.keys()) {
        settings.outbox.channel_rate_per_minute[channel] =
            static_cast<int>(channel_rates.integer(channel, 1, 100000));
    }
    channel_rates.finish();
    outbox.finish();

    settings.schedule = read_schedule(top.table("schedule"));
    settings.engine.report = read_report(top.table("report"));
    settings.engine.conventions = read_conventions(top.table("conventions"));
    require_distinct_commands(settings.engine);
    settings.engine.conventions.nickname_risk_time = nickname_risk_time(settings.schedule);
    settings.engine.routing = read_notices(top.table("notices"), settings.wecom);
    // A console action is answered on its page; what the engine sends others because of it
    // (the compliance member told that a risk was acknowledged) goes where people are reached.
    if (settings.wecom.api_configured() && settings.wecom.agent_id != 0) {
        settings.engine.routing.direct_channel["console"] = "wecom-app";
    } else if (settings.generic.enabled) {
        settings.engine.routing.direct_channel["console"] = "generic";
    }
    settings.engine.risk_notices = read_risk_notices(top.table("risks"));
    settings.engine.ledger = read_ledger(top.table("ledger"));
    settings.engine.briefing = read_briefing(top.table("briefing"));
    settings.engine.scores = read_scores(top.table("scores"));
    require_distinct_score_commands(settings.engine);
    settings.engine.calendar = load_holiday_calendar();
    top.finish();
    return settings;
}

}  // namespace

int OutboxSettings::rate_for_channel(const std::string& channel) const {
    auto it = channel_rate_per_minute.find(channel);
    return it == channel_rate_per_minute.end() ? rate_per_minute : it->second;
}

EnvironmentLookup process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (!value) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

std::string_view embedded_config_file(std::string_view name) {
    for (const auto& [file, contents] : embedded_config_files()) {
        if (file == name) {
            return contents;
        }
    }
    return {};
}

std::string_view embedded_default_config() {
    return embedded_config_file("ledgerbot.toml");
}

Settings load_default_settings(const EnvironmentLookup& env) {
    return read_settings(parse(embedded_default_config(), "embedded ledgerbot.toml"), env);
}

Settings load_settings_from_string(std::string_view toml, std::string_view origin,
                                   const EnvironmentLookup& env) {
    toml::table merged = parse(embedded_default_config(), "embedded ledgerbot.toml");
    merge_into(merged, parse(toml, origin));
    return read_settings(merged, env);
}

Settings load_settings_file(const std::filesystem::path& path, const EnvironmentLookup& env) {
    return load_settings_files({path}, env);
}

Settings load_settings_files(const std::vector<std::filesystem::path>& paths,
                             const EnvironmentLookup& env) {
    toml::table merged = parse(embedded_default_config(), "embedded ledgerbot.toml");
    for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            throw ConfigError("config: cannot read " + path.string());
        }
        std::ostringstream contents;
        contents << in.rdbuf();
        merge_into(merged, parse(contents.str(), path.string()));
    }
    return read_settings(merged, env);
}

bot::settings::ScoringRules load_scoring_rules(std::string_view text, std::string_view name) {
    const toml::table document = parse(text, name);
    TableReader top(document, "");
    bot::settings::ScoringRules rules;
    TableReader truth = top.table("truthfulness");
    rules.complete = static_cast<int>(truth.integer("complete", 0, 100));
    rules.accurate = static_cast<int>(truth.integer("accurate", 0, 100));
    rules.evidence = static_cast<int>(truth.integer("evidence", 0, 100));
    rules.full_marks_bonus = static_cast<int>(truth.integer("full_marks_bonus", 0, 100));
    rules.finding_deduction = static_cast<int>(truth.integer("finding_deduction", 0, 100));
    rules.visits_per_company_per_year =
        static_cast<int>(truth.integer("visits_per_company_per_year", 0, 366));
    const std::string scope = truth.string("visit_cap_scope");
    if (scope != "company" && scope != "company_and_reporter") {
        throw ConfigError("config: '" + truth.key_path("visit_cap_scope") +
                          "' must be \"company\" or \"company_and_reporter\"");
    }
    rules.visit_cap_per_reporter = scope == "company_and_reporter";
    // The deadline: `omission_deadline = "24h"` or `"2 working days"` (also 小时 / 个工作日);
    // files written before it name `omission_supplement_working_days`.
    if (truth.has("omission_deadline")) {
        static const std::regex kHours(R"(^\s*(\d{1,3})\s*(h|hours?|小时)\s*$)");
        static const std::regex kWorkingDays(
            R"(^\s*(\d{1,2})\s*(working days?|working-days?|个?工作日)\s*$)");
        const std::string text = truth.string("omission_deadline");
        std::smatch match;
        if (std::regex_match(text, match, kHours) && std::stoi(match[1]) > 0) {
            rules.omission_deadline_hours = std::stoi(match[1]);
        } else if (std::regex_match(text, match, kWorkingDays) && std::stoi(match[1]) > 0) {
            rules.omission_supplement_working_days = std::stoi(match[1]);
        } else {
            throw ConfigError("config: '" + truth.key_path("omission_deadline") +
                              "' must be hours such as \"24h\" or working days such as \"2 "
                              "working days\", not \"" +
                              text + "\"");
        }
        if (truth.has("omission_supplement_working_days")) {
            throw ConfigError("config: '" + truth.key_path("omission_supplement_working_days") +
                              "' and 'omission_deadline' say the same thing: keep one");
        }
    } else {
        rules.omission_supplement_working_days =
            static_cast<int>(truth.integer("omission_supplement_working_days", 0, 60));
    }
    truth.finish();
    TableReader quality = top.table("quality");
    rules.landed = static_cast<int>(quality.integer("landed", 0, 1000));
    rules.revenue = static_cast<int>(quality.integer("revenue", 0, 1000));
    rules.referral_landed = static_cast<int>(quality.integer("referral_landed", 0, 1000));
    rules.first_visit_needs_landing = quality.boolean("first_visit_needs_landing");
    const toml::node& share = quality.require("joint_visit_share");
    const auto value = share.value<double>();
    if (!value || *value <= 0 || *value > 1) {
        throw ConfigError("config: '" + quality.key_path("joint_visit_share") +
                          "' must be a number above 0 and at most 1");
    }
    rules.joint_visit_share = *value;
    // Added after centres had their own files: absent means the regulation's "all".
    const std::string split = quality.has("joint_split") ? quality.string("joint_split") : "all";
    if (split != "all" && split != "quality_only") {
        throw ConfigError("config: '" + quality.key_path("joint_split") +
                          "' must be \"all\" or \"quality_only\"");
    }
    rules.joint_split_truthfulness = split == "all";
    if (quality.has("listed_statuses")) {
        rules.listed_statuses = quality.strings("listed_statuses");
    }
    quality.finish();
    top.finish();
    return rules;
}

bot::settings::ScoringRules load_default_scoring_rules() {
    return load_scoring_rules(embedded_config_file("scoring.toml"), "scoring.toml");
}

}  // namespace ledgerbot::config
