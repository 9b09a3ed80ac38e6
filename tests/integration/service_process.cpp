#include "tests/integration/service_process.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace ledgerbot::testing {

const std::string kBinary = std::string(LEDGERBOT_BINARY_DIR) + "/app/ledgerbot";

ServiceProcess::ServiceProcess(const std::filesystem::path& config,
                               const std::filesystem::path& log,
                               const std::vector<std::filesystem::path>& more_configs) {
    // Built before fork: the child only execs.
    std::vector<std::string> arguments{kBinary, "--config", config.string()};
    for (const auto& more : more_configs) {
        arguments.insert(arguments.end(), {"--config", more.string()});
    }
    arguments.emplace_back("serve");
    std::vector<char*> argv;
    for (auto& argument : arguments) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fd, STDERR_FILENO);
        dup2(fd, STDOUT_FILENO);
        execv(kBinary.c_str(), argv.data());
        _exit(127);
    }
    REQUIRE(pid_ > 0);
    port_ = wait_for_port(log);
}

ServiceProcess::~ServiceProcess() {
    if (pid_ > 0) {
        kill(SIGKILL);
    }
}

int ServiceProcess::kill(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

void ServiceProcess::signal(int signal) const {
    ::kill(pid_, signal);
}

std::uint16_t ServiceProcess::wait_for_port(const std::filesystem::path& log) const {
    static const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 500; ++i) {
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        const std::string contents = text.str();
        // The log is appended across restarts: the last line that says so is ours.
        std::uint16_t port = 0;
        for (auto it = std::sregex_iterator(contents.begin(), contents.end(), listening);
             it != std::sregex_iterator(); ++it) {
            port = static_cast<std::uint16_t>(std::stoi((*it)[1]));
        }
        if (port != 0 && port != last_port_) {
            last_port_ = port;
            return port;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("ledgerbot did not start; log:\n" << log.string());
    return 0;
}

}  // namespace ledgerbot::testing
