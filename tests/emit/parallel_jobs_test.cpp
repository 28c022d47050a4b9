#include "emit/parallel_jobs.h"

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {

// Every job once; those named alone on the calling thread, the others on up to `workers`
// threads at once.
TEST(RunJobs, RunsEachJobOnceAndTheLoneOnesOnTheCallingThread) {
    const size_t count = 40, workers = 3;
    std::vector<std::atomic<int>> runs(count);
    std::atomic<int> running{0}, most{0};
    std::mutex mutex;
    std::set<std::thread::id> threads;
    const std::thread::id caller = std::this_thread::get_id();
    auto alone = [](size_t i) { return i % 7 == 3; };
    convc::run_jobs(count, workers, alone, [&](size_t i) {
        int now = ++running;
        most = std::max(most.load(), now);
        runs[i]++;
        if (alone(i)) {
            EXPECT_EQ(std::this_thread::get_id(), caller) << i;
            EXPECT_EQ(now, 1) << "job " << i << " ran beside another";
        }
        {
            std::lock_guard<std::mutex> lock(mutex);
            threads.insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --running;
    });
    for (size_t i = 0; i < count; i++) {
        EXPECT_EQ(runs[i], 1) << i;
    }
    EXPECT_LE(most, static_cast<int>(workers));
    EXPECT_LE(threads.size(), workers);
}

// The lowest-numbered job's error comes out, whichever thread threw first, and every job has run.
TEST(RunJobs, RethrowsTheFirstJobsErrorAfterAllHaveRun) {
    std::atomic<int> ran{0};
    try {
        convc::run_jobs(
            12, 4, [](size_t) { return false; },
            [&](size_t i) {
                ran++;
                if (i == 9) {
                    throw std::runtime_error("job 9");
                }
                if (i == 2) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // job 9 throws first
                    throw std::runtime_error("job 2");
                }
            });
        ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error &e) {
        EXPECT_STREQ(e.what(), "job 2");
    }
    EXPECT_EQ(ran, 12);
}

}  // namespace
