#pragma once

#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// The padded input of a layer as a Func meant to be materialized a channel plane at a time:
// equal to `padded` over the window the layer reads, [-left, W + right) x [-top, H + bottom),
// and undefined outside it. Its interior is a dense copy of `input`; only the border goes
// through the padding mode. A vector that straddles the image edge reads `padded` with clamped
// indices, which Halide 14 lowers to a gather, so a plane staged from `padded` alone pays a
// gather for most of its rows when they are a few vectors wide.
//
// A schedule that computes tiles of `tile` outputs whole reads past that window where the tiles
// overhang the output: the plane is zero there, so that every value read was written
// (schedules/tile_overhang.h says why it matters).
//
// `row_run` > 1 copies each row of the interior in whole runs of that many elements: the runs
// that fit from the left short of the last, then one run that ends at the row's end (and
// overlaps the one before where the width is not a multiple of the run).
// A vector copy cut short instead ends in a guarded tail, which Halide 14 turns into masked
// stores (vmaskmovps), slow on AMD's Zen 3.
//
// `channels_per_task` > 2: the schedule stages the planes of that many consecutive channels (a
// parallel task's, counted from channel 0) one after another into one allocation, alternating
// between two slots. The border that is zero in every channel then stays in place, so only a
// task's first two channels write it.
struct PlaneTile {
    int columns = 1, rows = 1;
    int row_run = 1;
    int channels_per_task = 1;
};
Halide::Func input_plane(const Halide::ImageParam &input, const Halide::Func &padded, const Layer &layer,
                         PlaneTile tile = {});

// A row of `count` elements cut into copies of `run`: [0, whole) in whole runs, short of the
// last, then [last_min, last_min + last_extent), the run that ends the row (the whole row where
// it is narrower than a run). Where `count` is not a multiple of `run` the two overlap, so
// that no copy ends in a guarded tail.
struct RowRuns {
    Halide::Expr whole, last_min, last_extent;
};
RowRuns row_runs(const Halide::Expr &count, int run);

// The plane's border, rectangle by rectangle in input coordinates: the strips of padding
// (through the padding mode; zero for zeros), then those past the window that whole tiles
// read (zero).
struct PlaneRect {
    Halide::Expr x, width, y, height;
    bool zero = false;
};
std::vector<PlaneRect> plane_border(const Layer &layer, const Halide::Expr &width, const Halide::Expr &height,
                                    PlaneTile tile);

// Restricts the domain that writes `rect` of channel `c`'s plane to the channels that must
// write it (PlaneTile::channels_per_task).
void write_border_once_per_slot(Halide::RDom &domain, const PlaneRect &rect, const Halide::Var &c, PlaneTile tile);

// The copy of the interior, the definitions of the plane a schedule vectorizes: the whole runs
// from the left, and the run that ends each row (rows narrower than a run: the whole row).
constexpr int kInputPlaneInteriorUpdate = 0;
constexpr int kInputPlaneRowEndUpdate = 1;

}  // namespace convc
