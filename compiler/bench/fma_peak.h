#pragma once

#include "Halide.h"

namespace convc {

// This machine's float32 fused-multiply-add throughput in GFLOP/s (2 FLOPs per FMA), the
// roofline against which convolution kernels are judged. Measured with a Halide JIT kernel
// compiled for `target`, so it is the peak that Halide-generated code can reach with the
// vector width that target implies, not a vendor datasheet figure.
//
// The kernel runs as `threads` independent parallel tasks. Halide's JIT thread pool is sized
// once, from the HL_NUM_THREADS environment variable, when the first parallel pipeline runs
// in the process; set it to `threads` before starting the process, or tasks beyond the pool
// size queue and the figure understates the peak. Takes a few hundred milliseconds.
double measure_fma_peak_gflops(const Halide::Target &target, int threads);

}  // namespace convc
