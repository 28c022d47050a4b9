#include "schedules/cpu_blocked_conv.h"

#include <algorithm>

#include "schedules/cpu_parallel_tasks.h"

namespace convc {

using namespace Halide;

namespace {

// Tasks are (channel block, row) pairs: small images have too few rows to share out alone.
// Neighbouring tasks run at the same time, so they must not write neighbouring memory. In
// NCHW they take different channel blocks of one row: neighbouring rows of one channel share
// cache lines (a 28-float row is 112 bytes). In NHWC they take neighbouring rows of one
// channel block: the blocks of one pixel are adjacent (measured on the 24->144 1x1 layer at
// 2 threads on 2026-11-25: 81 GFLOP/s interleaving blocks, 137 taking rows).
// With row_tasks 0 a task is a whole channel block and its rows a plain loop inside it, which
// Halide splits into border and interior rows: the interior reads no boundary condition.
void tile_output(Stage stage, LoweredBlockedConv &lc, const ScheduleChoice &choice, const Var &xo, const Var &task,
                 TailStrategy x_tail) {
    const int tile_k = choice.param("lanes") * choice.param("k_vectors");
    Var ko("ko"), ki("ki"), xi("xi");
    stage.split(lc.k, ko, ki, tile_k).split(lc.x, xo, xi, choice.param("x_pixels"), x_tail);
    OutputImageParam out = lc.output.output_buffer();
    Expr iterations = (out.dim(2).extent() + (tile_k - 1)) / tile_k * out.dim(3).extent();
    if (!choice.param("row_tasks")) {
        if (lc.channels_last) {
            stage.reorder(ki, xi, xo, lc.y, ko, lc.n);
        } else {
            stage.reorder(xi, ki, xo, lc.y, ko, lc.n);
        }
        stage.fuse(ko, lc.n, task);
    } else if (lc.channels_last) {
        stage.reorder(ki, xi, xo, lc.y, lc.n, ko).fuse(lc.y, lc.n, task).fuse(task, ko, task);
        iterations *= out.dim(1).extent();
    } else {
        stage.reorder(xi, ki, xo, ko, lc.y, lc.n).fuse(lc.y, lc.n, task).fuse(ko, task, task);
        iterations *= out.dim(1).extent();
    }
    if (lc.channels_last) {
        // Channels are contiguous in the output: store whole channel vectors.
        stage.vectorize(ki, lc.block);
    }
    parallelize_tasks(stage, task, iterations, choice.param("tasks"));
    stage.unroll(xi);
}

}  // namespace

bool blocked_tile_fits(int x_pixels, int k_vectors, int vector_registers) {
    return x_pixels * k_vectors + k_vectors + 1 <= vector_registers;
}

void schedule_cpu_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice) {
    const int tile_x = choice.param("x_pixels");
    Var xo("xo"), task("task");
    Expr width = lc.output.output_buffer().dim(0).extent();
    tile_output(lc.output.specialize(width >= tile_x), lc, choice, xo, task, TailStrategy::ShiftInwards);
    tile_output(lc.output, lc, choice, xo, task, TailStrategy::GuardWithIf);
    if (choice.param("stage_input")) {
        lc.padded.compute_at(lc.output, task);
    }

    lc.conv.compute_at(lc.output, xo).bound_extent(lc.x, tile_x).vectorize(lc.lane).unroll(lc.x).unroll(lc.kb);
    Stage update = lc.conv.update();
    // channels_inner: each tap sweeps the input channels, a contiguous run of a channels-last
    // pixel, instead of each channel visiting every tap.
    if (choice.param("channels_inner")) {
        update.reorder(lc.lane, lc.x, lc.kb, lc.r.z, lc.r.x, lc.r.y, lc.y, lc.n);
    } else {
        update.reorder(lc.lane, lc.x, lc.kb, lc.r.x, lc.r.y, lc.r.z, lc.y, lc.n);
    }
    update
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
             {"unroll_taps", {0, 1}},
             {"row_tasks", {0, 1}},
             {"channels_inner", {0, 1}},
             {"tasks", parallel_task_counts()}},
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
             {"unroll_taps", 0},
             {"row_tasks", 1},
             {"channels_inner", 0},
             {"tasks", default_parallel_tasks(layer, lanes)}}};
}

}  // namespace convc
