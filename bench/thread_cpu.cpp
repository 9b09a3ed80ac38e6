#include "bench/thread_cpu.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ledgerbot::bench {

namespace {

double ticks_per_second() {
    static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return ticks;
}

// /proc/<pid>/task/<tid>/stat: "tid (comm) state ..." with utime and stime the 14th and 15th
// fields. The comm may hold spaces and parentheses, so the fields are counted from the last ')'.
bool read_stat(const std::filesystem::path& path, ThreadCpu& out) {
    std::ifstream file(path);
    std::string line;
    if (!std::getline(file, line)) {
        return false;
    }
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) {
        return false;
    }
    std::istringstream rest(line.substr(close + 1));
    std::string field;
    // Fields 3..13 (state .. cmajflt), then utime and stime.
    for (int i = 3; i <= 13; ++i) {
        rest >> field;
    }
    unsigned long long user = 0;
    unsigned long long system = 0;
    if (!(rest >> user >> system)) {
        return false;
    }
    out.name = line.substr(open + 1, close - open - 1);
    out.time.user_s = static_cast<double>(user) / ticks_per_second();
    out.time.system_s = static_cast<double>(system) / ticks_per_second();
    return true;
}

}  // namespace

std::map<pid_t, ThreadCpu> threads_of(pid_t pid) {
    std::map<pid_t, ThreadCpu> out;
    std::error_code ec;
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    for (const auto& entry : std::filesystem::directory_iterator(tasks, ec)) {
        ThreadCpu thread;
        pid_t tid = 0;
        try {
            tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
        } catch (const std::exception&) {
            continue;
        }
        // A thread that ends while the directory is read has no stat any more: skip it.
        if (read_stat(entry.path() / "stat", thread)) {
            out.emplace(tid, std::move(thread));
        }
    }
    return out;
}

MachineCpu machine_cpu() {
    std::ifstream file("/proc/stat");
    std::string cpu;
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                       steal = 0;
    file >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    if (cpu != "cpu") {
        return {};
    }
    return {static_cast<double>(user + nice + system + irq + softirq) / ticks_per_second(),
            static_cast<double>(steal) / ticks_per_second()};
}

}  // namespace ledgerbot::bench
