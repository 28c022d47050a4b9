#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"
#include "spec/layer.h"

namespace convc {

// Direct convolution on x86 with a register tile of (tile_x / lanes) vectors along the
// output row by tile_k output channels: each input vector is loaded once per tap and
// reused across tile_k channels, each weight is broadcast once per tap and reused across
// the row vectors.
struct DirectConvParams {
    int vector_lanes = 16;
    int x_vectors = 2;  // tile_x = x_vectors * vector_lanes
    int tile_k = 8;

    std::string to_string() const;
};

// Accumulators (x_vectors * tile_k) fill the register file less a few for loads and broadcasts.
DirectConvParams default_direct_params(const Layer &layer, const Halide::Target &target);

void schedule_x86_direct_conv(LoweredConv &lc, const DirectConvParams &params);

}  // namespace convc
