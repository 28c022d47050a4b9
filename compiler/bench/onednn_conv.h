#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/timing.h"
#include "spec/layer.h"
#include "spec/layer_geometry.h"

namespace convc {

// The rival every convc kernel is measured against: oneDNN's fp32 forward-inference
// convolution, given the same freedom a tuned library has in practice — it picks its own
// blocked layouts (format_tag::any, e.g. nChw16c) and the data is put into them once,
// outside the timed loop. Thread count is left to oneDNN's OpenMP runtime, so a benchmark
// sets OMP_NUM_THREADS before the process starts.
struct OnednnResult {
    Timing timing;               // the convolution alone, on data already in its layouts
    std::string implementation;  // oneDNN's name for the kernel it chose, e.g. "brg:avx512_core"
    Timing nchw_timing;          // with the caller's plain input and output (NCHW, or NHWC for a
                                 // channels-last layer): their reorders included
};

// Times `layer` on an NCHW input of shape `input` (convolution execution only). Returns
// std::nullopt and sets *why (if given) when oneDNN cannot express the layer — a padding
// mode other than zeros — or the shapes do not fit it.
std::optional<OnednnResult> time_onednn_conv(const Layer &layer, const Shape4 &input, std::string *why);

// Runs once on NCHW data and returns the NCHW output, so the harness itself can be checked
// against a reference. `w` is [K, C/groups, kh, kw]; `b` has K floats, or is null when the
// layer has no bias.
std::vector<float> run_onednn_conv(const Layer &layer, const Shape4 &input, const float *x, const float *w,
                                   const float *b);

}  // namespace convc
