#include "runtime/spinning_thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace {

using convc_runtime::SpinningThreadPool;

// What the tasks below record; the pool passes it through as Halide's user context.
struct Calls {
    std::vector<std::atomic<int>> runs;
    std::mutex mutex;
    std::set<std::thread::id> threads;
    int failing_index = -1;
    SpinningThreadPool *nested_pool = nullptr;
    std::chrono::microseconds busy{0};

    explicit Calls(int size) : runs(size) {}
};

void spin_for(std::chrono::microseconds time) {
    auto end = std::chrono::steady_clock::now() + time;
    while (std::chrono::steady_clock::now() < end) {
    }
}

// Counts the run last, so that a call returning before its tasks finish misses it.
int record(Calls *calls, int index, uint8_t *) {
    spin_for(calls->busy);
    {
        std::lock_guard<std::mutex> lock(calls->mutex);
        calls->threads.insert(std::this_thread::get_id());
    }
    calls->runs[index]++;
    return index == calls->failing_index ? -7 : 0;
}

int record_nested(Calls *calls, int index, uint8_t *closure) {
    std::thread::id outer = std::this_thread::get_id();
    Calls inner(4);
    EXPECT_EQ(calls->nested_pool->run(&inner, record, 0, 4, closure), 0);
    for (const std::atomic<int> &runs : inner.runs) {
        EXPECT_EQ(runs.load(), 1);
    }
    // A loop inside a task runs on the task's own thread.
    EXPECT_EQ(inner.threads, std::set<std::thread::id>{outer});
    return record(calls, index, closure);
}

void expect_each_ran_once(const Calls &calls, int from) {
    for (int i = 0; i < static_cast<int>(calls.runs.size()); i++) {
        EXPECT_EQ(calls.runs[i].load(), i >= from ? 1 : 0) << "task " << i;
    }
}

TEST(SpinningThreadPool, RunsEveryTaskOnceFromMin) {
    SpinningThreadPool pool(3);
    for (int turn = 0; turn < 200; turn++) {
        Calls calls(64);
        ASSERT_EQ(pool.run(&calls, record, 5, 59, nullptr), 0);
        expect_each_ran_once(calls, 5);
    }
}

TEST(SpinningThreadPool, SharesTasksWithItsWorkers) {
    SpinningThreadPool pool(2);
    Calls calls(8);
    calls.busy = std::chrono::milliseconds(2);
    ASSERT_EQ(pool.run(&calls, record, 0, 8, nullptr), 0);
    expect_each_ran_once(calls, 0);
    EXPECT_EQ(calls.threads.size(), 2u);
}

TEST(SpinningThreadPool, WakesWorkersThatSlept) {
    SpinningThreadPool pool(2);
    for (int turn = 0; turn < 3; turn++) {
        std::this_thread::sleep_for(std::chrono::microseconds(20 * SpinningThreadPool::kSpinMicroseconds));
        Calls calls(8);
        calls.busy = std::chrono::milliseconds(2);
        ASSERT_EQ(pool.run(&calls, record, 0, 8, nullptr), 0);
        expect_each_ran_once(calls, 0);
        EXPECT_EQ(calls.threads.size(), 2u) << "turn " << turn;
    }
}

TEST(SpinningThreadPool, OneThreadRunsOnTheCaller) {
    SpinningThreadPool pool(1);
    Calls calls(16);
    ASSERT_EQ(pool.run(&calls, record, 0, 16, nullptr), 0);
    expect_each_ran_once(calls, 0);
    EXPECT_EQ(calls.threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(SpinningThreadPool, ReturnsATaskError) {
    SpinningThreadPool pool(2);
    Calls calls(32);
    calls.failing_index = 17;
    EXPECT_EQ(pool.run(&calls, record, 0, 32, nullptr), -7);
    Calls after(32);
    EXPECT_EQ(pool.run(&after, record, 0, 32, nullptr), 0) << "the error outlived its call";
}

TEST(SpinningThreadPool, RunsALoopInsideATaskOnItsThread) {
    SpinningThreadPool pool(2);
    Calls calls(8);
    calls.nested_pool = &pool;
    ASSERT_EQ(pool.run(&calls, record_nested, 0, 8, nullptr), 0);
    expect_each_ran_once(calls, 0);
}

TEST(SpinningThreadPool, ServesCallersOnTwoThreads) {
    SpinningThreadPool pool(2);
    auto caller = [&pool] {
        for (int turn = 0; turn < 300; turn++) {
            Calls calls(16);
            ASSERT_EQ(pool.run(&calls, record, 0, 16, nullptr), 0);
            expect_each_ran_once(calls, 0);
        }
    };
    std::thread first(caller), second(caller);
    first.join();
    second.join();
}

}  // namespace
