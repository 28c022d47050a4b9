#pragma once

#include <string>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// What the verbs that run one layer on this machine (run, compare) share.

// The layer of that name, or a SpecError naming --layer and the closest name.
const Layer &find_layer(const ModuleSpec &module, const std::string &name);

// JIT code runs here, so the target must be one this CPU (and GPU, if it names one) executes.
Halide::Target runnable_target(const std::string &name);

}  // namespace convc
