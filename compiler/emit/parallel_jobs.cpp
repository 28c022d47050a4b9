#include "emit/parallel_jobs.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace convc {

void run_jobs(size_t count, size_t workers, const std::function<bool(size_t)> &alone,
              const std::function<void(size_t)> &job) {
    std::vector<std::exception_ptr> errors(count);
    auto run = [&](size_t i) {
        try {
            job(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    std::vector<size_t> shared;
    for (size_t i = 0; i < count; i++) {
        if (alone(i)) {
            run(i);
        } else {
            shared.push_back(i);
        }
    }
    workers = worker_threads(workers);
    std::atomic<size_t> next{0};
    auto take_jobs = [&] {
        for (size_t k; (k = next++) < shared.size();) {
            run(shared[k]);
        }
    };
    std::vector<std::thread> threads;
    for (size_t t = 1; t < std::min(workers, shared.size()); t++) {
        threads.emplace_back(take_jobs);
    }
    take_jobs();
    for (std::thread &t : threads) {
        t.join();
    }
    for (const std::exception_ptr &error : errors) {
        if (error) {
            std::rethrow_exception(error);
        }
    }
}

size_t worker_threads(size_t workers) {
    return workers > 0 ? workers : std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace convc
