#include "emit/kernel_library.h"

#include <filesystem>

#include "pipeline/layer_pipeline.h"

namespace convc {

namespace {

// The runtime may only use features every variant has, or the baseline machine could not run it.
Halide::Target runtime_target(const TargetPlan &plan) {
    Halide::Target common = plan.baseline();
    for (int f = 0; f < Halide::Target::FeatureEnd; f++) {
        auto feature = static_cast<Halide::Target::Feature>(f);
        for (const KernelVariant &v : plan.variants) {
            if (!v.target.has_feature(feature)) {
                common = common.without_feature(feature);
            }
        }
    }
    return common.without_feature(Halide::Target::NoRuntime);
}

}  // namespace

std::vector<std::vector<SelectedSchedule>> compile_kernel_library(const ModuleSpec &module, const TargetPlan &plan,
                                                                  const ScheduleSelector &selector,
                                                                  const std::string &library_path,
                                                                  const std::string &scratch_dir) {
    namespace fs = std::filesystem;
    std::vector<std::string> objects;
    std::vector<std::vector<SelectedSchedule>> schedules;
    for (const KernelVariant &variant : plan.variants) {
        Halide::Target target = variant.target.with_feature(Halide::Target::NoRuntime);
        schedules.emplace_back();
        // One object per kernel: linking GPU pipelines into one Halide module would leave
        // them sharing one embedded device-code blob.
        for (const Layer &layer : module.layers) {
            // Tuned entries are keyed by the target as the user named it, without NoRuntime.
            SelectedSchedule selected = selector.select(layer, variant.target);
            LayerPipeline lp = build_layer_pipeline(layer, target, selected.choice);
            std::string name =
                kernel_function_name(module.name, layer) + (variant.suffix.empty() ? "" : "_" + variant.suffix);
            std::string object = (fs::path(scratch_dir) / (name + ".o")).string();
            lp.pipeline.compile_to_module(lp.arguments, name, target)
                .compile({{Halide::OutputFileType::object, object}});
            objects.push_back(object);
            if (lp.weight_pack) {
                std::string pack_object = (fs::path(scratch_dir) / (name + "_pack_weights.o")).string();
                lp.weight_pack->compile_to_module({lp.pack_input}, name + "_pack_weights", target)
                    .compile({{Halide::OutputFileType::object, pack_object}});
                objects.push_back(pack_object);
            }
            schedules.back().push_back(selected);
        }
    }
    std::string runtime = (fs::path(scratch_dir) / (module.name + "_halide_runtime.o")).string();
    Halide::compile_standalone_runtime(runtime, runtime_target(plan));
    objects.push_back(runtime);
    Halide::create_static_library(objects, plan.baseline(), library_path, /*deterministic=*/true);
    for (const std::string &object : objects) {
        fs::remove(object);
    }
    return schedules;
}

}  // namespace convc
