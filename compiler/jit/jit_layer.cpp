#include "jit/jit_layer.h"

#include <cstdlib>
#include <cstring>

#include "runtime/spinning_thread_pool.h"
#include "schedules/choose_schedule.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

std::string dims_to_string(const std::vector<int64_t> &shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); i++) {
        text += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return text + "]";
}

Shape4 as_shape4(const std::string &layer, const std::vector<int64_t> &shape) {
    if (shape.size() != 4) {
        throw SpecError("layer '" + layer + "': the input must be 4-D [N, C, H, W], got " + dims_to_string(shape));
    }
    return {shape[0], shape[1], shape[2], shape[3]};
}

// A Halide view of NCHW data: Halide lists dimensions innermost first.
Halide::Buffer<float> halide_view(const float *data, const std::vector<int64_t> &shape) {
    std::vector<int> extents(shape.rbegin(), shape.rend());
    return Halide::Buffer<float>(const_cast<float *>(data), extents);
}

// An input or output tensor: logical shape (N, C, H, W), elements in the layer's layout.
Halide::Buffer<float> activation_view(float *data, const Shape4 &shape, MemoryLayout layout) {
    if (layout == MemoryLayout::Nchw) {
        return halide_view(data, {shape[0], shape[1], shape[2], shape[3]});
    }
    auto i = [](int64_t v) { return static_cast<int>(v); };
    int n = i(shape[0]), c = i(shape[1]), h = i(shape[2]), w = i(shape[3]);
    halide_dimension_t dims[4] = {{0, w, c}, {0, h, w * c}, {0, c, 1}, {0, n, h * w * c}};
    return Halide::Buffer<float>(data, 4, dims);
}

}  // namespace

void check_call_shapes(const Layer &layer, const TensorRef &input, const TensorRef &weight,
                       const std::optional<TensorRef> &bias) {
    Shape4 in = as_shape4(layer.name, input.shape);
    if (layer.input_shape && in != *layer.input_shape) {
        throw SpecError("layer '" + layer.name + "': the input is " + shape_to_string(in) +
                        " but the spec fixes input_shape " + shape_to_string(*layer.input_shape));
    }
    std::string problem = input_shape_problem(layer, in);
    if (!problem.empty()) {
        throw SpecError("layer '" + layer.name + "': " + problem);
    }
    Shape4 w = weight_shape(layer);
    if (weight.shape != std::vector<int64_t>(w.begin(), w.end())) {
        throw SpecError("layer '" + layer.name + "': the weight must be " + shape_to_string(w) + ", got " +
                        dims_to_string(weight.shape));
    }
    if (layer.bias && !bias) {
        throw SpecError("layer '" + layer.name + "': the layer has a bias (bias: true) but none was given");
    }
    if (!layer.bias && bias) {
        throw SpecError("layer '" + layer.name + "': the layer has no bias (bias: false) but one was given");
    }
    if (bias && bias->shape != std::vector<int64_t>{layer.out_channels}) {
        throw SpecError("layer '" + layer.name + "': the bias must be [" + std::to_string(layer.out_channels) +
                        "], got " + dims_to_string(bias->shape));
    }
}

JitLayer::JitLayer(const Layer &layer, const Halide::Target &target)
    : JitLayer(layer, target, default_schedule(layer, target)) {
}

JitLayer::JitLayer(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule)
    : layer_(layer), uses_gpu_(target.has_gpu_feature()), pipeline_(build_layer_pipeline(layer, target, schedule)) {
    pipeline_.pipeline.compile_jit(target);
    run_on_calling_thread(false);
    if (pipeline_.weight_pack) {
        pipeline_.weight_pack->compile_jit(target);
    }
    if (uses_gpu_) {
        // Intermediate device buffers (the partial sums of a split reduction) come from a
        // pool instead of a driver allocation per call.
        Halide::Internal::JITSharedRuntime::reuse_device_allocations(true);
    }
}

namespace {

int do_par_for_serially(Halide::JITUserContext *context, int (*task)(Halide::JITUserContext *, int, uint8_t *),
                        int min, int extent, uint8_t *closure) {
    for (int i = min; i < min + extent; i++) {
        if (int result = task(context, i, closure)) {
            return result;
        }
    }
    return 0;
}

}  // namespace

// The wrapper's pool (runtime/spinning_thread_pool.h), so that timings here are what a program
// linking the bundle gets.
void JitLayer::run_on_calling_thread(bool serial) {
    static const bool spinning = convc_runtime::spinning_pool_wanted();
    pipeline_.pipeline.jit_handlers().custom_do_par_for =
        serial ? do_par_for_serially : spinning ? convc_runtime::do_par_for<Halide::JITUserContext> : nullptr;
}

Halide::Buffer<float> JitLayer::pack_weights(const TensorRef &weight) {
    Halide::Buffer<float> plain = halide_view(weight.data, weight.shape);
    if (!pipeline_.weight_pack) {
        return plain.copy();
    }
    Shape4 w = weight_shape(layer_);
    int block = pipeline_.weight_block;
    Halide::Buffer<float> packed(block, static_cast<int>(w[3]), static_cast<int>(w[2]), static_cast<int>(w[1]),
                                 static_cast<int>(w[0] / block));
    pipeline_.pack_input.set(plain);
    pipeline_.weight_pack->realize(packed);
    return packed;
}

Shape4 JitLayer::output_shape_for(const std::vector<int64_t> &input_shape) const {
    return output_shape(layer_, as_shape4(layer_.name, input_shape));
}

void JitLayer::run(const TensorRef &input, const TensorRef &weight, const std::optional<TensorRef> &bias,
                   float *output) {
    check_call_shapes(layer_, input, weight, bias);
    run_packed(input, pack_weights(weight), bias, output);
}

Halide::Buffer<float> JitLayer::bind(const TensorRef &input, const Halide::Buffer<float> &packed_weight,
                                     const std::optional<TensorRef> &bias, float *output) {
    std::vector<Halide::Buffer<float>> inputs{
        activation_view(const_cast<float *>(input.data), as_shape4(layer_.name, input.shape), layer_.layout),
        packed_weight};
    if (bias) {
        inputs.push_back(halide_view(bias->data, bias->shape));
    }
    if (uses_gpu_) {
        // The host memory is the truth: a GPU pipeline copies what is marked dirty.
        for (Halide::Buffer<float> &buffer : inputs) {
            buffer.set_host_dirty();
        }
    }
    pipeline_.input.set(inputs[0]);
    pipeline_.weight.set(inputs[1]);
    if (bias) {
        pipeline_.bias.set(inputs[2]);
    }
    return activation_view(output, output_shape_for(input.shape), layer_.layout);
}

namespace {

// A checked run's scratch memory (the heap buffers a schedule stages data in) starts as NaN,
// all bits set, so that a value the kernel reads without having written it spoils the output.
// From the system's allocator it would often hold what the call before left in the same
// block: a border written only for a task's first channels passed that way while the tasks
// ran one after another.
void *nan_filled_malloc(Halide::JITUserContext *, size_t bytes) {
    constexpr size_t kAlignment = 128;  // Halide's own, at least
    void *memory = std::aligned_alloc(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
    if (memory) {
        std::memset(memory, 0xff, bytes);
    }
    return memory;
}

void free_scratch(Halide::JITUserContext *, void *memory) {
    std::free(memory);
}

// The allocator before it again when the run ends, whichever way: timed calls do not pay the fill.
class NanFilledScratch {
public:
    explicit NanFilledScratch(Halide::Pipeline &pipeline)
        : handlers_(pipeline.jit_handlers()), before_(pipeline.jit_handlers()) {
        handlers_.custom_malloc = nan_filled_malloc;
        handlers_.custom_free = free_scratch;
    }
    ~NanFilledScratch() {
        handlers_.custom_malloc = before_.custom_malloc;
        handlers_.custom_free = before_.custom_free;
    }
    NanFilledScratch(const NanFilledScratch &) = delete;
    NanFilledScratch &operator=(const NanFilledScratch &) = delete;

private:
    Halide::JITHandlers &handlers_;
    const Halide::JITHandlers before_;
};

}  // namespace

void JitLayer::run_packed(const TensorRef &input, const Halide::Buffer<float> &packed_weight,
                          const std::optional<TensorRef> &bias, float *output) {
    if (output_shape_for(input.shape)[0] == 0) {
        return;  // an empty batch has nothing to compute
    }
    Halide::Buffer<float> result = bind(input, packed_weight, bias, output);
    NanFilledScratch scratch(pipeline_.pipeline);
    pipeline_.pipeline.realize(result);
    // Realizing into a given buffer leaves a GPU's result on the device.
    if (result.has_device_allocation()) {
        result.copy_to_host();
    }
}

std::function<void()> JitLayer::repeatable_call(const TensorRef &input, const Halide::Buffer<float> &packed_weight,
                                                const std::optional<TensorRef> &bias, float *output) {
    if (output_shape_for(input.shape)[0] == 0) {
        return [] {};
    }
    Halide::Buffer<float> result = bind(input, packed_weight, bias, output);
    return [this, result]() mutable {
        pipeline_.pipeline.realize(result);
        result.device_sync();
    };
}

}  // namespace convc
