#include "schedules/x86_conv_params.h"

#include <algorithm>

namespace convc {

using Halide::Target;

DirectConvParams x86_direct_params(const Layer &layer, const Target &target) {
    DirectConvParams p;
    int registers = 16;
    if (target.has_feature(Target::AVX512)) {
        p.family = "x86_avx512_direct";
        p.vector_lanes = 16;
        registers = 32;
    } else if (target.has_feature(Target::AVX2)) {
        p.family = "x86_avx2_direct";
        p.vector_lanes = 8;
    } else {
        p.family = "x86_sse41_direct";
        p.vector_lanes = 4;
    }
    p.x_vectors = 2;
    int accumulators = registers - p.x_vectors - 2;
    p.tile_k = static_cast<int>(std::min<int64_t>(std::min(accumulators / p.x_vectors, 8), layer.out_channels));
    return p;
}

DepthwiseConvParams x86_depthwise_params(const Layer &, const Target &target) {
    DepthwiseConvParams p;
    if (target.has_feature(Target::AVX512)) {
        p.family = "x86_avx512_depthwise";
        p.vector_lanes = 16;
        p.x_vectors = 4;
    } else if (target.has_feature(Target::AVX2)) {
        p.family = "x86_avx2_depthwise";
        p.vector_lanes = 8;
        p.x_vectors = 4;
    } else {
        p.family = "x86_sse41_depthwise";
        p.vector_lanes = 4;
        p.x_vectors = 4;
    }
    return p;
}

}  // namespace convc
