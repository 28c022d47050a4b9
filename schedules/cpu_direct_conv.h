#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"

namespace convc {

// Direct convolution on a SIMD CPU with a register tile of x_vectors vectors along the
// output row by tile_k output channels: each input vector is loaded once per tap and
// reused across tile_k channels, each weight is broadcast once per tap and reused across
// the row's vectors. The target families (x86_conv_params, arm_neon_conv_params) choose
// the parameters for their register files.
struct DirectConvParams {
    std::string family;  // which target family chose these, for reports
    int vector_lanes = 16;
    int x_vectors = 2;  // tile_x = x_vectors * vector_lanes
    int tile_k = 8;

    std::string to_string() const;
};

void schedule_cpu_direct_conv(LoweredConv &lc, const DirectConvParams &params);

}  // namespace convc
