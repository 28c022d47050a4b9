#pragma once

#include <string>

#include "Halide.h"

namespace convc {

// Resolves what a user types after --target ("host" or any Halide target string) into a
// Halide target, or throws SpecError naming the flag.
Halide::Target resolve_target(const std::string &name);

}  // namespace convc
