#include "emit/kernel_library.h"

#include <filesystem>

#include "emit/parallel_jobs.h"
#include "pipeline/layer_pipeline.h"
#include "schedules/choose_schedule.h"

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

// One layer of one variant, compiled to an object of its own: linking GPU pipelines into one
// Halide module would leave them sharing one embedded device-code blob.
struct KernelObject {
    LayerPipeline pipeline;
    Halide::Target target;  // with NoRuntime: the library holds the runtime once
    ScheduleChoice schedule;
    std::string name;       // the entry point
};

// The kernel's object, then its weight-packing pipeline's where the schedule packs weights.
std::vector<std::string> compile_kernel_object(KernelObject &kernel, const std::string &scratch_dir) {
    LayerPipeline &lp = kernel.pipeline;
    std::vector<std::string> objects = {(std::filesystem::path(scratch_dir) / (kernel.name + ".o")).string()};
    lp.pipeline.compile_to_module(lp.arguments, kernel.name, kernel.target)
        .compile({{Halide::OutputFileType::object, objects.back()}});
    if (lp.weight_pack) {
        objects.push_back((std::filesystem::path(scratch_dir) / (kernel.name + "_pack_weights.o")).string());
        lp.weight_pack->compile_to_module({lp.pack_input}, kernel.name + "_pack_weights", kernel.target)
            .compile({{Halide::OutputFileType::object, objects.back()}});
    }
    return objects;
}

}  // namespace

std::vector<std::vector<SelectedSchedule>> compile_kernel_library(const ModuleSpec &module, const TargetPlan &plan,
                                                                  const ScheduleSelector &selector,
                                                                  const std::string &library_path,
                                                                  const std::string &scratch_dir, size_t jobs) {
    std::vector<KernelObject> kernels;
    std::vector<std::vector<SelectedSchedule>> schedules;
    for (const KernelVariant &variant : plan.variants) {
        schedules.emplace_back();
        for (const Layer &layer : module.layers) {
            // Tuned entries are keyed by the target as the user named it, without NoRuntime.
            const SelectedSchedule &selected = schedules.back().emplace_back(selector.select(layer, variant.target));
            std::string name =
                kernel_function_name(module.name, layer) + (variant.suffix.empty() ? "" : "_" + variant.suffix);
            Halide::Target target = variant.target.with_feature(Halide::Target::NoRuntime);
            // Built here, in the module's order: Halide numbers a Func named like an earlier
            // one, and the numbers reach the object's symbols; built on the compiling threads,
            // they went to whichever thread came first and the library changed from run to run.
            kernels.push_back({build_layer_pipeline(layer, target, selected.choice), target, selected.choice, name});
        }
    }
    // Halide compiles CPU pipelines on several threads at once (the tuner does); a GPU
    // pipeline and Halide's autoschedulers are compiled alone, as the tuner compiles them.
    std::vector<std::vector<std::string>> objects(kernels.size());
    run_jobs(
        kernels.size(), jobs,
        [&](size_t i) { return kernels[i].target.has_gpu_feature() || is_autoscheduler(kernels[i].schedule); },
        [&](size_t i) { objects[i] = compile_kernel_object(kernels[i], scratch_dir); });
    std::vector<std::string> in_order;
    for (const std::vector<std::string> &kernel_objects : objects) {
        in_order.insert(in_order.end(), kernel_objects.begin(), kernel_objects.end());
    }
    std::string runtime = (std::filesystem::path(scratch_dir) / (module.name + "_halide_runtime.o")).string();
    Halide::compile_standalone_runtime(runtime, runtime_target(plan));
    in_order.push_back(runtime);
    Halide::create_static_library(in_order, plan.baseline(), library_path, /*deterministic=*/true);
    for (const std::string &object : in_order) {
        std::filesystem::remove(object);
    }
    return schedules;
}

}  // namespace convc
