// Cross-checks CallbackCrypto against WeCom's own npm package @wecom/crypto, run by Node from
// tests/adapters/wecom/oracle/oracle.js. The vectors in callback_crypto_test.cpp pin a handful
// of inputs; this covers many random UTF-8 payloads and lengths in both directions.

#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/wecom/callback_crypto.hpp"
#include "bot/text/text.hpp"
#include "tests/adapters/wecom/result_name.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::adapters::wecom::CallbackCrypto;
using ledgerbot::adapters::wecom::testing::result_name;

constexpr std::string_view kKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
constexpr std::string_view kReceiveId = "ww1436e0e65a779aee";
constexpr int kPayloads = 200;
constexpr std::string_view kInstallHint =
    "run `npm ci --prefix tests/adapters/wecom/oracle` from the source root (the project's test "
    "script does this) so that the @wecom/crypto oracle is installed";

std::filesystem::path oracle_dir() {
    return std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "tests" / "adapters" / "wecom" / "oracle";
}

std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out.push_back(c);
        }
    }
    out.push_back('\'');
    return out;
}

std::string oracle_command(std::string_view arguments) {
    return "node " + shell_quote((oracle_dir() / "oracle.js").string()) + " " +
           std::string(arguments);
}

int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;
};

CommandResult run_reading(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    CommandResult result;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, n);
    }
    result.exit_code = exit_code_of(pclose(pipe));
    return result;
}

int run_writing(const std::string& command, std::string_view input) {
    // If node dies before reading everything, a write must fail with EPIPE instead of killing
    // the whole test binary with SIGPIPE.
    const auto previous = std::signal(SIGPIPE, SIG_IGN);
    FILE* pipe = popen(command.c_str(), "w");
    REQUIRE(pipe != nullptr);
    std::fwrite(input.data(), 1, input.size(), pipe);
    const int status = pclose(pipe);
    std::signal(SIGPIPE, previous);
    return exit_code_of(status);
}

// Pipes JSON lines into `oracle.js decrypt`; its report goes to a file because popen offers
// only one direction.
CommandResult run_oracle_decrypt(std::string_view input) {
    const ledgerbot::testing::TempDir dir;
    const auto report_path = dir / "oracle-report.txt";
    CommandResult result;
    result.exit_code = run_writing(oracle_command("decrypt " + std::string(kKey) + " > " +
                                                  shell_quote(report_path.string()) + " 2>&1"),
                                   input);
    std::ifstream report(report_path);
    result.output.assign(std::istreambuf_iterator<char>(report), std::istreambuf_iterator<char>());
    return result;
}

// Never skips: a cross-check that silently does nothing would look like a pass.
void require_oracle() {
    const CommandResult node = run_reading("node --version 2>&1");
    if (node.exit_code != 0) {
        FAIL("Node.js (node) is not on PATH: install Node 20, then " << kInstallHint);
    }
    if (!std::filesystem::exists(oracle_dir() / "node_modules" / "@wecom" / "crypto" /
                                 "package.json")) {
        FAIL("tests/adapters/wecom/oracle/node_modules is missing: " << kInstallHint);
    }
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

bool is_ascii(std::string_view text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

// Valid UTF-8 only (no surrogates): the oracle compares JavaScript strings.
std::string random_utf8(std::mt19937& rng, std::size_t target_bytes) {
    static constexpr std::pair<char32_t, char32_t> kRanges[] = {
        {0x20, 0x7e},     {0x00, 0x1f},     {0xa1, 0x24f},      {0x4e00, 0x9fff},
        {0x3000, 0x303f}, {0xff01, 0xff5e}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff},
    };
    std::uniform_int_distribution<std::size_t> pick_range(0, std::size(kRanges) - 1);
    std::string text;
    while (text.size() < target_bytes) {
        const auto [low, high] = kRanges[pick_range(rng)];
        std::uniform_int_distribution<std::uint32_t> pick(low, high);
        ledgerbot::bot::text::append_utf8(text, static_cast<char32_t>(pick(rng)));
    }
    return text;
}

std::size_t payload_size(std::mt19937& rng, int index, std::size_t receive_id_size) {
    std::uniform_int_distribution<int> below(0, 5);
    switch (index % 4) {
        case 0: {
            // Just below, on and above a 32-byte pad boundary of the whole plaintext.
            const int boundary = 32 * (1 + below(rng)) - 20 - static_cast<int>(receive_id_size);
            const int size = boundary + std::uniform_int_distribution<int>(-3, 3)(rng);
            return static_cast<std::size_t>(std::max(0, size));
        }
        case 1:
            return index % 20 == 1 ? 0 : std::uniform_int_distribution<std::size_t>(1, 64)(rng);
        case 2:
            return std::uniform_int_distribution<std::size_t>(64, 600)(rng);
        default:
            return index % 40 == 3 ? 5000 : std::uniform_int_distribution<std::size_t>(1, 200)(rng);
    }
}

}  // namespace

TEST_CASE("CallbackCrypto verifies and decrypts 200 payloads that @wecom/crypto encrypted",
          "[wecom][crypto][oracle]") {
    require_oracle();
    const CommandResult generated = run_reading(
        oracle_command("generate " + std::to_string(kPayloads) + " " + std::string(kKey) + " " +
                       std::string(kReceiveId) + " 20240701 2>&1"));
    INFO("oracle output starts: " << generated.output.substr(0, 500));
    REQUIRE(generated.exit_code == 0);
    const std::vector<std::string> lines = split_lines(generated.output);
    REQUIRE(lines.size() == static_cast<std::size_t>(kPayloads));

    int empty_messages = 0;
    int empty_receive_ids = 0;
    int non_ascii = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO("line " << i + 1 << ": " << lines[i].substr(0, 300));
        const auto line = nlohmann::json::parse(lines[i], nullptr, false);
        REQUIRE_FALSE(line.is_discarded());
        const auto message = line.at("message").get<std::string>();
        const auto receive_id = line.at("receiveid").get<std::string>();
        const auto encrypt = line.at("encrypt").get<std::string>();
        const auto timestamp = line.at("timestamp").get<std::string>();
        const auto nonce = line.at("nonce").get<std::string>();
        const auto msg_signature = line.at("msgsignature").get<std::string>();
        empty_messages += message.empty() ? 1 : 0;
        empty_receive_ids += receive_id.empty() ? 1 : 0;
        non_ascii += is_ascii(message) ? 0 : 1;

        const auto crypto =
            CallbackCrypto::create(line.at("token").get<std::string>(), kKey, receive_id);
        REQUIRE(result_name(crypto) == "ok");
        CHECK(crypto.value().signature(timestamp, nonce, encrypt) == msg_signature);
        const auto decrypted =
            crypto.value().verify_and_decrypt(msg_signature, timestamp, nonce, encrypt);
        REQUIRE(result_name(decrypted) == "ok");
        CHECK(decrypted.value() == message);
    }
    // Guards against the generator quietly losing the cases that matter.
    CHECK(empty_messages > 0);
    CHECK(empty_receive_ids > 0);
    CHECK(non_ascii > kPayloads / 4);
}

TEST_CASE("@wecom/crypto decrypts 200 payloads that CallbackCrypto encrypted and signed",
          "[wecom][crypto][oracle]") {
    require_oracle();
    const std::string token = "ledgerbotOracleToken";
    const auto for_corp = CallbackCrypto::create(token, kKey, std::string(kReceiveId));
    const auto for_bot = CallbackCrypto::create(token, kKey, "");
    REQUIRE(result_name(for_corp) == "ok");
    REQUIRE(result_name(for_bot) == "ok");

    std::mt19937 rng(20240702);
    std::string input;
    for (int i = 0; i < kPayloads; ++i) {
        const CallbackCrypto& crypto = i % 5 == 4 ? for_bot.value() : for_corp.value();
        const std::string message =
            random_utf8(rng, payload_size(rng, i, crypto.receive_id().size()));
        const std::string encrypt = crypto.encrypt(message);
        const std::string timestamp = std::to_string(1700000000 + i);
        const std::string nonce = std::to_string(rng());
        input +=
            nlohmann::json{
                {"message", message},
                {"receiveid", crypto.receive_id()},
                {"encrypt", encrypt},
                {"token", token},
                {"timestamp", timestamp},
                {"nonce", nonce},
                {"msgsignature", crypto.signature(timestamp, nonce, encrypt)},
            }
                .dump();
        input += '\n';
    }

    const CommandResult oracle = run_oracle_decrypt(input);
    INFO("oracle report: " << oracle.output);
    CHECK(oracle.exit_code == 0);
    CHECK(oracle.output.find(std::to_string(kPayloads) + " lines, 0 mismatches") !=
          std::string::npos);
}

TEST_CASE("The @wecom/crypto oracle rejects a ciphertext that does not carry the stated message",
          "[wecom][crypto][oracle]") {
    // Without this, an oracle that always exits 0 would make the test above meaningless.
    require_oracle();
    const auto crypto = CallbackCrypto::create("token", kKey, std::string(kReceiveId));
    REQUIRE(result_name(crypto) == "ok");
    const std::string input =
        nlohmann::json{
            {"message", "stated"},
            {"receiveid", kReceiveId},
            {"encrypt", crypto.value().encrypt("actual")},
        }
            .dump() +
        "\n";

    const CommandResult oracle = run_oracle_decrypt(input);
    INFO("oracle report: " << oracle.output);
    CHECK(oracle.exit_code == 1);
    CHECK(oracle.output.find("1 lines, 1 mismatches") != std::string::npos);
}
