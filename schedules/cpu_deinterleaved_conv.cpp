#include "schedules/cpu_deinterleaved_conv.h"

#include <algorithm>
#include <vector>

#include "schedules/cpu_parallel_tasks.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

int output_height(const Layer &layer) {
    return static_cast<int>(output_shape(layer, *layer.input_shape)[2]);
}

int planes(const Layer &layer) {
    const Shape4 &in = *layer.input_shape;
    return static_cast<int>(in[0] * in[1]);
}

// Tile heights up to the body's rows whose accumulators take at most a quarter of the
// registers: the rest hold the rows' pairs of vectors and the taps taken from them.
std::vector<int> tile_heights(const Layer &layer, int registers) {
    std::vector<int> heights;
    const int body_rows = output_height(layer) - 1;
    for (int rows = 1; rows <= 7; rows++) {
        if (rows <= std::max(body_rows, 1) && rows * 4 <= registers) {
            heights.push_back(rows);
        }
    }
    return heights;
}

// Each run computes its tile and the rows' pairs of vectors it reads, all held in registers:
// the loops have constant extents and unroll.
void compute_part_at(LoweredDeinterleavedConv::Part &part, LoweredDeinterleavedConv &lc, const RVar &run, int rows) {
    const int lanes = lc.lanes;
    part.conv.compute_at(lc.output, run).bound_extent(lc.x, lanes).bound_extent(lc.y, rows).vectorize(lc.x).unroll(lc.y);
    part.conv.update()
        .reorder(lc.x, lc.y, lc.r.x, lc.r.y, lc.k, lc.n)
        .vectorize(lc.x)
        .unroll(lc.y)
        .unroll(lc.r.x)
        .unroll(lc.r.y);
    for (Func pair : {part.even_start, part.odd_start}) {
        Var vector("vector"), lane("lane");
        pair.compute_at(lc.output, run)
            .bound_extent(lc.u, 2 * lanes)
            .split(lc.u, vector, lane, lanes)
            .vectorize(lane)
            .unroll(vector)
            .unroll(lc.v);
    }
}

// The planes are the tasks' iterations.
void share_planes(Stage stage, LoweredDeinterleavedConv &lc, const Layer &layer, const ScheduleChoice &choice) {
    Var plane("plane"), iteration("iteration");
    stage.fuse(lc.k, lc.n, plane);
    parallelize_task_iterations(stage, plane, iteration, planes(layer), choice.param("tasks"));
}

void schedule_body(LoweredDeinterleavedConv &lc, const Layer &layer, const ScheduleChoice &choice) {
    const int rows = choice.param("y_rows");
    const RDom &d = lc.body.domain;
    RVar lane(d.x), run(d.y), row(d.z), tile("row_tile"), in_tile("row_in_tile");
    Stage body = lc.output.update(kDeinterleavedBodyUpdate);
    // Runs overlap where the lanes do not divide a row, both storing the same values there, and a
    // run's lanes are distinct columns, which Halide cannot prove of a column computed from two
    // reduction variables.
    body.allow_race_conditions()
        .split(row, tile, in_tile, rows, TailStrategy::GuardWithIf)
        .reorder(lane, in_tile, run, tile, lc.k, lc.n)
        .vectorize(lane)
        .unroll(in_tile)
        .unroll(run);
    share_planes(body, lc, layer, choice);
    compute_part_at(lc.body, lc, run, rows);
}

void schedule_top(LoweredDeinterleavedConv &lc, const Layer &layer, const ScheduleChoice &choice) {
    const RDom &d = lc.top.domain;
    RVar lane(d.x), run(d.y);
    Stage top = lc.output.update(kDeinterleavedTopUpdate);
    top.allow_race_conditions()  // as the body's runs
        .reorder(lane, run, lc.k, lc.n)
        .vectorize(lane)
        .unroll(run);
    share_planes(top, lc, layer, choice);
    compute_part_at(lc.top, lc, run, 1);
}

}  // namespace

void schedule_cpu_deinterleaved_conv(LoweredDeinterleavedConv &lc, const Layer &layer, const ScheduleChoice &choice) {
    schedule_body(lc, layer, choice);
    schedule_top(lc, layer, choice);
    lc.output.update(kDeinterleavedCornerUpdate).unscheduled();
}

bool deinterleaved_fits(const Layer &layer, int lanes, int registers) {
    return deinterleaved_applies(layer, lanes) && !tile_heights(layer, registers).empty();
}

ScheduleSpace cpu_deinterleaved_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    return {family,
            {{"lanes", {lanes}}, {"y_rows", tile_heights(layer, registers)}, {"tasks", parallel_task_counts()}},
            registers};
}

// Two-row tiles where 32 registers hold the pairs of vectors of their five input rows, one-row
// tiles where 16 do. `compare` (AMD EPYC Zen 5, 2026-11-29, one thread, GFLOP/s), MobileNetV2's
// 144-channel 56x56 layer: AVX-512 tiles of 1-3 rows 54.5-57.5, 4 rows 49.0, 7 rows 37.9;
// its 96-channel 112x112 layer 58.1 / 65.4 / 51.5 for 1 / 2 / 3 rows; AVX2 code on the same
// host 35.4 / 33.9 / 33.0 and 47.3 / 40.7 / 33.6.
ScheduleChoice cpu_deinterleaved_choice(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> heights = tile_heights(layer, registers);
    int rows = heights.empty() ? 1 : heights.front();
    for (int h : heights) {
        if (h <= registers / 16) {
            rows = h;
        }
    }
    return {family, {{"lanes", lanes}, {"y_rows", rows}, {"tasks", default_plane_tasks(layer)}}};
}

}  // namespace convc
