#include "load_spec.h"

#include "spec/parse_spec.h"
#include "spec/validate_spec.h"

namespace convc {

ModuleSpec load_spec(const std::string &path) {
    ModuleSpec module = parse_spec_file(path);
    validate_spec(module);
    return module;
}

}  // namespace convc
