#include "schedules/x86_direct_conv.h"

#include <algorithm>

#include "schedules/cpu_output_tiling.h"
#include "schedules/cpu_vector_unit.h"

namespace convc {

using namespace Halide;

std::string DirectConvParams::to_string() const {
    return "x86_direct(lanes=" + std::to_string(vector_lanes) + ", x_vectors=" + std::to_string(x_vectors) +
           ", tile_k=" + std::to_string(tile_k) + ")";
}

DirectConvParams default_direct_params(const Layer &layer, const Target &target) {
    CpuVectorUnit unit = cpu_vector_unit(target);
    DirectConvParams p;
    p.vector_lanes = unit.float_lanes;
    p.x_vectors = 2;
    // Leave room for the input vectors of the tile and one broadcast weight.
    int budget = unit.vector_registers - p.x_vectors - 2;
    p.tile_k = std::max(1, std::min<int>(budget / p.x_vectors, 8));
    p.tile_k = static_cast<int>(std::min<int64_t>(p.tile_k, layer.out_channels));
    return p;
}

void schedule_x86_direct_conv(LoweredConv &lc, const DirectConvParams &params) {
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
