#pragma once

#include <string>
#include <vector>

#include "spec/layer.h"
#include "target/target_name.h"

namespace convc {

// The C++ wrapper around a module's kernels: a header a user includes and a source file
// compiled into their program. It reads only the resolved layers and the entry-point
// names and the compiled versions (variants), never the schedule. `origin` (spec file name and target) goes into the banner.
std::string wrapper_header(const ModuleSpec &module, const std::string &origin);
// weight_blocks[variant][layer]: the channel block of packed weights, 0 for PyTorch's layout.
std::string wrapper_source(const ModuleSpec &module, const TargetPlan &plan,
                           const std::vector<std::vector<int>> &weight_blocks, const std::string &origin);

}  // namespace convc
