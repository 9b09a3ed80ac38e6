#include "tests/support/command_run.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <stdexcept>
#include <thread>

namespace ledgerbot::testing {
namespace {

std::string drain(int fd) {
    std::string out;
    std::array<char, 4096> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n <= 0) {
            break;
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

}  // namespace

CommandRun run_command(const std::string& program, const std::vector<std::string>& arguments) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> args{program};
    args.insert(args.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(err_pipe[1], STDERR_FILENO);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    CommandRun run;
    // Both pipes are read at once so that a command filling one cannot block on it.
    std::thread err_reader([&] { run.err = drain(err_pipe[0]); });
    run.out = drain(out_pipe[0]);
    err_reader.join();
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return run;
}

std::string ledgerbot_binary() {
    return std::string(LEDGERBOT_BINARY_DIR) + "/app/ledgerbot";
}

}  // namespace ledgerbot::testing
