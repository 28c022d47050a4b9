#pragma once

#include "Halide.h"

#include "lower/conv2d.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Depthwise convolution (one input channel per group) on a SIMD CPU: no input is shared
// between output channels, so the register tile runs along the row only. Parameters:
//   lanes        float32 lanes of a vector
//   x_vectors    vectors along the row
//   unroll_taps  1: the whole kernel window is unrolled
//   stage_input  as for the direct family
void schedule_cpu_depthwise_conv(LoweredConv &lc, const ScheduleChoice &choice);

bool is_depthwise(const Layer &layer);

}  // namespace convc
