#pragma once

// The thread pool that runs convc kernels' parallel loops, in place of Halide's own: the
// wrapper installs it (halide_set_custom_do_par_for) and convc's timing runs through it too
// (JITHandlers), so `bench` and `tune` measure what a program linking a bundle gets.
//
// Why not Halide's: between calls its workers wait in sched_yield, a system call per turn, then
// on a condition variable, and each hand-out takes the pool's lock. A kernel of a few
// microseconds paid more to wake the second thread than that thread saved: MobileNetV2's
// 960-channel 7x7 depthwise layer (channels-last, 2 tasks, AMD EPYC Zen 5 under KVM, a program
// calling it 5000 times a turn, 2026-11-29) took 5.52-5.54 us a call on Halide's pool at two
// threads against 4.49-4.50 at one; on this pool, 2.84-2.88 us. oneDNN's OpenMP threads spin
// between calls the same way. (docs/performance-history.md, thirty-second session: on that host two
// threads splitting a small kernel ran, for minutes at a time, no faster than one, on either pool.)
//
// Workers spin for kSpinMicroseconds after their last task, then sleep until the next call, so
// an idle program does not keep its cores busy. Calls made from inside a task, or while another
// thread's call holds the pool, run their loop on the calling thread.
//
// Self-contained (the standard library only): `convc generate` copies this file into every
// bundle beside the wrapper. Functions are inline and the pool a function-local static, so two
// bundles linked into one program share one pool.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace convc_runtime {

inline void relax_cpu() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// For a wait on another thread's task, which is short unless that thread lost its core (more
// threads than cores): then yield it the core.
inline void wait_turn(int turn) {
    if (turn < (1 << 14)) {
        relax_cpu();
    } else {
        std::this_thread::yield();
    }
}

// CONVC_THREAD_POOL=halide keeps Halide's own pool (to compare, or where spinning cores are
// unwelcome).
inline bool spinning_pool_wanted() {
    const char *choice = std::getenv("CONVC_THREAD_POOL");
    return !(choice && std::strcmp(choice, "halide") == 0);
}

// HL_NUM_THREADS when set (as for Halide's pool), else one thread per core.
inline int pool_thread_count() {
    if (const char *text = std::getenv("HL_NUM_THREADS")) {
        int n = std::atoi(text);
        if (n > 0) {
            return n;
        }
    }
    unsigned cores = std::thread::hardware_concurrency();
    return cores > 0 ? static_cast<int>(cores) : 1;
}

class SpinningThreadPool {
public:
    static constexpr int kSpinMicroseconds = 200;

    // The process's pool, of pool_thread_count() threads, the caller's included.
    static SpinningThreadPool &instance() {
        static SpinningThreadPool pool(pool_thread_count());
        return pool;
    }

    // `threads` counts the calling thread: threads - 1 workers, started at the first parallel call.
    explicit SpinningThreadPool(int threads) : threads_(threads) {}

    // Runs task(context, i, closure) for every i in [min, min + size), on the calling thread and
    // the workers; returns the first nonzero result a task gave, else 0. Context is Halide's user
    // context type: void in a bundle, JITUserContext in convc.
    template <typename Context>
    int run(Context *context, int (*task)(Context *, int, uint8_t *), int min, int size, uint8_t *closure) {
        Job job{reinterpret_cast<void (*)()>(task), context, closure, min, size, &invoke<Context>};
        if (threads_ <= 1 || size <= 1 || inside_task()) {
            return run_serially(job);
        }
        std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
        if (!busy.owns_lock()) {
            return run_serially(job);
        }
        std::call_once(started_, [this] { start_workers(); });
        publish(job);
        take_tasks();
        for (int turn = 0; unfinished_.load(std::memory_order_acquire) > 0; turn++) {
            wait_turn(turn);
        }
        return result_.load(std::memory_order_relaxed);
    }

    ~SpinningThreadPool() {
        {
            std::lock_guard<std::mutex> lock(sleep_mutex_);
            stop_.store(true);
        }
        wake_.notify_all();
        for (std::thread &worker : workers_) {
            worker.join();
        }
    }

    SpinningThreadPool(const SpinningThreadPool &) = delete;
    SpinningThreadPool &operator=(const SpinningThreadPool &) = delete;

private:
    struct Job {
        void (*task)();
        void *context;
        uint8_t *closure;
        int min, size;
        int (*invoke)(const Job &, int index);
    };

    template <typename Context>
    static int invoke(const Job &job, int index) {
        auto task = reinterpret_cast<int (*)(Context *, int, uint8_t *)>(job.task);
        return task(static_cast<Context *>(job.context), index, job.closure);
    }

    static bool &inside_task() {
        static thread_local bool inside = false;
        return inside;
    }

    static int run_serially(const Job &job) {
        for (int i = job.min; i < job.min + job.size; i++) {
            if (int result = job.invoke(job, i)) {
                return result;
            }
        }
        return 0;
    }

    // Before the first job is published: a worker that started after it would take its
    // generation for one already seen.
    void start_workers() {
        const uint64_t before_first_job = generation_.load();
        for (int i = 1; i < threads_; i++) {
            workers_.emplace_back([this, before_first_job] { work(before_first_job); });
        }
    }

    // Generations are even once a job is published, odd while the caller rewrites `job_`. A
    // worker announces itself in `active_` before it reads the job, and the caller waits for
    // none to be active before rewriting it: a worker that saw the last generation late reads
    // either that finished job (and finds no task left) or nothing.
    void publish(const Job &job) {
        generation_.fetch_add(1);
        for (int turn = 0; active_.load() != 0; turn++) {
            wait_turn(turn);
        }
        job_ = job;
        next_.store(0, std::memory_order_relaxed);
        result_.store(0, std::memory_order_relaxed);
        unfinished_.store(job.size, std::memory_order_relaxed);
        generation_.fetch_add(1);
        if (sleeping_.load() > 0) {
            std::lock_guard<std::mutex> lock(sleep_mutex_);
            wake_.notify_all();
        }
    }

    void take_tasks() {
        inside_task() = true;
        for (int i = next_.fetch_add(1); i < job_.size; i = next_.fetch_add(1)) {
            if (int result = job_.invoke(job_, job_.min + i)) {
                int none = 0;
                result_.compare_exchange_strong(none, result);
            }
            unfinished_.fetch_sub(1, std::memory_order_acq_rel);
        }
        inside_task() = false;
    }

    bool published_after(uint64_t seen) const {
        uint64_t g = generation_.load();
        return g != seen && g % 2 == 0;
    }

    // Spins for a while after each job, then sleeps until a new one is published.
    void work(uint64_t seen) {
        while (!stop_.load()) {
            auto spin_end = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicroseconds);
            for (int turn = 1; !published_after(seen) && !stop_.load(); turn++) {
                if (turn % 256 == 0 && std::chrono::steady_clock::now() > spin_end) {
                    std::unique_lock<std::mutex> lock(sleep_mutex_);
                    sleeping_.fetch_add(1);
                    wake_.wait(lock, [&] { return published_after(seen) || stop_.load(); });
                    sleeping_.fetch_sub(1);
                    break;
                }
                relax_cpu();
            }
            if (stop_.load()) {
                return;
            }
            seen = generation_.load();
            active_.fetch_add(1);
            if (generation_.load() == seen && seen % 2 == 0) {
                take_tasks();
            }
            active_.fetch_sub(1);
        }
    }

    const int threads_;
    std::vector<std::thread> workers_;
    std::once_flag started_;
    std::mutex busy_;
    Job job_{};
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> active_{0}, next_{0}, unfinished_{0}, result_{0};
    std::mutex sleep_mutex_;
    std::condition_variable wake_;
    std::atomic<int> sleeping_{0};
    std::atomic<bool> stop_{false};
};

// Halide's do_par_for signature, for halide_set_custom_do_par_for and JITHandlers.
template <typename Context>
int do_par_for(Context *context, int (*task)(Context *, int, uint8_t *), int min, int size, uint8_t *closure) {
    return SpinningThreadPool::instance().run(context, task, min, size, closure);
}

}  // namespace convc_runtime
