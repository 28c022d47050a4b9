#include "tune/tune_progress.h"

#include <cstdio>

namespace convc {

namespace {

// Without a terminal, a status line when the best rises by more than this share (a rise of a
// tenth of a GFLOP/s is the timing's noise)...
constexpr double kShownRise = 0.01;
// ... and at least this often while it does not.
constexpr double kQuietSeconds = 15;

std::string status_text(size_t index, size_t total, const std::string &layer, int candidates, double best,
                        double left) {
    char line[200];
    std::snprintf(line, sizeof line, "[%zu/%zu] %-24.24s candidates %3d  best %7.1f GFLOP/s  left %4.0f s", index,
                  total, layer.c_str(), candidates, best, left < 0 ? 0.0 : left);
    return line;
}

}  // namespace

TuneProgress::TuneProgress(std::ostream &out, bool live) : out_(out), live_(live) {}

void TuneProgress::candidate(size_t index, size_t total, const std::string &layer, int candidates,
                             double best_gflops, double seconds_left) {
    std::string text = status_text(index, total, layer, candidates, best_gflops, seconds_left);
    if (live_) {
        out_ << "\r" << text << " " << std::flush;
        line_open_ = true;
        return;
    }
    Clock::time_point now = Clock::now();
    bool new_layer = index != shown_layer_;
    bool quiet_too_long = std::chrono::duration<double>(now - shown_at_).count() >= kQuietSeconds;
    if (new_layer || best_gflops > shown_best_ * (1 + kShownRise) || quiet_too_long) {
        out_ << text << "\n" << std::flush;
        shown_layer_ = index;
        shown_best_ = best_gflops;
        shown_at_ = now;
    }
}

void TuneProgress::close_line() {
    if (line_open_) {
        out_ << "\n";
        line_open_ = false;
    }
}

void TuneProgress::note(const std::string &text) {
    close_line();
    out_ << text << "\n" << std::flush;
}

void TuneProgress::layer_done(const std::string &summary) {
    // On a terminal the summary takes the status line's place.
    if (line_open_) {
        out_ << "\r";
        line_open_ = false;
    }
    out_ << summary << "\n" << std::flush;
}

}  // namespace convc
