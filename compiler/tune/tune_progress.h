#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace convc {

// What `convc tune` shows while it searches. On a terminal, one status line rewritten in place
// after every candidate. Into a file or a pipe (a CI log, `| tee`), a carriage return does not
// rewrite anything: every update would pile onto one line hundreds of kilobytes long. There the
// status is written as whole lines, only when the layer's best rises or a while has passed.
class TuneProgress {
public:
    TuneProgress(std::ostream &out, bool live);

    // After a candidate of layer `index` of `total` was measured.
    void candidate(size_t index, size_t total, const std::string &layer, int candidates, double best_gflops,
                   double seconds_left);
    // A message on a line of its own.
    void note(const std::string &text);
    // A layer's result, ending its status.
    void layer_done(const std::string &summary);

private:
    using Clock = std::chrono::steady_clock;
    void close_line();

    std::ostream &out_;
    bool live_;
    bool line_open_ = false;  // a live status line with no newline after it yet
    size_t shown_layer_ = 0;
    double shown_best_ = 0;
    Clock::time_point shown_at_;
};

}  // namespace convc
