#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bot/scoring/scoring.hpp"
#include "config/settings.hpp"

namespace ledgerbot::config {

/// A configuration that cannot be used. The message names the offending key; startup stops.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Looks up an environment variable; injected so tests do not touch the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view)>;
EnvironmentLookup process_environment();

/// The embedded config/ledgerbot.toml.
std::string_view embedded_default_config();
/// Any embedded file under config/ by name, e.g. "scoring.toml"; empty when absent.
std::string_view embedded_config_file(std::string_view name);

/// The embedded defaults, with environment overrides applied.
Settings load_default_settings(const EnvironmentLookup& env = process_environment());
/// A TOML document layered over the embedded defaults: tables merge, other values (arrays
/// included) replace. Unknown keys and bad values throw ConfigError naming the key.
Settings load_settings_from_string(std::string_view toml, std::string_view origin,
                                   const EnvironmentLookup& env = process_environment());
Settings load_settings_file(const std::filesystem::path& path,
                            const EnvironmentLookup& env = process_environment());
/// Several files layered in order over the embedded defaults (e.g. the config, then a secrets
/// file only the service user can read).
Settings load_settings_files(const std::vector<std::filesystem::path>& paths,
                             const EnvironmentLookup& env = process_environment());

/// The scoring rules (第十七条) from a scoring.toml text; ConfigError names a bad key.
bot::settings::ScoringRules load_scoring_rules(std::string_view text, std::string_view name);
/// The embedded config/scoring.toml.
bot::settings::ScoringRules load_default_scoring_rules();

}  // namespace ledgerbot::config
