#include "tune/halide_log_filter.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>
#include <streambuf>
#include <thread>

namespace convc {

namespace {

void write_all(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t written = ::write(fd, data, size);
        if (written <= 0) {
            return;
        }
        data += written;
        size -= static_cast<size_t>(written);
    }
}

// An ostream's buffer that writes straight to a file descriptor.
class FdStreamBuf : public std::streambuf {
public:
    explicit FdStreamBuf(int fd) : fd_(fd) {}

protected:
    int overflow(int c) override {
        if (c != traits_type::eof()) {
            char ch = static_cast<char>(c);
            write_all(fd_, &ch, 1);
        }
        return c;
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override {
        write_all(fd_, s, static_cast<size_t>(n));
        return n;
    }

private:
    int fd_;
};

}  // namespace

struct HalideLogFilter::State {
    int terminal_fd = -1;
    int pipe_write = -1;
    int pipe_read = -1;
    bool active = false;
    std::unique_ptr<FdStreamBuf> buffer;
    std::ostream stream{nullptr};
    std::thread reader;
    std::mutex mutex;
    std::vector<std::string> held;

    void pass_on(const std::string &line) {
        if (HalideLogFilter::is_halide_log(line)) {
            std::lock_guard<std::mutex> lock(mutex);
            held.push_back(line);
        } else {
            write_all(terminal_fd, line.data(), line.size());
            write_all(terminal_fd, "\n", 1);
        }
    }

    void read_lines() {
        std::string line;
        char chunk[4096];
        ssize_t got;
        while ((got = ::read(pipe_read, chunk, sizeof chunk)) > 0) {
            for (ssize_t i = 0; i < got; i++) {
                if (chunk[i] == '\n') {
                    pass_on(line);
                    line.clear();
                } else {
                    line += chunk[i];
                }
            }
        }
        if (!line.empty()) {
            pass_on(line);
        }
    }
};

HalideLogFilter::HalideLogFilter() : state_(std::make_unique<State>()) {
    State &s = *state_;
    int fds[2];
    s.terminal_fd = ::dup(STDERR_FILENO);
    if (s.terminal_fd < 0 || ::pipe(fds) != 0) {
        // Without a pipe the log stays on stderr, as without the filter.
        s.stream.rdbuf(std::cerr.rdbuf());
        return;
    }
    s.pipe_read = fds[0];
    s.pipe_write = fds[1];
    std::cerr.flush();
    std::fflush(stderr);
    ::dup2(s.pipe_write, STDERR_FILENO);
    s.active = true;
    s.buffer = std::make_unique<FdStreamBuf>(s.terminal_fd);
    s.stream.rdbuf(s.buffer.get());
    s.reader = std::thread([&s] { s.read_lines(); });
}

// Left early (an exception), the log may explain why: it goes to stderr.
HalideLogFilter::~HalideLogFilter() {
    for (const std::string &line : finish()) {
        std::cerr << line << "\n";
    }
}

std::ostream &HalideLogFilter::terminal() {
    return state_->stream;
}

bool HalideLogFilter::terminal_is_interactive() const {
    return ::isatty(state_->terminal_fd >= 0 ? state_->terminal_fd : STDERR_FILENO) == 1;
}

std::vector<std::string> HalideLogFilter::finish() {
    State &s = *state_;
    if (s.active) {
        std::cerr.flush();
        std::fflush(stderr);
        ::dup2(s.terminal_fd, STDERR_FILENO);  // the pipe's last writer but ours
        ::close(s.pipe_write);
        s.reader.join();
        ::close(s.pipe_read);
        s.stream.rdbuf(std::cerr.rdbuf());
        s.active = false;
    }
    if (s.terminal_fd >= 0) {
        ::close(s.terminal_fd);
        s.terminal_fd = -1;
    }
    std::lock_guard<std::mutex> lock(s.mutex);
    return std::move(s.held);
}

bool HalideLogFilter::is_halide_log(const std::string &line) {
    static const char *const prefixes[] = {
        "generate_schedule for target=", "Pass ", "Best cost:", "Cache (block) hits:", "Cache (block) misses:",
        "Cache (feature) hits:", "Cache (feature) misses:", "Warning: ", "halide_error_"};
    if (line.empty()) {
        return true;
    }
    for (const char *prefix : prefixes) {
        if (line.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace convc
