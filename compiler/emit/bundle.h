#pragma once

#include <string>
#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// What `convc generate` writes for one module and target, all in one folder:
//   lib<module>.a        the kernels and the Halide runtime (once)
//   <module>_kernels.h   Halide's C declarations of the kernels
//   <module>.h/.cpp      the C++ wrapper a user calls
//   HalideRuntime.h      so the bundle compiles without Halide installed
//   <module>Config.cmake for find_package(<module>)
struct BundleReport {
    std::vector<std::string> files;
    std::vector<std::string> schedules;  // per layer, in spec order
};

// Writes the bundle atomically: either every file appears in `out_dir`, or none does.
BundleReport write_bundle(const ModuleSpec &module, const Halide::Target &target, const std::string &spec_name,
                          const std::string &out_dir);

}  // namespace convc
