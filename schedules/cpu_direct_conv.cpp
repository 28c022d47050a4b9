#include "schedules/cpu_direct_conv.h"

#include "schedules/cpu_output_tiling.h"

namespace convc {

using namespace Halide;

std::string DirectConvParams::to_string() const {
    return family + "(lanes=" + std::to_string(vector_lanes) + ", x_vectors=" + std::to_string(x_vectors) +
           ", tile_k=" + std::to_string(tile_k) + ")";
}

void schedule_cpu_direct_conv(LoweredConv &lc, const DirectConvParams &params) {
    const int tile_x = params.vector_lanes * params.x_vectors;
    tile_cpu_output(lc, tile_x, params.tile_k, params.vector_lanes);

    const Var &x = lc.x, &k = lc.k;
    lc.conv.vectorize(x, params.vector_lanes).unroll(x).unroll(k);
    lc.conv.update()
        .reorder(x, k, lc.r.x, lc.r.y, lc.r.z, lc.y, lc.n)
        .vectorize(x, params.vector_lanes)
        .unroll(x)
        .unroll(k);
}

}  // namespace convc
