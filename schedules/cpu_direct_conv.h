#pragma once

#include "Halide.h"

#include "lower/conv2d.h"
#include "schedules/schedule_choice.h"

namespace convc {

// Direct convolution on a SIMD CPU with a register tile of x_vectors vectors along the
// output row by tile_k output channels: each input vector is loaded once per tap and
// reused across tile_k channels, each weight is broadcast once per tap and reused across
// the row's vectors. The target files (x86_conv_params, arm_neon_conv_params) declare the
// space and the defaults for their register files. Parameters:
//   lanes        float32 lanes of a vector (fixed by the ISA)
//   x_vectors    vectors along the row in the register tile
//   tile_k       output channels in the register tile
//   stage_input  1: the padded input is staged once per row strip; 0: read through the
//                boundary condition inside the loop (no copy, dearer loads)
//   unroll_taps  1: the kernel's x taps are unrolled too
void schedule_cpu_direct_conv(LoweredConv &lc, const ScheduleChoice &choice);

// Accumulators plus the row's input vectors and one broadcast weight must fit the registers.
bool direct_tile_fits(int x_vectors, int tile_k, int vector_registers);

}  // namespace convc
