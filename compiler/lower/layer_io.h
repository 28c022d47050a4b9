#pragma once

#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// What every conv2d algorithm of a layer shares, whatever its weight layout: the NCHW input
// as the layer reads it, the input coordinates of a kernel tap, and the shape constraints
// of input, bias and output.

// The input under the layer's padding mode, over (x, y, c, n). Without padding the reads
// are still clamped, so that schedules may compute tiles that overhang the image.
Halide::Func layer_input(const Halide::ImageParam &input, const Layer &layer);
// The same over `source`, a Func holding the image `input` describes.
Halide::Func layer_input(const Halide::Func &source, const Halide::ImageParam &input, const Layer &layer);

// Where output (x, y) reads the input for kernel tap (kx, ky): stride, dilation, padding.
Halide::Expr input_x(const Layer &layer, const Halide::Expr &x, const Halide::Expr &kx);
Halide::Expr input_y(const Layer &layer, const Halide::Expr &y, const Halide::Expr &ky);

// A 1x1 kernel reads the padded input at one point per output pixel. `sampled_input` is that
// point as a Func of the output pixel (x, y, channel, batch), so that a schedule can stage a
// strided layer's rows dense.
bool samples_input(const Layer &layer);
Halide::Func sampled_input(const Layer &layer, const Halide::Func &padded);

// A window's reach along one axis. A tile computed whole where it overhangs the output reads
// input beyond what the stored outputs need; a schedule that stages the input sizes the staged
// copy with this, so that every value a tile reads was written (schedules/tile_overhang.h).
struct WindowSpan {
    int stride = 1, dilation = 1, taps = 1, padding_before = 0;
    int fixed_outputs = 0;  // the output's extent where the layer fixes its shape, else 0
    // The input positions (padding included) that `outputs` consecutive outputs read, from
    // -padding_before for the first output.
    Halide::Expr input_extent(const Halide::Expr &outputs) const;
    // What whole tiles of `tile` outputs covering `outputs` read. A constant where the shape is
    // fixed: Halide 14 keeps a schedule's `outputs < tile` specialization even where the fixed
    // shape rules it out, and inside it, with the symbolic extent, proves the bound too small.
    Halide::Expr tiles_input_extent(const Halide::Expr &outputs, int tile) const;
    // The span of a Func indexed by output position (one value per output, as a 1x1 window).
    WindowSpan per_output() const { return {1, 1, 1, 0, fixed_outputs}; }
};
WindowSpan column_span(const Layer &layer);
WindowSpan row_span(const Layer &layer);

// A kernel's arguments in the order every entry point takes them: input, weight (plain or
// packed), then the bias when the layer has one (`bias` undefined otherwise).
std::vector<Halide::Argument> layer_arguments(const Halide::ImageParam &input, const Halide::ImageParam &weight,
                                              const Halide::ImageParam &bias);

// A dense tensor starting at 0, as the wrapper passes every one: `extents` in Halide's
// dimension order (0 where the layer leaves one to run time), `innermost_first` the
// dimensions in memory order, each stride the product of the extents inside it. Known
// strides turn a tap's address into a constant offset from one base register; left to run
// time, every unrolled tap of a register tile held its own offset in a register, and LLVM
// spilled them (NHWC 3x3 128@28, one thread: 117-123 against 130-133 GFLOP/s).
void constrain_dense(Halide::OutputImageParam buffer, const std::vector<int> &extents,
                     const std::vector<int> &innermost_first);

// PyTorch's weight [K, C/groups, kh, kw], dense, as Halide's (kx, ky, c, k).
void constrain_weight(const Layer &layer, Halide::ImageParam &weight);

// Shapes the layer fixes become constraints: bounds checks at the call, constants for the
// compiler. Both tensors are dense. `bias` may be undefined.
void constrain_layer_io(const Layer &layer, Halide::ImageParam &input, Halide::ImageParam &bias,
                        Halide::OutputImageParam output);

}  // namespace convc
