#pragma once

// Runs the convc binary (or a shell line) the way a user's shell does, for the CLI tests,
// each in a fresh temporary folder.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
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

// A fresh folder per test, removed afterwards, so leftovers of one case never hide another's.
class TempDir {
public:
    explicit TempDir(const std::string &prefix = "convc-test") {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) != nullptr) {
            path_ = pattern;
        }
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    std::string operator/(const std::string &name) const { return (path_ / name).string(); }
    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace convc_test
