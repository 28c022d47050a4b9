#pragma once

#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// Depthwise convolution on flattened planes, for planes a few vectors in size (MobileNetV2's
// 14x14 and 7x7). A row vector of 16 lanes on a 7-pixel row computes 7 outputs; running the
// vectors along a plane's rows laid end to end computes 16. The output plane is the flat run
// j = y * W + x; a tap (kx, ky) reads the input plane at j plus a constant offset, and the
// lanes whose tap falls in the padding (across a row's edge or above and below the plane)
// are zeroed. That needs the output as wide as the input (stride 1, horizontal padding that
// keeps the width) and zero padding; the whole tensors dense, which the constraints check.
//
// A tap of a plane's first or last vector reaches before or after the plane, into its
// neighbours' planes, whose lanes are masked off. The tensor's first and last planes have
// nothing there to read: the image's first and last blocks of `block` channels read their
// planes staged end to end with a margin, and the others read the input in place.
// Dimensions are Halide's order, innermost first.
struct LoweredFlatPlaneConv {
    int block = 8;
    Halide::ImageParam input;
    Halide::ImageParam weight;  // PyTorch's layout: (kx, ky, 0, k)
    Halide::ImageParam bias;    // defined only when the layer has a bias
    Halide::Func staged;        // (i, b, n): channels b * block ... of image n, planes end to end
    Halide::Func conv;          // (j, k, n): output plane k as one flat run, j = y * W + x, from `staged`
    Halide::Func conv_in_place; // the same run read from the input in place (the other blocks)
    Halide::Func output;        // (x, y, k, n) = the first block's, the last block's or the others' run
    Halide::RDom copy;          // staged's interior: the block's planes
    Halide::RDom r;             // r.x: kernel x, r.y: kernel y
    Halide::Var i{"i"}, b{"b"}, j{"j"}, x{"x"}, y{"y"}, k{"k"}, n{"n"};
    int plane_size = 0;         // W * H: an input plane, staged
    int output_plane_size = 0;  // W * output height: the flat run's length

    std::vector<Halide::Argument> arguments() const;
};

// Depthwise with one output channel per input channel, stride 1, output width equal to the
// input width, zero padding (or none), a fixed input shape, and planes of at least `lanes`
// elements that `block` channels tile.
bool flat_plane_applies(const Layer &layer, int lanes);

LoweredFlatPlaneConv lower_flat_plane_conv2d(const Layer &layer, int block);

}  // namespace convc
