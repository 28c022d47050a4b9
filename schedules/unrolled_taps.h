#pragma once

#include "Halide.h"

namespace convc {

// A register tile's window rows are unrolled (with its columns) only while the unrolled body
// stays within this many vector multiply-adds. Beyond it the code grows more than the loop
// overhead it saves, and Halide 14's simplifier slows down on it: a 5x5 lane-blocked tile of
// 14 pixels (350 multiply-adds unrolled, copied by the row loops' boundary partitions) took 34 s
// in one lowering pass.
constexpr int kMaxUnrolledMultiplyAdds = 256;

// Whether `tile_vectors` accumulators times the window's taps (r.x by r.y) fit that budget.
bool unrolls_window_rows(int tile_vectors, const Halide::RDom &window);

}  // namespace convc
