#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ledgerbot::testing {

/// The ledgerbot binary of this build.
extern const std::string kBinary;

/// The real ledgerbot binary serving as a child process (`--config CONFIG [--config MORE…]
/// serve`), its output appended to `log`. Waits until it listens; killed with SIGKILL when
/// destroyed.
class ServiceProcess {
public:
    ServiceProcess(const std::filesystem::path& config, const std::filesystem::path& log,
                   const std::vector<std::filesystem::path>& more_configs = {});
    ~ServiceProcess();
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    std::uint16_t port() const { return port_; }
    /// Sends `signal` and waits for the process to end; returns its wait status.
    int kill(int signal);
    /// Sends `signal` and returns at once (SIGHUP: the process goes on).
    void signal(int signal) const;

private:
    std::uint16_t wait_for_port(const std::filesystem::path& log) const;

    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    static inline std::uint16_t last_port_ = 0;
};

}  // namespace ledgerbot::testing
