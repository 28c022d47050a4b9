#pragma once

#include <string>

#include "spec/layer.h"

namespace convc {

// Reads a spec (YAML) into a ModuleSpec, checking syntax, keys and value types.
// Throws SpecError naming file:line:column and the key. Semantic rules are validate_spec's job.
ModuleSpec parse_spec_file(const std::string &path);
ModuleSpec parse_spec_text(const std::string &text, const std::string &file_name);

}  // namespace convc
