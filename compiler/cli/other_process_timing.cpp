#include "other_process_timing.h"

#include <cerrno>
#include <filesystem>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schedule_variant.h"

extern char **environ;

namespace convc {

namespace {

std::string this_executable() {
    std::error_code error;
    return std::filesystem::read_symlink("/proc/self/exe", error).string();
}

// Runs `args` (args[0] the executable) with stdout and stderr into one pipe; its output, or
// nullopt when it could not be started or did not exit with status 0.
std::optional<std::string> output_of(const std::vector<std::string> &args) {
    int pipe_ends[2];
    if (::pipe2(pipe_ends, O_CLOEXEC) != 0) {
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDERR_FILENO);
    std::vector<char *> argv;
    for (const std::string &arg : args) {
        argv.push_back(const_cast<char *>(arg.c_str()));
    }
    argv.push_back(nullptr);
    pid_t child = 0;
    int spawned = ::posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_ends[1]);
    std::string output;
    char buffer[4096];
    for (ssize_t n; spawned == 0 && (n = ::read(pipe_ends[0], buffer, sizeof buffer)) != 0;) {
        if (n > 0) {
            output.append(buffer, static_cast<size_t>(n));
        } else if (errno != EINTR) {
            break;
        }
    }
    ::close(pipe_ends[0]);
    int status = 0;
    if (spawned != 0 || ::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return std::nullopt;
    }
    return output;
}

// The "timed I G G1" and "rejected I why" lines of time_schedules_verb.cpp, one per schedule.
std::optional<std::vector<ProcessGflops>> read_timings(const std::string &output, size_t count) {
    std::vector<ProcessGflops> timings(count);
    std::vector<bool> seen(count, false);
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string kind;
        size_t index = count;
        words >> kind >> index;
        if ((kind != "timed" && kind != "rejected") || index >= count) {
            continue;  // Halide's or the loader's own lines
        }
        if (kind == "timed" && !(words >> timings[index].threads_here >> timings[index].one_thread)) {
            return std::nullopt;
        }
        seen[index] = true;
    }
    for (bool s : seen) {
        if (!s) {
            return std::nullopt;
        }
    }
    return timings;
}

}  // namespace

OtherProcessTiming other_process_timing(const std::string &spec_path) {
    return [spec_path](const Layer &layer, const Halide::Target &target, const std::vector<ScheduleChoice> &schedules,
                       int rounds, double min_seconds) -> std::optional<std::vector<ProcessGflops>> {
        std::string executable = this_executable();
        if (executable.empty()) {
            return std::nullopt;
        }
        std::vector<std::string> args = {executable,   "time-schedules",        spec_path,
                                         "--layer",    layer.name,              "--target",
                                         target.to_string(), "--rounds",        std::to_string(rounds),
                                         "--seconds",  std::to_string(min_seconds)};
        for (const ScheduleChoice &choice : schedules) {
            args.push_back("--schedule");
            args.push_back(variant_text(choice));
        }
        std::optional<std::string> output = output_of(args);
        return output ? read_timings(*output, schedules.size()) : std::nullopt;
    };
}

}  // namespace convc
