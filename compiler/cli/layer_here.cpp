#include "layer_here.h"

#include <algorithm>
#include <vector>

#include "spec/did_you_mean.h"
#include "spec/spec_error.h"
#include "target/target_name.h"

namespace convc {

const Layer &find_layer(const ModuleSpec &module, const std::string &name) {
    std::vector<std::string> names;
    for (const Layer &layer : module.layers) {
        if (layer.name == name) {
            return layer;
        }
        names.push_back(layer.name);
    }
    throw SpecError({"", 0, 0}, "--layer", "no layer '" + name + "' in module " + module.name + did_you_mean(name, names));
}

ModuleSpec with_layers(ModuleSpec module, const std::vector<std::string> &names) {
    if (names.empty()) {
        return module;
    }
    for (const std::string &name : names) {
        find_layer(module, name);
    }
    std::vector<Layer> kept;
    for (Layer &layer : module.layers) {
        if (std::find(names.begin(), names.end(), layer.name) != names.end()) {
            kept.push_back(std::move(layer));
        }
    }
    module.layers = std::move(kept);
    return module;
}

Halide::Target runnable_target(const std::string &name) {
    Halide::Target target = resolve_target(name);
    if (!runs_here(target)) {
        throw SpecError({"", 0, 0}, "--target",
                        "'" + name + "' does not run on this machine (" + Halide::get_host_target().to_string() +
                            "); use `convc generate` for other targets");
    }
    return target;
}

}  // namespace convc
