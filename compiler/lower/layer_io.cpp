#include "lower/layer_io.h"

#include <cstdint>
#include <limits>

#include "lower/padding.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

// Without padding the reads are still clamped (repeat_edge), for tiles that overhang.
PaddingMode read_mode(const Layer &layer) {
    return resolved_padding(layer).any() ? layer.padding_mode : PaddingMode::Replicate;
}

}  // namespace

Func layer_input(const ImageParam &input, const Layer &layer) {
    return padded_input(input, read_mode(layer));
}

Func layer_input(const Func &source, const ImageParam &input, const Layer &layer) {
    return padded_input(source, input, read_mode(layer));
}

Expr input_x(const Layer &layer, const Expr &x, const Expr &kx) {
    return x * static_cast<int>(layer.stride.w) + kx * static_cast<int>(layer.dilation.w) -
           static_cast<int>(resolved_padding(layer).left);
}

Expr input_y(const Layer &layer, const Expr &y, const Expr &ky) {
    return y * static_cast<int>(layer.stride.h) + ky * static_cast<int>(layer.dilation.h) -
           static_cast<int>(resolved_padding(layer).top);
}

bool samples_input(const Layer &layer) {
    return layer.kernel.w == 1 && layer.kernel.h == 1;
}

Func sampled_input(const Layer &layer, const Func &padded) {
    // The padded input's dimension names: schedules address both by the same Vars.
    Var x("x"), y("y"), k("k"), n("n");
    Func sampled("sampled");
    sampled(x, y, k, n) = padded(input_x(layer, x, 0), input_y(layer, y, 0), k, n);
    return sampled;
}

Expr WindowSpan::input_extent(const Expr &outputs) const {
    return (outputs - 1) * stride + (taps - 1) * dilation + 1;
}

Expr WindowSpan::tiles_input_extent(const Expr &outputs, int tile) const {
    if (fixed_outputs) {
        return input_extent((fixed_outputs + tile - 1) / tile * tile);
    }
    return input_extent((outputs + tile - 1) / tile * tile);
}

namespace {

int fixed_output_extent(const Layer &layer, int dim) {
    return layer.input_shape ? static_cast<int>(output_shape(layer, *layer.input_shape)[dim]) : 0;
}

}  // namespace

WindowSpan column_span(const Layer &layer) {
    return {static_cast<int>(layer.stride.w), static_cast<int>(layer.dilation.w), static_cast<int>(layer.kernel.w),
            static_cast<int>(resolved_padding(layer).left), fixed_output_extent(layer, 3)};
}

WindowSpan row_span(const Layer &layer) {
    return {static_cast<int>(layer.stride.h), static_cast<int>(layer.dilation.h), static_cast<int>(layer.kernel.h),
            static_cast<int>(resolved_padding(layer).top), fixed_output_extent(layer, 2)};
}

std::vector<Argument> layer_arguments(const ImageParam &input, const ImageParam &weight, const ImageParam &bias) {
    std::vector<Argument> args = {input, weight};
    if (bias.defined()) {
        args.push_back(bias);
    }
    return args;
}

void constrain_dense(OutputImageParam buffer, const std::vector<int> &extents, const std::vector<int> &innermost_first) {
    for (size_t d = 0; d < extents.size(); d++) {
        buffer.dim(static_cast<int>(d)).set_min(0);
        if (extents[d] > 0) {
            buffer.dim(static_cast<int>(d)).set_extent(extents[d]);
        }
    }
    // Halide 14 folds a stride into the addresses only where its constraint is a constant: a
    // product of other dimensions' constrained extents or strides stays a run-time value (the
    // NHWC stride-2 depthwise layer's tile loop then reloaded 118 offsets from the stack).
    Expr stride = 1;
    for (int d : innermost_first) {
        buffer.dim(d).set_stride(stride);
        const int64_t *known = Internal::as_const_int(stride);
        const int64_t next = known && extents[d] > 0 ? *known * extents[d] : 0;
        stride = next > 0 && next <= std::numeric_limits<int32_t>::max() ? Expr(static_cast<int>(next))
                                                                         : stride * buffer.dim(d).extent();
    }
}

namespace {

// A PyTorch shape, outermost first, as Halide's extents, innermost first.
std::vector<int> halide_extents(const Shape4 &shape) {
    return {static_cast<int>(shape[3]), static_cast<int>(shape[2]), static_cast<int>(shape[1]),
            static_cast<int>(shape[0])};
}

}  // namespace

void constrain_weight(const Layer &layer, ImageParam &weight) {
    constrain_dense(weight, halide_extents(weight_shape(layer)), {0, 1, 2, 3});
}

void constrain_layer_io(const Layer &layer, ImageParam &input, ImageParam &bias, OutputImageParam output) {
    auto i = [](int64_t v) { return static_cast<int>(v); };
    if (bias.defined()) {
        bias.dim(0).set_bounds(0, i(layer.out_channels));
    }
    // Extents the layer leaves to run time (no input_shape) are 0.
    Shape4 in{0, layer.in_channels, 0, 0}, out{0, layer.out_channels, 0, 0};
    if (layer.input_shape) {
        in = *layer.input_shape;
        out = output_shape(layer, in);
    }
    // Channels-last tensors seen through Halide's (x, y, c, n): c is innermost in memory, so
    // Halide knows a vector across channels is one contiguous load.
    const std::vector<int> memory_order = layer.channels_last() ? std::vector<int>{2, 0, 1, 3}
                                                                : std::vector<int>{0, 1, 2, 3};
    constrain_dense(input, halide_extents(in), memory_order);
    constrain_dense(output, halide_extents(out), memory_order);
}

}  // namespace convc
