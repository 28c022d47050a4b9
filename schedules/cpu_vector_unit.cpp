#include "schedules/cpu_vector_unit.h"

namespace convc {

CpuVectorUnit cpu_vector_unit(const Halide::Target &target) {
    using Halide::Target;
    if (target.arch == Target::ARM) {
        return {4, target.bits == 64 ? 32 : 16};
    }
    if (target.has_feature(Target::AVX512)) {
        return {16, 32};
    }
    if (target.has_feature(Target::AVX2) || target.has_feature(Target::AVX)) {
        return {8, 16};
    }
    return {4, 16};
}

}  // namespace convc
