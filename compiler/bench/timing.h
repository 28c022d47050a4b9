#pragma once

#include <functional>

namespace convc {

// Wall-clock statistics of repeated calls. The median is what reports quote, because it
// shrugs off the odd run that another process on a shared machine slowed down; the minimum
// shows what the code can do when left alone.
struct Timing {
    double median_s = 0;
    double min_s = 0;
    int runs = 0;
};

// Calls `call` once to warm up (first-touch page faults, lazy JIT, cold caches), then
// repeatedly until at least `min_runs` runs and `min_seconds` spent, capped at 1000 runs.
Timing time_repeated(const std::function<void()> &call, int min_runs = 10, double min_seconds = 0.3);

}  // namespace convc
