#include "convc_child.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace convc {

namespace {

// This process's environment with `overrides` ("NAME=value") replacing or joining its entries.
std::vector<std::string> environment_with(const std::vector<std::string> &overrides) {
    std::vector<std::string> entries = overrides;
    for (char **entry = environ; *entry != nullptr; entry++) {
        const char *equals = std::strchr(*entry, '=');
        size_t name_length = equals ? static_cast<size_t>(equals - *entry) : std::strlen(*entry);
        bool overridden = false;
        for (const std::string &o : overrides) {
            overridden = overridden || (o.size() > name_length && o[name_length] == '=' &&
                                        o.compare(0, name_length, *entry, name_length) == 0);
        }
        if (!overridden) {
            entries.emplace_back(*entry);
        }
    }
    return entries;
}

std::vector<char *> c_strings(std::vector<std::string> &words) {
    std::vector<char *> pointers;
    for (std::string &word : words) {
        pointers.push_back(word.data());
    }
    pointers.push_back(nullptr);
    return pointers;
}

}  // namespace

std::optional<std::string> run_convc_child(const std::vector<std::string> &args,
                                           const std::vector<std::string> &environment) {
    std::error_code error;
    std::vector<std::string> argv_words = {std::filesystem::read_symlink("/proc/self/exe", error).string()};
    argv_words.insert(argv_words.end(), args.begin(), args.end());
    std::vector<std::string> env_words = environment_with(environment);
    std::vector<char *> argv = c_strings(argv_words), envp = c_strings(env_words);
    int pipe_ends[2];
    if (error || ::pipe2(pipe_ends, O_CLOEXEC) != 0) {
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
    pid_t child = 0;
    int spawned = ::posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), envp.data());
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

}  // namespace convc
