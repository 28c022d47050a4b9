#include "bench/timing.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace convc {

namespace {

using Clock = std::chrono::steady_clock;

// Enough samples for a stable median of a fast kernel without letting a slow one run for minutes.
constexpr int max_runs = 1000;

double seconds_of(const std::function<void()> &call) {
    Clock::time_point start = Clock::now();
    call();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The upper median for an even count: no averaging, so the value is a time that really happened.
Timing summarize(std::vector<double> samples) {
    Timing timing;
    timing.runs = static_cast<int>(samples.size());
    if (samples.empty()) {
        return timing;
    }
    std::sort(samples.begin(), samples.end());
    timing.min_s = samples.front();
    timing.median_s = samples[samples.size() / 2];
    return timing;
}

}  // namespace

Timing time_repeated(const std::function<void()> &call, int min_runs, double min_seconds) {
    call();
    std::vector<double> samples;
    double spent = 0;
    while (static_cast<int>(samples.size()) < max_runs &&
           (static_cast<int>(samples.size()) < min_runs || spent < min_seconds)) {
        samples.push_back(seconds_of(call));
        spent += samples.back();
    }
    return summarize(samples);
}

}  // namespace convc
