#pragma once

#include <cstddef>
#include <functional>

namespace convc {

// Runs job(0) ... job(count - 1): those `alone` names one after another on this thread, then
// the others on up to `workers` threads at once (0: one per core). Every job runs even when
// one throws; then the exception of the lowest-numbered job that threw is rethrown, so an
// error reads the same however the threads were timed.
void run_jobs(size_t count, size_t workers, const std::function<bool(size_t)> &alone,
              const std::function<void(size_t)> &job);

// The threads run_jobs starts for `workers`: as many, or one per core for 0.
size_t worker_threads(size_t workers);

}  // namespace convc
