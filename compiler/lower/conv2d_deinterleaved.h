#pragma once

#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// Depthwise 3x3 convolution at stride 2 on NCHW planes, read in place (MobileNetV2's
// downsampling layers). A vector of `lanes` outputs from column x0 reads each input row at
// columns 2 * x0 - 1 + 2 * i + kx: the even and odd columns of the pair of vectors from 2 * x0
// (taps 1 and 2) and the even columns of the pair from 2 * x0 - 1 (tap 0). Each pair is two
// dense loads that the taps take apart in registers; no copy of the input is stored. Copying
// the plane by column phase first (lower/column_phases.h) stores as much as the layer reads,
// and on an AMD EPYC Zen 5 that copy alone took longer than oneDNN's whole layer (MobileNetV2's
// 144@56: 42 us against 34).
//
// The output is written in three parts, each an update:
// - the body, rows [1, P): runs of `lanes` columns from 0 (the last run ends at the row's
//   end, overlapping the one before where lanes do not divide the width). Column 0's tap 0
//   falls in the padding: its lane is zeroed, and its load reads the element before the row,
//   the previous row's last, which a body row always has.
// - the top row: its window's first row is padding, zeroed; its runs start at column 1, since
//   before the first row of the tensor there may be no memory at all.
// - the top-left output, alone, from the four taps of its window inside the image.
// Rows a tile computes past the last are read clamped into the plane and never stored.
// Dimensions are Halide's order, innermost first.
struct LoweredDeinterleavedConv {
    // What one part of the output computes from: the two pairs of vectors of each row
    // (u: input column, v: input row) and the outputs of a tile, each Func computed at a run.
    struct Part {
        Halide::Func even_start;  // the pair from 2 * x0: taps 1 and 2
        Halide::Func odd_start;   // the pair from 2 * x0 - 1: tap 0
        Halide::Func conv;        // (x, y, k, n)
        Halide::RDom domain;      // lane, run (and row, for the body)
    };

    int lanes = 16;
    Halide::ImageParam input;
    Halide::ImageParam weight;  // PyTorch's layout: (kx, ky, 0, k)
    Halide::ImageParam bias;    // defined only when the layer has a bias
    Halide::Func output;        // (x, y, k, n)
    Part body, top;
    Halide::RDom r;             // r.x: kernel x, r.y: kernel y
    Halide::Var u{"u"}, v{"v"}, x{"x"}, y{"y"}, k{"k"}, n{"n"};

    std::vector<Halide::Argument> arguments() const;
};

// The updates of `output`, in the order they run.
constexpr int kDeinterleavedBodyUpdate = 0;
constexpr int kDeinterleavedTopUpdate = 1;
constexpr int kDeinterleavedCornerUpdate = 2;

// Depthwise with one output channel per input channel, NCHW, a fixed input shape, a 3x3
// kernel at stride 2 and dilation 1, one row and column of zero padding before the image and
// none read after it (even input sizes), and rows of more than `lanes` outputs.
bool deinterleaved_applies(const Layer &layer, int lanes);

LoweredDeinterleavedConv lower_deinterleaved_conv2d(const Layer &layer, int lanes);

}  // namespace convc
