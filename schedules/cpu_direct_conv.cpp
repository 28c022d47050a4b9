#include "schedules/cpu_direct_conv.h"

#include "schedules/cpu_output_tiling.h"

namespace convc {

using namespace Halide;

bool direct_tile_fits(int x_vectors, int tile_k, int vector_registers) {
    return x_vectors * tile_k + x_vectors + 1 <= vector_registers;
}

void schedule_cpu_direct_conv(LoweredConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    const int tile_k = choice.param("tile_k");
    tile_cpu_output(lc, lanes * choice.param("x_vectors"), tile_k, lanes, choice.param("stage_input") != 0,
                    choice.param("tasks"));

    const Var &x = lc.x, &k = lc.k;
    lc.conv.vectorize(x, lanes).unroll(x).unroll(k);
    Stage update = lc.conv.update();
    update.reorder(x, k, lc.r.x, lc.r.y, lc.r.z, lc.y, lc.n).vectorize(x, lanes).unroll(x).unroll(k);
    if (choice.param("unroll_taps")) {
        update.unroll(lc.r.x);
    }
}

}  // namespace convc
