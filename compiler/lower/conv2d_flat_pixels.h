#pragma once

#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// A pointwise layer (1x1 kernel, no padding) on NCHW tensors is a matrix product whose pixel
// axis is each output plane laid end to end: output plane k is the run j = y * Q + x (Q the
// output width). A run of whole rows is then a run of whole vectors even where a row is not
// one: ResNet-50's 56-wide rows are 3.5 vectors, which row tiles cover with 4 (an eighth of the
// multiply-adds wasted); two rows are 7. The tensors are dense (the constraints check it), so
// a run that crosses rows is consecutive memory. A strided layer's run is of its samples,
// input (s * x, s * y), which a schedule stages before the product reads them. Where runs cross
// rows (plane_run > 0), the output is written by an update over runs of plane_run pixels of
// the flat plane, p -> (p % Q, p / Q): Halide folds that index back to p for dense tensors, so
// a run of any length is stored as the vectors it is, and needs not be whole rows. The last
// run is shifted back over its neighbour, as a pure definition's tile would be: its pixels
// are written twice with the same values, and no tile is ever partial. Dimensions are Halide's
// order, innermost first.
struct LoweredFlatPixelConv {
    Halide::ImageParam input;
    Halide::ImageParam weight;  // PyTorch's layout: (0, 0, c, k)
    Halide::ImageParam bias;    // defined only when the layer has a bias
    Halide::Func pixels;        // (j, c, n): input plane c's samples as one flat run, for a schedule to stage
    Halide::Func conv;          // (j, k, n): output plane k as one flat run, j = y * W + x
    Halide::Func output;        // (x, y, k, n) = conv(y * Q + x, k, n)
    Halide::RDom r;             // r.x: input channel
    Halide::RDom plane;         // where runs cross rows (the output's update): plane.x within a run, plane.y the run
    Halide::Var j{"j"}, x{"x"}, y{"y"}, k{"k"}, n{"n"};
    int width = 0;   // Q: the output's
    bool strided = false;  // the run is of samples: a read of it in place would gather
    bool plane_runs = false;  // the output is written by runs of the flat plane, not by rows

    std::vector<Halide::Argument> arguments() const;
};

// A 1x1 kernel, no padding, one group, NCHW and a fixed input shape.
bool flat_pixels_applies(const Layer &layer);

// plane_run: 0, or the pixels of a run that crosses rows (a stride-1 layer only; no longer
// than the plane).
LoweredFlatPixelConv lower_flat_pixel_conv2d(const Layer &layer, int plane_run);

}  // namespace convc
