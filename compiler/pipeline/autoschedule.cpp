#include "pipeline/autoschedule.h"

#include <cstdlib>
#include <mutex>
#include <set>

#include "spec/layer_geometry.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

// Unspecified spatial sizes are estimated like a mid-network ResNet layer.
constexpr int64_t kEstimatedSpatial = 56;

std::string plugin_path(const std::string &name) {
    if (name == "Adams2019") {
        return CONVC_PLUGIN_ADAMS2019;
    }
    if (name == "Mullapudi2016") {
        return CONVC_PLUGIN_MULLAPUDI2016;
    }
    if (name == "Li2018") {
        return CONVC_PLUGIN_LI2018;
    }
    throw SpecError({"", 0, 0}, "--schedule",
                    "unknown autoscheduler 'auto:" + name + "' (auto:Adams2019, auto:Mullapudi2016, auto:Li2018)");
}

void load_once(const std::string &name) {
    static std::mutex mutex;
    static std::set<std::string> loaded;
    std::lock_guard<std::mutex> lock(mutex);
    if (loaded.insert(name).second) {
        Halide::load_plugin(plugin_path(name));
    }
}

void set_estimates(LoweredConv &lc, const Layer &layer) {
    Shape4 in = layer.input_shape.value_or(Shape4{1, layer.in_channels, kEstimatedSpatial, kEstimatedSpatial});
    Shape4 out = output_shape(layer, in);
    Shape4 w = weight_shape(layer);
    auto i = [](int64_t v) { return static_cast<int>(v); };
    lc.input.set_estimates({{0, i(in[3])}, {0, i(in[2])}, {0, i(in[1])}, {0, i(std::max<int64_t>(1, in[0]))}});
    lc.weight.set_estimates({{0, i(w[3])}, {0, i(w[2])}, {0, i(w[1])}, {0, i(w[0])}});
    if (layer.bias) {
        lc.bias.set_estimates({{0, i(layer.out_channels)}});
    }
    lc.output.set_estimates({{0, i(out[3])}, {0, i(out[2])}, {0, i(out[1])}, {0, i(std::max<int64_t>(1, out[0]))}});
}

}  // namespace

void autoschedule_layer(Halide::Pipeline &pipeline, LoweredConv &lc, const Layer &layer, const Halide::Target &target,
                        const std::string &autoscheduler) {
    load_once(autoscheduler);
    // The default beam of 32 took minutes and 11 GB per layer here; beam 1 takes ~0.1 s.
    setenv("HL_BEAM_SIZE", "1", /*overwrite=*/0);
    set_estimates(lc, layer);
    // Parallelism = cores, last-level cache and load/compute balance as Halide suggests for x86.
    pipeline.auto_schedule(autoscheduler, target, Halide::MachineParams(2, 32 * 1024 * 1024, 40));
}

}  // namespace convc
