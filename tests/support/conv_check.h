#pragma once

// What the numeric tests share: seeded data, the reference for a spec Layer, and the
// comparison with a float32 tolerance (all from compiler/reference/).

#include <cstdint>
#include <ostream>
#include <vector>

#include "reference/layer_reference.h"
#include "reference/reference_check.h"
#include "spec/layer.h"
#include "spec/layer_geometry.h"

namespace convc_test {

using convc::reference_params;
using convc_reference::kTolerance;
using convc_reference::max_relative_error;

inline std::vector<float> random_values(int64_t count, uint32_t seed) {
    return convc_reference::seeded_values(count, seed);
}

inline int64_t element_count(const convc::Shape4 &s) {
    return s[0] * s[1] * s[2] * s[3];
}

// A layer named "sweep" with PyTorch's nn.Conv2d arguments, in its order.
inline convc::Layer conv_layer(int64_t c, int64_t k, convc::HW kernel, convc::HW stride = {1, 1},
                               convc::HW pad = {0, 0}, convc::HW dilation = {1, 1}, int64_t groups = 1,
                               bool bias = true, convc::PaddingMode mode = convc::PaddingMode::Zeros) {
    convc::Layer l;
    l.name = "sweep";
    l.in_channels = c;
    l.out_channels = k;
    l.kernel = kernel;
    l.stride = stride;
    l.padding = pad;
    l.dilation = dilation;
    l.groups = groups;
    l.bias = bias;
    l.padding_mode = mode;
    return l;
}

}  // namespace convc_test

namespace convc {

// Names a layer in test output instead of dumping its bytes.
inline void PrintTo(const Layer &layer, std::ostream *os) {
    *os << layer.name;
}

}  // namespace convc
