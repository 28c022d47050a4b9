#pragma once

#include <string>
#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// What the verbs that run one layer on this machine (run, compare) share.

// The layer of that name, or a SpecError naming --layer and the closest name.
const Layer &find_layer(const ModuleSpec &module, const std::string &name);

// The module with only the layers `names` lists, in the spec's order (every layer when `names`
// is empty): `tune --layer` and `bench --layer`. A SpecError as find_layer's for a name it lacks.
ModuleSpec with_layers(ModuleSpec module, const std::vector<std::string> &names);

// JIT code runs here, so the target must be one this CPU (and GPU, if it names one) executes.
Halide::Target runnable_target(const std::string &name);

}  // namespace convc
