#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"
#include "spec/layer.h"

namespace convc {

// Depthwise convolution (one input channel per group) on a SIMD CPU: no input is shared
// between output channels, so the register tile runs along the row only and the small
// kernel window is unrolled completely.
struct DepthwiseConvParams {
    std::string family;
    int vector_lanes = 16;
    int x_vectors = 4;

    std::string to_string() const;
};

void schedule_cpu_depthwise_conv(LoweredConv &lc, const Layer &layer, const DepthwiseConvParams &params);

bool is_depthwise(const Layer &layer);

}  // namespace convc
