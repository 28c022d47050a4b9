#include "schedules/cpu_depthwise_conv.h"

#include "schedules/cpu_output_tiling.h"

namespace convc {

using namespace Halide;

bool is_depthwise(const Layer &layer) {
    return layer.groups > 1 && layer.in_channels == layer.groups;
}

void schedule_cpu_depthwise_conv(LoweredConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    tile_cpu_output(lc, lanes * choice.param("x_vectors"), 1, lanes, choice.param("stage_input") != 0);

    const Var &x = lc.x;
    lc.conv.vectorize(x, lanes).unroll(x);
    Stage update = lc.conv.update();
    update.reorder(x, lc.r.x, lc.r.y, lc.r.z, lc.k, lc.y, lc.n).vectorize(x, lanes).unroll(x);
    if (choice.param("unroll_taps")) {
        update.unroll(lc.r.x).unroll(lc.r.y);
    }
}

}  // namespace convc
