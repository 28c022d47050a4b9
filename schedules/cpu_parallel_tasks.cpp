#include "schedules/cpu_parallel_tasks.h"

#include <algorithm>

#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

std::vector<int> parallel_task_counts() {
    return {0, 1, 2, 4, 16};
}

namespace {

// About 5 us of work at one thread's FMA peak. MobileNetV2's 960-channel 7x7 depthwise layer
// (0.42 M multiply-adds) ran at 152 GFLOP/s serially and 24-80 in 4 or 60 tasks at 2 threads,
// side by side; the 1 M multiply-add layers ran about as fast either way.
constexpr int64_t kSerialMultiplyAccumulates = int64_t(1) << 20;

// About 0.6 us at one thread's peak: below this per row of one channel vector, tasks are
// grouped. Default schedules at 2 threads, side by side in two runs: the 1x1 24->144 layer at
// 56x56 (21 K per row and vector) 131-137 GFLOP/s in a task per row and vector, 322-331 in 16
// tasks; the 1x1 64->256 one (57 K) 309-324 and 395-397.
constexpr int64_t kGroupedTaskMultiplyAccumulates = int64_t(1) << 16;

// Plane tasks: a whole channel plane per iteration. At 2 threads, side by side, with staged
// planes, the depthwise 384-channel 14x14 layer (0.68 M multiply-adds) ran at 51-69 GFLOP/s in
// 4 or 16 tasks and 58 serially, the 144-channel stride-2 one (1.0 M) at 43-51 and 34.
constexpr int64_t kSerialPlaneMultiplyAccumulates = int64_t(1) << 18;

int tasks_for(const Layer &layer, int64_t iterations, int64_t serial_below) {
    int64_t work = multiply_accumulates(layer, *layer.input_shape);
    if (work < serial_below) {
        return 1;
    }
    return work / std::max<int64_t>(iterations, 1) < kGroupedTaskMultiplyAccumulates ? 16 : 0;
}

Expr even_share(const Expr &iterations, int tasks) {
    return max((iterations + (tasks - 1)) / tasks, 1);
}

}  // namespace

int default_parallel_tasks(const Layer &layer, int lanes) {
    if (!layer.input_shape) {
        return 0;
    }
    Shape4 out = output_shape(layer, *layer.input_shape);
    return tasks_for(layer, out[0] * out[2] * ((layer.out_channels + lanes - 1) / lanes), kSerialMultiplyAccumulates);
}

bool input_outgrows_core_cache(const Layer &layer) {
    constexpr int64_t kCoreCacheBytes = int64_t(1) << 20;
    if (!layer.input_shape) {
        return false;
    }
    const Shape4 &in = *layer.input_shape;
    return in[0] * in[1] * in[2] * in[3] * int64_t(sizeof(float)) > kCoreCacheBytes;
}

// Even a row of every channel (1.7-8 us at one thread on the 1x1 layers below) pays for its
// own hand-out from Halide's thread pool. At 2 threads, side by side, NCHW: the 1x1 24->144
// layer at 56x56 ran at 240-264 GFLOP/s in a task per row, 302-309 in 16 tasks and 318-319 in
// 4; the 1x1 64->256 one at 314-344, 327-365 and 362-373; the 7x7 stem at 305-314 in all
// three. 16 rather than 4 leaves room for machines with more cores.
int default_row_tasks(const Layer &layer) {
    if (!layer.input_shape) {
        return 0;
    }
    return multiply_accumulates(layer, *layer.input_shape) < kSerialMultiplyAccumulates ? 1 : 16;
}

// A plane is too little work to hand out alone, and 16 tasks of them still pay for the pool's
// hand-outs: MobileNetV2's depthwise layers on staged row tiles at 2 threads / 1, side by side
// (Zen 5, 2026-11-29): 384 channels at 14x14 108.4 / 89.2 GFLOP/s in 4 tasks against 72.9 / 82.2
// in 16, the 144-channel stride-2 one 53.3 / 41.1 against 47.7 / 39.0 (2 tasks, one per core
// of that host, ran as fast as 4 or faster); AVX2 code on that host 69.4 / 49.1 against 53.2 /
// 48.5 and 44.8 / 26.2 against 37.4 / 24.7. The plane families' defaults came to 4 on their own:
// lane-blocked and flat planes (cpu_lane_blocked_conv.cpp, cpu_flat_plane_conv.cpp).
// Planes worth a task each go in 4 tasks too: each task stages its own plane (a heap buffer,
// and its zero border written again). The 32-channel 112x112 layer's tuned tile, timed from a
// program at one thread / two, three turns (Zen 5, 2026-11-29, Halide's pool): 82-83 / 68-69 us
// in 4 tasks, 86-91 / 69-72 in 16, 92-102 / 73-77 in a task per plane (2 tasks 81-89 / 64-67).
// On convc's pool, `compare` at two threads (the same day): its default tile 221.8 GFLOP/s in 4
// tasks, 186.2 in 16, 235.1 in 2. A machine with more cores than 4 gets its tasks from the tuner
// (whose space offers 16 and a task per plane).
int default_plane_tasks(const Layer &layer) {
    if (!layer.input_shape) {
        return 0;
    }
    return multiply_accumulates(layer, *layer.input_shape) < kSerialPlaneMultiplyAccumulates ? 1 : 4;
}

void parallelize_tasks(Stage stage, const Var &task, const Expr &iterations, int tasks) {
    if (tasks <= 0) {
        stage.parallel(task);
        return;
    }
    if (tasks == 1) {
        return;  // serial: the calling thread alone, no thread pool at all
    }
    stage.parallel(task, even_share(iterations, tasks), TailStrategy::GuardWithIf);
}

void parallelize_task_iterations(Stage stage, const VarOrRVar &task, const VarOrRVar &iteration,
                                 const Expr &iterations, int tasks) {
    parallelize_tasks_of(stage, task, iteration, iterations_per_task(iterations, tasks), tasks);
}

void parallelize_tasks_of(Stage stage, const VarOrRVar &task, const VarOrRVar &iteration, const Expr &per_task,
                          int tasks) {
    stage.split(task, task, iteration, per_task, TailStrategy::GuardWithIf);
    if (tasks != 1) {
        stage.parallel(task);
    }
}

Expr iterations_per_task(const Expr &iterations, int tasks, int min_iterations) {
    Expr per_task = tasks <= 0 ? Expr(1) : tasks == 1 ? iterations : even_share(iterations, tasks);
    return max(per_task, min_iterations);
}

int iterations_per_task(int iterations, int tasks, int min_iterations) {
    return static_cast<int>(*Internal::as_const_int(Internal::simplify(
        iterations_per_task(Expr(iterations), tasks, min_iterations))));
}

}  // namespace convc
