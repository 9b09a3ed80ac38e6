#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ledgerbot::storage {

/// Lowercase hex SHA-256 of `bytes` (OpenSSL).
std::string sha256_hex(std::string_view bytes);

/// Lowercase hex SHA-256 of a file's content, read in blocks; nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::filesystem::path& path);

}  // namespace ledgerbot::storage
