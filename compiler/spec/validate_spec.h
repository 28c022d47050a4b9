#pragma once

#include "spec/layer.h"

namespace convc {

// Applies PyTorch's rules for nn.Conv2d (and convc's own naming rules) to a parsed spec.
// Throws SpecError at the first violation, pointing at the offending key.
void validate_spec(const ModuleSpec &module);

bool is_cpp_identifier(const std::string &name);

}  // namespace convc
