#pragma once

#include "Halide.h"

#include "lower/conv2d.h"

namespace convc {

// The direct family's loop structure (the depthwise family tiles channel planes instead,
// cpu_depthwise_conv.cpp): parallel over rows of (n, y), grouped into tasks by `tasks`
// (cpu_parallel_tasks.h),
// the padded input staged per row strip, and the output cut into tiles of tile_x columns
// by tile_k output channels that the accumulator Func is computed inside.

// Output widths below tile_x take a guarded path so any width is correct; widths of at
// least tile_x take the fast path with whole vector tiles.
// With stage_input false the padded input is left inline (read through its boundary
// condition in the inner loop).
void tile_cpu_output(LoweredConv &lc, int tile_x, int tile_k, int vector_lanes, bool stage_input, int tasks);

}  // namespace convc
