#include "schedules/cpu_depthwise_conv.h"

#include "schedules/cpu_output_tiling.h"

namespace convc {

using namespace Halide;

namespace {

// Fully unrolled windows beyond this many taps bloat code more than they save.
constexpr int64_t kMaxUnrolledTaps = 49;

}  // namespace

std::string DepthwiseConvParams::to_string() const {
    return family + "(lanes=" + std::to_string(vector_lanes) + ", x_vectors=" + std::to_string(x_vectors) + ")";
}

bool is_depthwise(const Layer &layer) {
    return layer.groups > 1 && layer.in_channels == layer.groups;
}

void schedule_cpu_depthwise_conv(LoweredConv &lc, const Layer &layer, const DepthwiseConvParams &params) {
    tile_cpu_output(lc, params.vector_lanes * params.x_vectors, 1, params.vector_lanes);

    const Var &x = lc.x;
    lc.conv.vectorize(x, params.vector_lanes).unroll(x);
    Stage update = lc.conv.update();
    update.reorder(x, lc.r.x, lc.r.y, lc.r.z, lc.k, lc.y, lc.n).vectorize(x, params.vector_lanes).unroll(x);
    if (layer.kernel.h * layer.kernel.w <= kMaxUnrolledTaps) {
        update.unroll(lc.r.x).unroll(lc.r.y);
    }
}

}  // namespace convc
