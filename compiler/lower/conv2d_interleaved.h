#pragma once

#include <vector>

#include "Halide.h"

#include "lower/layer_io.h"
#include "spec/layer.h"

namespace convc {

// The conv2d algorithm for groups narrower than a vector (ResNeXt's 4 or 8 channels per
// group) with the lanes of a vector interleaved across groups. A vector's `lanes` output
// channels belong to kInterleavedGroups groups, lanes / kInterleavedGroups channels of each:
// lane j + 4 * o holds output channel o of the chunk's group j. Every lane of group j then
// reads the same input channel at a tap, so the four groups' values of input channel rz,
// stored next to each other, feed the whole vector as one 128-bit broadcast, and every lane
// does useful work. The lane-blocked algorithm instead gives each lane an input channel of
// its own (a permute per tap) and the blocked one a half-empty vector per group.
//
//   packed_input(j, rz, x, y, cb, n) = padded(x, y, (cb * 4 + j) * C/g + rz, n)
//   conv(j, o, v, x, y, cb, n)      += packed_weight(j + 4 * o, r.x, r.y, r.z, cb * V + v)
//                                      * packed_input(j, r.z, input x, input y, cb, n)
//   unpacked(channel in chunk, x, y, cb, n): conv in output-channel order (a shuffle)
//   output(x, y, k, n)               = unpacked(k % chunk, x, y, k / chunk, n) [+ bias(k)]
//
// A chunk is 4 groups (4 * K/g output channels, V = K/g / (lanes / 4) vectors). The packed
// weights have the blocked family's shape, (lane, kx, ky, c, kb), with the channels in this
// interleaved order (interleaved_output_channel).
constexpr int kInterleavedGroups = 4;

struct LoweredInterleavedConv {
    int lanes = 16;
    int group_vectors = 1;  // V: vectors per chunk
    int chunk = 0;          // output channels per chunk
    int group_in = 1;       // input channels per group
    bool channels_last = false;  // the tensors' layout: NHWC, or NCHW
    Halide::ImageParam input;
    Halide::ImageParam packed_weight;
    Halide::ImageParam bias;      // defined only when the layer has a bias
    Halide::Func padded;          // input under the padding mode
    Halide::Func packed_input;    // (j, rz, x, y, cb, n): a chunk's input channels, group innermost
    Halide::Func conv;            // (j, o, v, x, y, cb, n): the reduction, (j, o) one vector
    Halide::Func unpacked;        // (channel in chunk, x, y, cb, n)
    Halide::Func output;          // (x, y, k, n)
    Halide::RDom r;               // r.x: kernel x, r.y: kernel y, r.z: input channel within the group
    Halide::RDom r_unpack;        // (o, v, j): the conv values a chunk's channels take
    Halide::Var j{"j"}, o{"o"}, v{"v"}, rz{"rz"}, x{"x"}, y{"y"}, cb{"cb"}, k{"k"}, n{"n"}, channel{"channel"};
    WindowSpan columns;           // the window's reach along x

    std::vector<Halide::Argument> arguments() const;
};

// Groups whose output channels tile a quarter vector but not a whole one, in multiples of 4.
bool interleaved_layout_applies(const Layer &layer, int lanes);

LoweredInterleavedConv lower_interleaved_conv2d(const Layer &layer, int lanes);

// The output channel of packed weight lane `lane` of vector `kb` in the interleaved order.
Halide::Expr interleaved_output_channel(const Layer &layer, int lanes, const Halide::Expr &lane,
                                        const Halide::Expr &kb);

}  // namespace convc
