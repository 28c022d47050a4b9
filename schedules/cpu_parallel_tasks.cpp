#include "schedules/cpu_parallel_tasks.h"

#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

std::vector<int> parallel_task_counts() {
    return {0, 1, 4, 16};
}

namespace {

// About 5 us of work at one thread's FMA peak. MobileNetV2's 960-channel 7x7 depthwise layer
// (0.42 M multiply-adds) ran at 150 GFLOP/s serially and 37-80 in 4 or 60 tasks at 2 threads,
// side by side; the 1 M multiply-add layers ran about as fast either way.
constexpr int64_t kSerialMultiplyAccumulates = int64_t(1) << 20;

}  // namespace

int default_parallel_tasks(const Layer &layer) {
    bool small = layer.input_shape && multiply_accumulates(layer, *layer.input_shape) < kSerialMultiplyAccumulates;
    return small ? 1 : 0;
}

void parallelize_tasks(Stage stage, const Var &task, const Expr &iterations, int tasks) {
    if (tasks <= 0) {
        stage.parallel(task);
        return;
    }
    if (tasks == 1) {
        return;  // serial: the calling thread alone, no thread pool at all
    }
    Expr per_task = max((iterations + (tasks - 1)) / tasks, 1);
    stage.parallel(task, per_task, TailStrategy::GuardWithIf);
}

}  // namespace convc
