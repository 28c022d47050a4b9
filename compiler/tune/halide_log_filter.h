#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace convc {

// Halide 14's autoschedulers print their search at log level 0 (Adams2019: "Pass 0 of 1, cost:
// ...", "Best cost", its cache statistics) and its compiler prints warnings ("Not folding Func
// ..."), all on stderr, where they tear `convc tune`'s status line. While a HalideLogFilter
// lives, stderr feeds a pipe; a thread passes every other line on to the real stderr as it
// comes, and holds those back.
class HalideLogFilter {
public:
    HalideLogFilter();
    ~HalideLogFilter();  // puts stderr back and prints the lines finish() did not return
    HalideLogFilter(const HalideLogFilter &) = delete;
    HalideLogFilter &operator=(const HalideLogFilter &) = delete;

    // The real stderr, for the status line.
    std::ostream &terminal();
    // Whether the real stderr is a terminal, where a status line can be rewritten in place.
    bool terminal_is_interactive() const;
    // Puts stderr back and returns the lines held back.
    std::vector<std::string> finish();

    // Whether Halide's log or warnings wrote `line`.
    static bool is_halide_log(const std::string &line);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace convc
