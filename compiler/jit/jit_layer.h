#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "Halide.h"

#include "pipeline/layer_pipeline.h"
#include "spec/layer.h"
#include "spec/layer_geometry.h"

namespace convc {

// Read-only float32 data in PyTorch's shape (NCHW, or [K] for a bias). Input and output
// elements lie in the layer's layout (channels innermost for nhwc); the shape stays NCHW.
struct TensorRef {
    const float *data = nullptr;
    std::vector<int64_t> shape;
};

// A layer JIT-compiled for this machine with exactly the pipeline and schedule that
// `convc generate` emits.
class JitLayer {
public:
    JitLayer(const Layer &layer, const Halide::Target &target);  // the heuristic default schedule
    JitLayer(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule);

    // Checks every shape against the layer (SpecError on a mismatch), then runs.
    // `output` must hold output_shape(layer, input.shape) floats. run and run_packed hand the
    // kernel scratch memory filled with NaN, so that a read of what it never wrote shows in
    // the output; repeatable_call leaves Halide's allocator in place.
    void run(const TensorRef &input, const TensorRef &weight, const std::optional<TensorRef> &bias, float *output);

    // The weights in the layout the kernel reads (packed for blocked schedules, a plain copy
    // otherwise): pack once, then run_packed repeatedly, as a framework does.
    Halide::Buffer<float> pack_weights(const TensorRef &weight);
    void run_packed(const TensorRef &input, const Halide::Buffer<float> &packed_weight,
                    const std::optional<TensorRef> &bias, float *output);

    // Binds one call's tensors and returns what runs it again and waits for it. On a GPU
    // target the tensors stay on the device after the first run and the output is left
    // there, so repeated runs time the kernel alone, as a framework holding device tensors
    // sees it. `output` holds the result only after run/run_packed.
    std::function<void()> repeatable_call(const TensorRef &input, const Halide::Buffer<float> &packed_weight,
                                          const std::optional<TensorRef> &bias, float *output);

    // Runs the kernel's parallel loops on the calling thread, task by task, as a one-thread
    // process would: lets `tune` time one thread without a process of its own.
    void run_on_calling_thread(bool serial);

    std::string schedule() const { return pipeline_.schedule.to_string(); }
    Shape4 output_shape_for(const std::vector<int64_t> &input_shape) const;

private:
    // Sets the pipeline's parameters to views of the call's tensors; returns the output view.
    Halide::Buffer<float> bind(const TensorRef &input, const Halide::Buffer<float> &packed_weight,
                               const std::optional<TensorRef> &bias, float *output);

    Layer layer_;
    bool uses_gpu_ = false;
    LayerPipeline pipeline_;
};

// Every problem with a call's tensors, as PyTorch would name it; throws SpecError.
void check_call_shapes(const Layer &layer, const TensorRef &input, const TensorRef &weight,
                       const std::optional<TensorRef> &bias);

}  // namespace convc
