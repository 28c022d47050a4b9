#pragma once

#include <string>
#include <vector>

#include "Halide.h"

#include "pipeline/schedule_selection.h"
#include "spec/layer.h"
#include "target/target_name.h"

namespace convc {

// What `convc generate` writes for one module and target, all in one folder:
//   lib<module>.a        the kernels (each variant) and the Halide runtime (once)
//   <module>.h/.cpp      the C++ wrapper a user calls
//   HalideRuntime.h      so the bundle compiles without Halide installed
//   <module>Config.cmake for find_package(<module>)
//   <module>.pc          for pkg-config
struct BundleReport {
    std::vector<std::string> files;
    std::vector<std::vector<SelectedSchedule>> schedules;  // [variant][layer]
};

// Writes the bundle atomically: either every file appears in `out_dir`, or none does. The
// kernels compile on up to `jobs` threads (0: one per core); the files are the same whatever
// `jobs` is.
BundleReport write_bundle(const ModuleSpec &module, const TargetPlan &plan, const ScheduleSelector &selector,
                          const std::string &spec_name, const std::string &out_dir, size_t jobs = 0);

}  // namespace convc
