#pragma once

#include "Halide.h"

namespace convc {

// What a CPU target's SIMD unit offers a register-tiled schedule.
struct CpuVectorUnit {
    int float_lanes;       // float32 lanes per vector register
    int vector_registers;  // architectural vector registers
};

CpuVectorUnit cpu_vector_unit(const Halide::Target &target);

}  // namespace convc
