#include "schedules/arm_neon_conv_params.h"

#include <algorithm>

namespace convc {

DirectConvParams arm_neon_direct_params(const Layer &layer, const Halide::Target &) {
    DirectConvParams p;
    p.family = "arm_neon_direct";
    p.vector_lanes = 4;
    p.x_vectors = 4;
    p.tile_k = static_cast<int>(std::min<int64_t>(6, layer.out_channels));
    return p;
}

DepthwiseConvParams arm_neon_depthwise_params(const Layer &, const Halide::Target &) {
    DepthwiseConvParams p;
    p.family = "arm_neon_depthwise";
    p.vector_lanes = 4;
    p.x_vectors = 8;
    return p;
}

}  // namespace convc
