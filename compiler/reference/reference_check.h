#pragma once

// What every check against the reference needs besides the reference itself: seeded data,
// the float32 tolerance and the reference parameters of a layer described by a generated
// wrapper's LayerInfo. Header-only and free of project headers, so user-side programs
// (the example, the consumer tests) can use it exactly as the compiler's tuner does.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "reference/conv2d_reference.h"

namespace convc_reference {

// Float32 accumulation over a few hundred terms stays far below this, relative to the
// output's largest magnitude.
constexpr double kTolerance = 1e-4;

inline std::vector<float> seeded_values(int64_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> values(static_cast<size_t>(count));
    for (float &v : values) {
        v = value(rng);
    }
    return values;
}

// Largest |got - want| relative to the output's scale (at least 1).
inline double max_relative_error(const std::vector<float> &got, const std::vector<double> &want) {
    double scale = 1.0;
    for (double w : want) {
        scale = std::max(scale, std::abs(w));
    }
    double worst = 0.0;
    for (size_t i = 0; i < want.size() && i < got.size(); i++) {
        const double error = std::abs(got[i] - want[i]) / scale;
        // std::max would keep `worst` over a NaN: a kernel that read memory it never wrote
        // (NaN in a checked run's scratch, jit/jit_layer.h) would pass.
        if (std::isnan(error)) {
            return INFINITY;
        }
        worst = std::max(worst, error);
    }
    return got.size() == want.size() ? worst : INFINITY;
}

inline Padding padding_named(const std::string &mode) {
    return mode == "reflect"     ? Padding::Reflect
           : mode == "replicate" ? Padding::Replicate
           : mode == "circular"  ? Padding::Circular
                                 : Padding::Zeros;
}

// The reference parameters of a layer as a generated wrapper describes it (<module>::LayerInfo).
template <typename LayerInfo>
Conv2dParams params_of(const LayerInfo &l) {
    Conv2dParams p;
    p.in_channels = l.in_channels;
    p.out_channels = l.out_channels;
    p.kernel_h = l.kernel_h;
    p.kernel_w = l.kernel_w;
    p.stride_h = l.stride_h;
    p.stride_w = l.stride_w;
    p.pad_top = l.pad_top;
    p.pad_bottom = l.pad_bottom;
    p.pad_left = l.pad_left;
    p.pad_right = l.pad_right;
    p.dilation_h = l.dilation_h;
    p.dilation_w = l.dilation_w;
    p.groups = l.groups;
    p.padding = padding_named(l.padding_mode);
    return p;
}

}  // namespace convc_reference
