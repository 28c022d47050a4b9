#pragma once

#include "Halide.h"

#include "schedules/cpu_depthwise_conv.h"
#include "schedules/cpu_direct_conv.h"
#include "spec/layer.h"

namespace convc {

// Default parameters for aarch64 NEON: 32 registers of 128 bits (4 floats), one FMLA per
// register per cycle on most cores. A 4-vector (16-pixel) row by 6 channels keeps 24
// accumulators, 4 input vectors and a weight in registers; wider rows than x86 make up
// for the narrower vectors.
DirectConvParams arm_neon_direct_params(const Layer &layer, const Halide::Target &target);
DepthwiseConvParams arm_neon_depthwise_params(const Layer &layer, const Halide::Target &target);

}  // namespace convc
