#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"
#include "spec/layer.h"

namespace convc {

// Picks the schedule family for a layer on a target and applies its default parameters.
// Returns a one-line description of what was applied, for `convc generate` to report.
std::string apply_default_schedule(LoweredConv &lc, const Layer &layer, const Halide::Target &target);

}  // namespace convc
