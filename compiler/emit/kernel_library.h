#pragma once

#include <string>
#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// Compiles every layer of a module, each with its schedule, into one static library with
// the Halide runtime linked in once, and the C header that declares the entry points.
// Returns each layer's schedule description, in layer order.
std::vector<std::string> compile_kernel_library(const ModuleSpec &module, const Halide::Target &target,
                                                const std::string &library_path, const std::string &header_path);

}  // namespace convc
