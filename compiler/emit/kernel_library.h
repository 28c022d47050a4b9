#pragma once

#include <string>
#include <vector>

#include "Halide.h"

#include "pipeline/schedule_selection.h"
#include "spec/layer.h"
#include "target/target_name.h"

namespace convc {

// Compiles every layer of a module, for every variant of the plan, into one static library
// that holds the Halide runtime once (built for the features all variants share).
// Entry points are <module>_<layer><_suffix>. `scratch_dir` receives the intermediate
// objects, compiled on up to `jobs` threads (0: one per core); the library is the same
// whatever `jobs` is. Returns each layer's schedule per variant: [variant][layer].
std::vector<std::vector<SelectedSchedule>> compile_kernel_library(const ModuleSpec &module, const TargetPlan &plan,
                                                                  const ScheduleSelector &selector,
                                                                  const std::string &library_path,
                                                                  const std::string &scratch_dir, size_t jobs = 0);

}  // namespace convc
