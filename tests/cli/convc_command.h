#pragma once

// Runs the convc binary (or a shell line) the way a user's shell does, for the CLI tests.

#include <cstdio>
#include <string>
#include <vector>

#include <sys/wait.h>

namespace convc_test {

struct CommandResult {
    int status = -1;
    std::string output;  // stdout and stderr together
};

inline std::string shell_quote(const std::string &word) {
    std::string quoted = "'";
    for (char c : word) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

inline CommandResult run_shell(const std::string &line) {
    CommandResult result;
    FILE *pipe = ::popen((line + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, n);
    }
    int raw = ::pclose(pipe);
    // A crash must not pass for a clean refusal, so signals map to -1.
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return result;
}

// `arguments` is already a shell line (quote paths with shell_quote).
inline CommandResult run_convc_line(const std::string &arguments) {
    return run_shell(shell_quote(CONVC_EXECUTABLE) + " " + arguments);
}

inline CommandResult run_convc(const std::vector<std::string> &args) {
    std::string line;
    for (const std::string &arg : args) {
        line += " " + shell_quote(arg);
    }
    return run_shell(shell_quote(CONVC_EXECUTABLE) + line);
}

}  // namespace convc_test
