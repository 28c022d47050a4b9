#include "schedules/cpu_depthwise_conv.h"

#include <algorithm>

#include "lower/input_plane.h"
#include "schedules/choose_schedule.h"
#include "schedules/cpu_parallel_tasks.h"
#include "schedules/unrolled_taps.h"

namespace convc {

using namespace Halide;

bool is_depthwise(const Layer &layer) {
    return layer.groups > 1 && layer.in_channels == layer.groups;
}

namespace {

// Two channels in every task, the last one included, where a staged plane is read at a
// stride: see stage_per_channel. Where the channels would leave the last task one (13 of them
// two or four a task, 17 two a task), the tasks take more.
int channels_per_task(const Layer &layer, const ScheduleChoice &choice) {
    const int channels = static_cast<int>(layer.out_channels);
    const int least = stages_input_plane(choice) && layer.stride.w > 1 ? 2 : 1;
    int per_task = iterations_per_task(channels, choice.param("tasks"), least);
    while (per_task < channels && channels % per_task != 0 && channels % per_task < least) {
        per_task++;
    }
    return per_task;
}

struct TileLoops {
    Var xo{"xo"}, xi{"xi"}, yo{"yo"}, yi{"yi"}, channel{"channel"};
};

// Tiles of y_rows rows by x_vectors vectors; the tasks share out the channels of an image
// (lc.k becomes the task loop), a task iteration being one channel's plane.
void tile_planes(Stage stage, LoweredConv &lc, const Layer &layer, const ScheduleChoice &choice, const TileLoops &t,
                 TailStrategy tail) {
    const int lanes = choice.param("lanes");
    stage.split(lc.x, t.xo, t.xi, lanes * choice.param("x_vectors"), tail)
        .split(lc.y, t.yo, t.yi, choice.param("y_rows"), tail)
        .reorder(t.xi, t.yi, t.xo, t.yo, lc.k, lc.n)
        .unroll(t.yi);
    if (tail == TailStrategy::ShiftInwards) {
        stage.vectorize(t.xi, lanes);
    }
    parallelize_tasks_of(stage, lc.k, t.channel, channels_per_task(layer, choice), choice.param("tasks"));
}

// Storage for planes, allocated once per task on the heap and reused by its channels: a heap
// plane per channel ran the 14x14 layer at 26-46 GFLOP/s, against 56-66 for a plane per
// channel on the stack and 40-64 for a folded one (one thread).
// Two planes, not one: with one, the last tile's reads can have constant indices, and Halide
// 14 loads a stride-2 vector at an odd constant index from the even index below it, marked
// 64-byte aligned (seen in the LLVM IR: `align 64` 8 bytes past a boundary): SIGSEGV.
// Alternating planes keep the channel in every index, as long as a task takes two channels
// or more (channels_per_task): with one, its channel loop vanished and the indices were constants
// again (a 5x7 window, stride 2 along 9-wide rows, a channel a task). Side by side, one
// thread, the 32-channel 112x112 layer ran the same with either plane count (84-91 GFLOP/s);
// the stride-2 56x56 layer about a tenth slower with two (29.8-37.1 against 34.1-40.6).
void stage_per_channel(Func staged, const Var &channel, LoweredConv &lc, const TileLoops &t) {
    staged.store_at(lc.output, lc.k).compute_at(lc.output, t.channel).fold_storage(channel, 2);
    staged.store_in(MemoryType::Heap);
}

// The border strips are a few elements per row: their loops stay scalar.
void leave_border_scalar(Func staged, int first_copy, int second_copy) {
    for (int i = 0; i < staged.num_update_definitions(); i++) {
        if (i != first_copy && i != second_copy) {
            staged.update(i).unscheduled();
        }
    }
}

void stage_input_plane(LoweredConv &lc, const ScheduleChoice &choice, const TileLoops &t) {
    stage_per_channel(lc.plane, lc.plane.args()[2], lc, t);
    // Rows a whole number of vectors long and the interior at a vector boundary, as the column
    // phases have them: the copy's stores and the middle taps' loads stop straddling cache lines.
    // The kernel timed from a program (AMD EPYC Zen 5), one thread / two, three turns alternating:
    // MobileNetV2's 32@112 77.6-79.6 / 60.5-61.3 us against 83.2-84.0 / 59.5-60.8 (the wider rows
    // cost a little at two threads, where the layer waits on L3); 384@14 14.3-14.4 / 9.9-10.3
    // against 14.7-15.1 / 10.6.
    lc.plane.align_bounds(lc.plane.args()[0], choice.param("lanes"));
    // Rows are copied in runs of a vector (depthwise_plane_tile), so the guards below never cut
    // a vector short where a row holds one; a row narrower than a vector (MobileNetV2's 7) is
    // copied with half vectors, its last one guarded.
    const int lanes = choice.param("lanes");
    Expr width = lc.input.dim(0).extent();
    for (int copy : {kInputPlaneInteriorUpdate, kInputPlaneRowEndUpdate}) {
        Stage rows = lc.plane.update(copy);
        RVar row_x(rows.get_schedule().rvars()[0].var);
        rows.specialize(width >= lanes).vectorize(row_x, lanes, TailStrategy::GuardWithIf);
        rows.vectorize(row_x, std::max(lanes / 2, 1), TailStrategy::GuardWithIf);
    }
    leave_border_scalar(lc.plane, kInputPlaneInteriorUpdate, kInputPlaneRowEndUpdate);
}

// The column phases in place of the plane, their interior copied a run of `lanes` column
// groups of every phase at a time, from two dense vectors per phase (lower/column_phases.h).
// The runs are whole: column_phases_fit layers only.
void stage_column_phases(LoweredConv &lc, const ScheduleChoice &choice, const TileLoops &t) {
    ColumnPhases &cp = lc.phases;
    stage_per_channel(cp.phases, cp.phases.args()[3], lc, t);
    const int lanes = choice.param("lanes");
    // Rows a whole number of vectors long, each phase's first interior column at a vector
    // boundary: the runs' stores no longer straddle cache lines. MobileNetV2's stride-2 144-channel
    // layer, one thread, alternating builds (2026-11-29): 56-57 us a call against 61-67.
    cp.phases.align_bounds(cp.phases.args()[0], lanes);
    const std::pair<int, Func *> copies[] = {{kPhasesRunsUpdate, &cp.runs_source},
                                             {kPhasesLastRunUpdate, &cp.last_run_source}};
    for (const auto &[update, source] : copies) {
        Stage copy = cp.phases.update(update);
        const std::vector<Internal::ReductionVariable> &rvars = copy.get_schedule().rvars();
        RVar group(rvars[0].var), phase(rvars[1].var), row(rvars[2].var);
        RVar run(rvars[0].var + "_run"), in_run(rvars[0].var + "_in_run");
        copy.split(group, run, in_run, lanes, TailStrategy::GuardWithIf)
            .reorder(in_run, phase, run, row)
            .vectorize(in_run)
            .unroll(phase);
        Var x = source->args()[0];
        source->compute_at(cp.phases, run).bound_extent(x, lanes * cp.stride).vectorize(x, lanes);
    }
    leave_border_scalar(cp.phases, kPhasesRunsUpdate, kPhasesLastRunUpdate);
}

// Each row of tiles stages the padded rows its window reads, in a buffer of those rows alone.
// A staged plane is copied whole before any tile reads it; per tile row the copy comes between
// tiles, so its loads from L3 overlap the multiply-adds, and the few rows stay in L1 (the rows of
// a 7-row tile's 3x3 window: 9 x 128 floats). MobileNetV2's 32-channel 112x112 layer, side by
// side (`compare`, AMD EPYC Zen 5, 2026-11-29), two threads / one: 7-row tiles 136-163 /
// 128-130 GFLOP/s against 122-131 / 96-100 for the tuned plane entry; 4-row tiles, a third of
// their rows copied twice, 128-141 / 96-98. Rows slid from tile to tile (Halide's sliding
// window, one buffer per plane) ran 136-167 / 108-115, and failed Halide 14's fold check or read
// rows never stored on tiles guarded at the plane's end. Planes that fit L1 do better staged
// whole (x86_depthwise_default).
// Sized for what whole tiles read (tile_overhang.h): Halide 14 sizes rows computed per row of
// tiles from the guarded last tile's outputs, not the whole tile its taps read. The columns start
// at a vector boundary at or before the padding, so cover_whole_tiles_sliding (a bound from the
// padding) does not serve, and align_bounds on top of it breaks its bound. Sized by that helper,
// unaligned, the 32@112 layer ran at 101-105 GFLOP/s at one thread against 125-128 aligned.
void stage_tile_rows(LoweredConv &lc, const Layer &layer, const ScheduleChoice &choice, const TileLoops &t) {
    const int lanes = choice.param("lanes");
    const int tile_x = lanes * choice.param("x_vectors");
    const WindowSpan &columns = lc.columns;
    Expr first = -((columns.padding_before + lanes - 1) / lanes) * lanes;
    Expr end = columns.tiles_input_extent(lc.output.output_buffer().dim(0).extent(), tile_x) - columns.padding_before;
    lc.padded.compute_at(lc.output, t.yo)
        .bound(lc.x, first, (end - first + lanes - 1) / lanes * lanes)
        .bound_extent(lc.y, row_span(layer).input_extent(choice.param("y_rows")))
        .vectorize(lc.x, lanes);
}

}  // namespace

PlaneTile depthwise_plane_tile(const Layer &layer, const ScheduleChoice &choice) {
    PlaneTile tile{choice.param("lanes") * choice.param("x_vectors"), choice.param("y_rows"), choice.param("lanes")};
    // The tasks share out output channels; with a channel multiplier, those of a plane can
    // straddle two tasks, and the plane's channel no longer tells a task's first ones.
    if (layer.out_channels == layer.in_channels) {
        tile.channels_per_task = channels_per_task(layer, choice);
    }
    return tile;
}

void schedule_cpu_depthwise_conv(LoweredConv &lc, const Layer &layer, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    const int tile_x = lanes * choice.param("x_vectors");
    const int tile_y = choice.param("y_rows");
    TileLoops t;
    OutputImageParam out = lc.output.output_buffer();
    Stage whole_tiles = lc.output.specialize(out.dim(0).extent() >= tile_x && out.dim(1).extent() >= tile_y);
    tile_planes(whole_tiles, lc, layer, choice, t, TailStrategy::ShiftInwards);
    tile_planes(lc.output, lc, layer, choice, t, TailStrategy::GuardWithIf);
    if (splits_column_phases(choice)) {
        stage_column_phases(lc, choice, t);
    } else if (stages_input_plane(choice)) {
        stage_input_plane(lc, choice, t);
    } else if (stages_tile_rows(choice)) {
        stage_tile_rows(lc, layer, choice, t);
    }

    // On the guarded path the last tile is smaller; fixed extents keep the register tile's
    // loops constant (so they unroll) at the cost of a few wasted lanes and rows.
    const Var &x = lc.x, &y = lc.y;
    lc.conv.compute_at(lc.output, t.xo).bound_extent(x, tile_x).bound_extent(y, tile_y);
    lc.conv.vectorize(x, lanes).unroll(x).unroll(y);
    // The rows of a tile read overlapping windows: with rows and taps unrolled, a row of input
    // is loaded once for all the tile rows whose window holds it.
    Stage update = lc.conv.update();
    update.reorder(x, y, lc.r.x, lc.r.y, lc.r.z, lc.k, lc.n).vectorize(x, lanes).unroll(x).unroll(y);
    if (choice.param("unroll_taps")) {
        update.unroll(lc.r.x);
        if (unrolls_window_rows(choice.param("x_vectors") * tile_y, lc.r)) {
            update.unroll(lc.r.y);
        }
    }
}

}  // namespace convc
