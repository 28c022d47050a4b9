#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// A schedule's speed in one process: GFLOP/s at the process's thread count and at one thread,
// zeros where it was rejected. The tuner ranks finalists by the geometric mean of the two.
struct ProcessGflops {
    double threads_here = 0, one_thread = 0;
    double score() const;
};

// Times `schedules` of `layer` in a fresh process, in turns as time_in_turns does (`rounds`
// times round, each timing at least `min_seconds`); one result per schedule, or nullopt when
// that process could not be run or read. `convc tune` runs convc itself
// (cli/other_process_timing.h).
using OtherProcessTiming = std::function<std::optional<std::vector<ProcessGflops>>(
    const Layer &, const Halide::Target &, const std::vector<ScheduleChoice> &, int rounds, double min_seconds)>;

// Whether a tuned winner is worth storing over the default: its slowest process must beat the
// default's slowest. Why a second process at all: a schedule's speed can depend on the process
// (where its code, buffers and threads fall), and the tuner's final runs in one. The stored
// channels-last 32@112 depthwise entry ran at two threads at 84-265 GFLOP/s depending on the
// process, half the time below its default (docs/performance-history.md, thirty-fourth session).
bool beats_default_everywhere(const std::vector<double> &winner_scores, const std::vector<double> &default_scores);

}  // namespace convc
