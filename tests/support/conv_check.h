#pragma once

// What the numeric tests share: seeded data, the reference for a spec Layer, and the
// comparison with a float32 tolerance.

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "reference/conv2d_reference.h"
#include "spec/layer.h"
#include "spec/layer_geometry.h"

namespace convc_test {

inline std::vector<float> random_values(int64_t count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> values(count);
    for (float &v : values) {
        v = value(rng);
    }
    return values;
}

inline int64_t element_count(const convc::Shape4 &s) {
    return s[0] * s[1] * s[2] * s[3];
}

inline convc_reference::Conv2dParams reference_params(const convc::Layer &layer) {
    convc::Padding pad = convc::resolved_padding(layer);
    convc_reference::Conv2dParams p;
    p.in_channels = layer.in_channels;
    p.out_channels = layer.out_channels;
    p.kernel_h = layer.kernel.h;
    p.kernel_w = layer.kernel.w;
    p.stride_h = layer.stride.h;
    p.stride_w = layer.stride.w;
    p.pad_top = pad.top;
    p.pad_bottom = pad.bottom;
    p.pad_left = pad.left;
    p.pad_right = pad.right;
    p.dilation_h = layer.dilation.h;
    p.dilation_w = layer.dilation.w;
    p.groups = layer.groups;
    p.padding = static_cast<convc_reference::Padding>(static_cast<int>(layer.padding_mode));
    return p;
}

// Largest |got - want| relative to the output's scale; float32 accumulation over a few
// hundred terms stays far below 1e-4 of it.
inline double max_relative_error(const std::vector<float> &got, const std::vector<double> &want) {
    double scale = 1.0;
    for (double w : want) {
        scale = std::max(scale, std::abs(w));
    }
    double worst = 0.0;
    for (size_t i = 0; i < want.size(); i++) {
        worst = std::max(worst, std::abs(got[i] - want[i]) / scale);
    }
    return worst;
}

constexpr double kTolerance = 1e-4;

}  // namespace convc_test

namespace convc {

// Names a layer in test output instead of dumping its bytes.
inline void PrintTo(const Layer &layer, std::ostream *os) {
    *os << layer.name;
}

}  // namespace convc
