#include "schedules/cpu_output_tiling.h"

#include "schedules/cpu_parallel_tasks.h"
#include "schedules/tile_overhang.h"

namespace convc {

using namespace Halide;

namespace {

struct OutputLoops {
    Var xo{"xo"}, xi{"xi"}, ko{"ko"}, ki{"ki"}, task{"task"}, row{"row"};
};

void schedule_tile_loops(Stage stage, LoweredConv &lc, const OutputLoops &t, int tile_x, int tile_k,
                         int vector_lanes, TailStrategy x_tail, int tasks) {
    OutputImageParam out = lc.output.output_buffer();
    stage.split(lc.k, t.ko, t.ki, tile_k)
        .split(lc.x, t.xo, t.xi, tile_x, x_tail)
        .reorder(t.xi, t.ki, t.xo, t.ko, lc.y, lc.n)
        .fuse(lc.y, lc.n, t.task)
        .unroll(t.ki);
    parallelize_task_iterations(stage, t.task, t.row, out.dim(1).extent() * out.dim(3).extent(), tasks);
    if (x_tail == TailStrategy::ShiftInwards) {
        stage.vectorize(t.xi, vector_lanes);
    }
}

}  // namespace

void tile_cpu_output(LoweredConv &lc, int tile_x, int tile_k, int vector_lanes, bool stage_input, int tasks) {
    OutputLoops t;
    Expr width = lc.output.output_buffer().dim(0).extent();
    Stage wide = lc.output.specialize(width >= tile_x);
    schedule_tile_loops(wide, lc, t, tile_x, tile_k, vector_lanes, TailStrategy::ShiftInwards, tasks);
    schedule_tile_loops(lc.output, lc, t, tile_x, tile_k, vector_lanes, TailStrategy::GuardWithIf, tasks);

    // One staged strip of padded rows per output row: the boundary condition is evaluated
    // once per input element instead of once per multiply-add.
    // The strip spans every column a whole tile reads: Halide 14 allocates that much but computes
    // only what the stored outputs need, and a tile wider than the row would read the rest
    // uninitialized. Its results are discarded, but stale bits that happen to be denormal floats
    // cost Intel CPUs a microcode assist per multiply-add: on a Skylake-SP Xeon the 1x1 64->256
    // layer at 56x56 (64-column tiles) ran at 2-8 GFLOP/s, 104 with the strip covering the tiles.
    // A 1x1 kernel stages its samples instead: a strided layer's row then holds only the
    // values it reads, dense, so the tiles load whole vectors of them.
    if (stage_input && lc.samples_input) {
        lc.sampled.compute_at(lc.output, t.row).vectorize(lc.x, vector_lanes);
        cover_whole_tiles(lc.sampled, lc.x, lc.columns.per_output(), width, tile_x);
    } else if (stage_input) {
        lc.padded.compute_at(lc.output, t.row).vectorize(lc.x, vector_lanes);
        cover_whole_tiles(lc.padded, lc.x, lc.columns, width, tile_x);
    }
    // On the guarded path the last tile is narrower; a fixed extent keeps the register
    // tile's loops constant (so they unroll) at the cost of a few wasted columns.
    lc.conv.compute_at(lc.output, t.xo).bound_extent(lc.x, tile_x);
}

}  // namespace convc
