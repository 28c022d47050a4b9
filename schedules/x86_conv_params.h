#pragma once

#include "Halide.h"

#include "schedules/cpu_depthwise_conv.h"
#include "schedules/cpu_direct_conv.h"
#include "spec/layer.h"

namespace convc {

// Default parameters on x86, by vector ISA: AVX-512 has 32 zmm registers of 16 floats,
// AVX2 and SSE4.1 16 registers of 8 and 4 floats. The accumulators of a register tile
// take the register file less the row's input vectors and one broadcast weight.
DirectConvParams x86_direct_params(const Layer &layer, const Halide::Target &target);
DepthwiseConvParams x86_depthwise_params(const Layer &layer, const Halide::Target &target);

}  // namespace convc
