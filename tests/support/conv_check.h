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

}  // namespace convc_test

namespace convc {

// Names a layer in test output instead of dumping its bytes.
inline void PrintTo(const Layer &layer, std::ostream *os) {
    *os << layer.name;
}

}  // namespace convc
