#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "Halide.h"

#include "bench/huge_page_floats.h"
#include "bench/timing.h"
#include "jit/jit_layer.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"
#include "spec/layer_geometry.h"

namespace convc {

// Seeded data for one layer and the reference output every candidate must reproduce.
struct LayerTrial {
    Shape4 input;
    Shape4 output;
    std::vector<float> x, w, b;
    std::vector<double> reference;  // computed once, in double precision
};

// The layer's input_shape, or batch 1 at 56x56 when the spec leaves it open.
LayerTrial make_layer_trial(const Layer &layer);

struct Measurement {
    bool ok = false;
    std::string failure;  // why a candidate was rejected
    double gflops = 0;
    Timing timing;
    double one_thread_gflops = 0;  // measured only when asked: the parallel loops run serially
};

// A candidate compiled for this machine and checked against the reference once, then timed
// as often as asked: a candidate that computes the wrong thing is never accepted, however
// fast. Weights are packed once outside the timing, as a framework (and oneDNN here) does; a
// GPU kernel is timed with its tensors already on the device, the copies left out. Each
// candidate's tensors lie in 2 MB pages (HugePageFloats), as the rival's do.
class CheckedKernel {
public:
    CheckedKernel(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule,
                  const LayerTrial &trial);

    bool ok() const { return failure_.empty(); }
    const std::string &failure() const { return failure_; }  // why it was rejected

    // A Measurement with `ok` false and the failure, when the kernel was rejected.
    Measurement time(double min_seconds, bool also_one_thread);

private:
    std::string failure_;
    std::unique_ptr<JitLayer> kernel_;
    HugePageFloats x_, y_, packed_storage_;
    Halide::Buffer<float> packed_;  // in packed_storage_
    std::function<void()> call_;
    double gflop_ = 0;
};

// CheckedKernels of `schedules`, compiled and checked at once, a thread each, for timing one
// after another: LLVM compiles a pipeline on one core, and a compile took most of a
// candidate's time in a tuning run. Halide's compiler is thread-safe; its autoschedulers and
// the GPU runtime are compiled alone.
std::vector<std::unique_ptr<CheckedKernel>> check_together(const Layer &layer, const Halide::Target &target,
                                                           const std::vector<ScheduleChoice> &schedules,
                                                           const LayerTrial &trial);

// How many schedules check_together takes at a time for `target`: one per core (at most 4)
// on a CPU, one for a GPU.
size_t schedules_checked_together(const Halide::Target &target);

// One of several schedules timed side by side: the best of its turns at the process's thread
// count and on one thread.
struct Contender {
    ScheduleChoice choice;
    std::unique_ptr<CheckedKernel> kernel;
    double gflops = 0, one_thread_gflops = 0;
};

// Compiles and checks each schedule once, then times the accepted ones in turns, `rounds` times
// round, each keeping its best time per thread count: another process only ever slows a timing
// down, and a burst of a second or two hits one of a schedule's turns, not all of them.
// `on_turn`, if given, sees every timing as it is made, with the schedule's index in `schedules`.
using TurnObserver = std::function<void(int round, size_t index, const Contender &, const Measurement &)>;
std::vector<Contender> time_in_turns(const Layer &layer, const Halide::Target &target,
                                     const std::vector<ScheduleChoice> &schedules, const LayerTrial &trial, int rounds,
                                     double min_seconds, const TurnObserver &on_turn = nullptr);

// The threads Halide's pool runs kernels on in this process: HL_NUM_THREADS, else every core.
int kernel_thread_count();

// A CheckedKernel timed once. The tuner's own timings (tune_module.cpp) say how long.
Measurement measure_schedule(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule,
                             const LayerTrial &trial, double min_seconds, bool also_one_thread = false);

}  // namespace convc
