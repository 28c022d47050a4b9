#include "layer_timing_options.h"

#include "layer_here.h"
#include "load_spec.h"
#include "spec/spec_error.h"

namespace convc {

void LayerTimingOptions::add_to(CLI::App &verb, const std::string &timed) {
    verb.add_option("spec", spec, "The YAML spec file")->required();
    verb.add_option("--layer,-l", layer, "Name of the layer")->required();
    verb.add_option("--rounds", rounds, "Turns each " + timed + " is timed")->capture_default_str();
    verb.add_option("--seconds", seconds, "Minimum time of each timing")->capture_default_str();
    verb.add_option("--target,-t", target, "Halide target string this machine runs, or host")->capture_default_str();
}

LayerToTime load_layer_to_time(const LayerTimingOptions &options) {
    if (options.rounds < 1 || !(options.seconds > 0)) {
        throw SpecError({"", 0, 0}, options.rounds < 1 ? "--rounds" : "--seconds", "must be positive");
    }
    ModuleSpec module = load_spec(options.spec);
    return {find_layer(module, options.layer), runnable_target(options.target)};
}

}  // namespace convc
