#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/timing.h"
#include "spec/layer.h"
#include "spec/layer_geometry.h"

namespace convc {

// The rival every convc kernel is measured against: oneDNN's fp32 forward-inference
// convolution, given the same freedom a tuned library has in practice — it picks its own
// blocked layouts (format_tag::any, e.g. nChw16c) and the data is put into them once,
// outside the timed loop; set up once, then timed as often as asked, so that a benchmark can
// time it in turns with convc's kernels. Thread count is left to oneDNN's OpenMP runtime, so
// a benchmark sets OMP_NUM_THREADS before the process starts.
class OnednnRival {
public:
    // nullptr, with *why (if given), where oneDNN cannot express the layer — a padding mode
    // other than zeros — or the shapes do not fit it.
    static std::unique_ptr<OnednnRival> create(const Layer &layer, const Shape4 &input, std::string *why);
    ~OnednnRival();

    Timing time(double min_seconds);  // the convolution alone, on data already in its layouts
    // What a caller holding plain tensors pays (NCHW, or NHWC for a channels-last layer): the
    // reorders of input and output included, the weights kept packed.
    Timing time_on_plain(double min_seconds);
    std::string implementation() const;  // oneDNN's name for its kernel, e.g. "brg:avx512_core"

private:
    struct State;
    explicit OnednnRival(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// Runs once on NCHW data and returns the NCHW output, so the harness itself can be checked
// against a reference. `w` is [K, C/groups, kh, kw]; `b` has K floats, or is null when the
// layer has no bias.
std::vector<float> run_onednn_conv(const Layer &layer, const Shape4 &input, const float *x, const float *w,
                                   const float *b);

}  // namespace convc
