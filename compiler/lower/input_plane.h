#pragma once

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
struct PlaneTile {
    int columns = 1, rows = 1;
};
Halide::Func input_plane(const Halide::ImageParam &input, const Halide::Func &padded, const Layer &layer,
                         PlaneTile tile = {});

// The copy of the interior: the definition of the plane a schedule vectorizes.
constexpr int kInputPlaneInteriorUpdate = 0;

}  // namespace convc
