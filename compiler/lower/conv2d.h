#pragma once

#include <string>
#include <vector>

#include "Halide.h"

#include "lower/column_phases.h"
#include "lower/input_plane.h"
#include "lower/layer_io.h"
#include "spec/layer.h"

namespace convc {

// The Halide algorithm of one conv2d layer, with no schedule. Dimensions are Halide's
// order, innermost first: input (x, y, c, n) = NCHW reversed, weight (kx, ky, c, k) =
// [K, C/groups, kh, kw] reversed, bias (k), output (x, y, k, n).
struct LoweredConv {
    Halide::ImageParam input;
    Halide::ImageParam weight;
    Halide::ImageParam bias;  // defined only when the layer has a bias
    Halide::Func padded;      // input under the padding mode (reads are clamped even without padding)
    Halide::Func plane;       // with ConvInput::Plane only: what the reduction reads (lower/input_plane.h)
    ColumnPhases phases;      // with ConvInput::PlanePhases only: the plane by column phase (column_phases.h)
    bool samples_input = false;  // a 1x1 kernel (with ConvInput::Padded): the taps read `sampled`
    Halide::Func sampled;        // lower/layer_io.h sampled_input
    bool channels_last = false;  // layout: nhwc, the input's channels innermost in memory
    Halide::Func conv;        // bias (or 0) then += over `r`: the reduction to tile and vectorize
    Halide::Func output;      // the pipeline's output, a copy of conv for the schedule to tile
    Halide::RDom r;           // r.x: kernel x, r.y: kernel y, r.z: input channel within the group
    Halide::Var x{"x"}, y{"y"}, k{"k"}, n{"n"};

    WindowSpan columns;       // the window's reach along x

    std::vector<Halide::Argument> arguments() const;
};

// What the reduction reads: `padded` itself, an input plane a schedule materializes per
// channel (lower/input_plane.h), or that plane's columns by phase of the stride
// (lower/column_phases.h). The values are the same; plane and phases exist for schedules.
enum class ConvInput { Padded, Plane, PlanePhases };

// `tile`: with a plane, the outputs a schedule's tile computes whole (input_plane.h).
LoweredConv lower_conv2d(const Layer &layer, ConvInput source = ConvInput::Padded, PlaneTile tile = {});

}  // namespace convc
