#include "schedules/cpu_blocked_conv.h"

#include <algorithm>

namespace convc {

using namespace Halide;

namespace {

// Tasks are (channel block, row) pairs: small images have too few rows to share out alone.
// Neighbouring tasks run at the same time, so they must not write neighbouring memory. In
// NCHW they take different channel blocks of one row: neighbouring rows of one channel share
// cache lines (a 28-float row is 112 bytes). In NHWC they take neighbouring rows of one
// channel block: the blocks of one pixel are adjacent (measured on the 24->144 1x1 layer at
// 2 threads: 81 GFLOP/s interleaving blocks, see docs/performance.md).
void tile_output(Stage stage, LoweredBlockedConv &lc, const Var &xo, const Var &xi, const Var &ko, const Var &ki,
                 const Var &task, int tile_x, int tile_k, TailStrategy x_tail) {
    stage.split(lc.k, ko, ki, tile_k).split(lc.x, xo, xi, tile_x, x_tail);
    if (lc.channels_last) {
        // Channels are contiguous in the output: store whole channel vectors.
        stage.reorder(ki, xi, xo, lc.y, lc.n, ko).vectorize(ki, lc.block);
    } else {
        stage.reorder(xi, ki, xo, ko, lc.y, lc.n);
    }
    stage.fuse(lc.y, lc.n, task);
    if (lc.channels_last) {
        stage.fuse(task, ko, task);
    } else {
        stage.fuse(ko, task, task);
    }
    stage.parallel(task).unroll(xi);
}

}  // namespace

bool blocked_tile_fits(int x_pixels, int k_vectors, int vector_registers) {
    return x_pixels * k_vectors + k_vectors + 1 <= vector_registers;
}

void schedule_cpu_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    const int tile_x = choice.param("x_pixels");
    const int k_vectors = choice.param("k_vectors");
    Var xo("xo"), xi("xi"), ko("ko"), ki("ki"), task("task");

    Expr width = lc.output.output_buffer().dim(0).extent();
    tile_output(lc.output.specialize(width >= tile_x), lc, xo, xi, ko, ki, task, tile_x, lanes * k_vectors,
                TailStrategy::ShiftInwards);
    tile_output(lc.output, lc, xo, xi, ko, ki, task, tile_x, lanes * k_vectors, TailStrategy::GuardWithIf);
    if (choice.param("stage_input")) {
        lc.padded.compute_at(lc.output, task);
    }

    lc.conv.compute_at(lc.output, xo).bound_extent(lc.x, tile_x).vectorize(lc.lane).unroll(lc.x).unroll(lc.kb);
    Stage update = lc.conv.update();
    update.reorder(lc.lane, lc.x, lc.kb, lc.r.x, lc.r.y, lc.r.z, lc.y, lc.n)
        .vectorize(lc.lane)
        .unroll(lc.x)
        .unroll(lc.kb);
    if (choice.param("unroll_taps")) {
        update.unroll(lc.r.x);
    }
}

ScheduleSpace cpu_blocked_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> k_vectors;
    int64_t group_out = layer.out_channels / layer.groups;
    for (int v : {1, 2, 3, 4}) {
        if (group_out % (lanes * v) == 0) {
            k_vectors.push_back(v);
        }
    }
    return {family,
            {{"lanes", {lanes}},
             {"x_pixels", {2, 3, 4, 5, 6, 7, 8, 12, 14}},
             {"k_vectors", k_vectors},
             {"stage_input", {0, 1}},
             {"unroll_taps", {0, 1}}},
            registers};
}

ScheduleChoice cpu_blocked_choice(const std::string &family, int lanes, int x_pixels, int k_vectors,
                                  const Layer &layer) {
    int64_t group_out = layer.out_channels / layer.groups;
    while (k_vectors > 1 && group_out % (lanes * k_vectors) != 0) {
        k_vectors--;
    }
    return {family,
            {{"lanes", lanes},
             {"x_pixels", x_pixels},
             {"k_vectors", k_vectors},
             {"stage_input", 1},
             {"unroll_taps", 0}}};
}

}  // namespace convc
