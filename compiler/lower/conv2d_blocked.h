#pragma once

#include <vector>

#include "Halide.h"

#include "lower/layer_io.h"
#include "spec/layer.h"

namespace convc {

// The conv2d algorithm with output channels in blocks of `block` lanes, for schedules that
// vectorize across output channels (as oneDNN's nChw16c kernels do). The weights arrive
// pre-packed so that one tap of a channel block is `block` contiguous floats:
//   packed_weight(lane, kx, ky, c, kb) = weight[kb * block + lane][c][ky][kx]
// Input and output stay NCHW. Dimensions are Halide's order, innermost first.
struct LoweredBlockedConv {
    int block = 16;
    bool channels_last = false;  // layout nhwc: a vector across channels is one contiguous store
    Halide::ImageParam input;
    Halide::ImageParam packed_weight;
    Halide::ImageParam bias;  // defined only when the layer has a bias
    Halide::Func padded;      // input under the padding mode, as in lower_conv2d
    // A 1x1 kernel reads the padded input at one point per output pixel: `sampled` is that
    // point, (x, y) an output pixel, so a schedule can stage a strided layer's rows dense
    // (stage_rows) instead of reading every other value of every input row's cache lines.
    bool samples_input = false;
    Halide::Func sampled;
    Halide::Func conv;        // (lane, x, y, kb, n): the reduction, one vector lane per channel
    Halide::Func output;      // (x, y, k, n) = conv(k % block, x, y, k / block, n)
    // With the I/O transposed (an NCHW layer computed channels-last): the input copied
    // channel-innermost, and the result, channel-innermost, that `output` copies back.
    bool transposes_io = false;
    Halide::Func channels_last_input, channels_last_result;
    // The Func a schedule tiles: `output`, or `channels_last_result` when transposing.
    Halide::Func tiled;
    Halide::RDom r;           // r.x: kernel x, r.y: kernel y, r.z: input channel within the group
    Halide::Var lane{"lane"}, x{"x"}, y{"y"}, kb{"kb"}, k{"k"}, n{"n"};
    WindowSpan columns, rows;  // the window's reach along x and along y

    std::vector<Halide::Argument> arguments() const;
};

// Blocks inside groups (out_channels / groups a multiple of `block`): the input channel is
// the same for the lanes of a block.
bool blocked_layout_applies(const Layer &layer, int block);
// Groups narrower than a block that tile it (depthwise, ResNeXt's 4 or 8 channels per group),
// channels filling whole blocks: each lane reads an input channel of its own group, so a
// schedule stores the padded input channel-innermost (nChw16c, packed in the pipeline).
bool lane_blocked_layout_applies(const Layer &layer, int block);

// Which taps the reduction skips where they fall in zero padding: the rows of the window
// (kernel y) depend on an output row only, so a tile that runs along a row skips them for
// all its pixels at once; a tile running down a column skips kernel columns instead.
enum class TapTrim { None, Rows, Columns };

struct BlockedConvOptions {
    // An NCHW layer computed as a channels-last one between two copies: a tap's input
    // values are then contiguous channels of one pixel instead of one value from each
    // channel's plane, which a tall kernel over many channels reads from too many lines for
    // the L1 cache.
    bool transpose_io = false;
    // Only with zero padding, where a skipped tap would have added zero.
    TapTrim trim = TapTrim::None;
};

LoweredBlockedConv lower_blocked_conv2d(const Layer &layer, int block, const BlockedConvOptions &options = {});

// The packed weights' shape, (block, kw, kh, C/groups, K/block), dense, as constraints on the
// kernel's parameter and on the packing pipeline's output.
void constrain_packed_weight(const Layer &layer, int block, Halide::OutputImageParam packed_weight);

// The pipeline that packs PyTorch-layout weights [K, C/groups, kh, kw] into the blocked layout.
struct LoweredWeightPack {
    Halide::ImageParam weight;
    Halide::Func packed;  // (lane, kx, ky, c, kb)
};

// Which output channel a packed lane holds: kb * block + lane, or the group-interleaved order
// of lower_interleaved_conv2d (conv2d_interleaved.h).
enum class WeightLaneOrder { Contiguous, GroupInterleaved };

LoweredWeightPack lower_weight_pack(const Layer &layer, int block, WeightLaneOrder order = WeightLaneOrder::Contiguous);

}  // namespace convc
