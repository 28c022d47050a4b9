#pragma once

#include "Halide.h"

#include "lower/input_plane.h"
#include "spec/layer.h"

namespace convc {

// A strided layer's input plane (input_plane.h) with its columns dealt out by their phase
// under the column stride s: phases(u, p, y, c, n) = plane(u * s + p, y, c, n), p in [0, s).
// A tap of the layer reads every s-th column: from the plane that is a strided vector, which
// AVX2 assembles from two loads and two shuffles for every tap and every row that reads it;
// from the phases it is a dense run. The copy pays the shuffles once per input element.
//
// The interior's copy reads whole runs of `tile.row_run` columns of every phase at once
// (the runs that fit short of the last, then one that ends at the last whole column group),
// each from its own Func over the input (`runs_source`, `last_run_source`): computed at the
// run, a source is two dense vectors that the phases take apart. Read from the input itself,
// Halide 14 loads a strided vector one element short (it may not read past the buffer), and
// LLVM builds it from 4-lane pieces.
struct ColumnPhases {
    Halide::Func phases;
    Halide::Func runs_source, last_run_source;
    int stride = 1;
};
ColumnPhases column_phases(const Halide::ImageParam &input, const Halide::Func &padded, const Layer &layer,
                           PlaneTile tile);

// A strided layer of fixed input width whose rows hold a run of `run` column groups (run x
// stride columns): each run's sources then read inside the row.
bool column_phases_fit(const Layer &layer, int run);

// The plane again, over the phases: column x is phase x mod s at x / s (both floor). Where x
// is a vector of s-spaced columns, the simplifier makes the phase a constant and the run dense.
Halide::Func plane_from_phases(const ColumnPhases &phases);

// The interior's copies, the updates of `phases` a schedule vectorizes.
constexpr int kPhasesRunsUpdate = 0;
constexpr int kPhasesLastRunUpdate = 1;

}  // namespace convc
