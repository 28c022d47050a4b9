#pragma once

#include <string>

#include "spec/layer.h"

namespace convc {

// Parses and validates a spec file: the first step of every verb.
ModuleSpec load_spec(const std::string &path);

}  // namespace convc
