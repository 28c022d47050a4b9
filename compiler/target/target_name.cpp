#include "target/target_name.h"

#include "spec/spec_error.h"

namespace convc {

Halide::Target resolve_target(const std::string &name) {
    if (name == "host") {
        return Halide::get_host_target();
    }
    if (!Halide::Target::validate_target_string(name)) {
        throw SpecError({"", 0, 0}, "--target",
                        "'" + name + "' is not a Halide target string (e.g. host, x86-64-linux-avx2-fma, "
                                     "x86-64-linux-avx512)");
    }
    return Halide::Target(name);
}

}  // namespace convc
