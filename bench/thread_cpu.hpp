#pragma once

#include <sys/types.h>

#include <map>
#include <string>

/// CPU time per thread from /proc, so that a benchmark can say which part of a process paid
/// for a request (Linux only, as the benchmarks are).
namespace ledgerbot::bench {

struct CpuTime {
    double user_s = 0;
    double system_s = 0;  // in the kernel on the thread's behalf: syscalls, TCP, fsync

    double total_s() const { return user_s + system_s; }
    CpuTime& operator+=(const CpuTime& other) {
        user_s += other.user_s;
        system_s += other.system_s;
        return *this;
    }
};

struct ThreadCpu {
    std::string name;  // the thread's comm, as pthread_setname_np left it
    CpuTime time;
};

/// Every live thread of `pid`, by thread id. Empty when the process is gone.
std::map<pid_t, ThreadCpu> threads_of(pid_t pid);

/// What each thread used from `before` to `after`, summed by `group(tid, name)`; threads that
/// ended in between are missing from `after` and not counted.
template <typename Group>
std::map<std::string, CpuTime> used_between(const std::map<pid_t, ThreadCpu>& before,
                                            const std::map<pid_t, ThreadCpu>& after, Group group) {
    std::map<std::string, CpuTime> out;
    for (const auto& [tid, thread] : after) {
        CpuTime used = thread.time;
        if (const auto it = before.find(tid); it != before.end()) {
            used.user_s -= it->second.time.user_s;
            used.system_s -= it->second.time.system_s;
        }
        out[group(tid, thread.name)] += used;
    }
    return out;
}

/// The whole machine's CPU seconds so far, all cores (/proc/stat).
struct MachineCpu {
    double busy_s = 0;   // user, nice, system, irq, softirq
    double steal_s = 0;  // a virtual machine's cores running someone else's work
};
MachineCpu machine_cpu();

}  // namespace ledgerbot::bench
