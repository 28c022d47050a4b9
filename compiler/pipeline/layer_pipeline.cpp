#include "pipeline/layer_pipeline.h"

#include "pipeline/autoschedule.h"
#include "schedules/choose_schedule.h"

namespace convc {

LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule) {
    LayerPipeline lp;
    lp.conv = lower_conv2d(layer);
    lp.schedule = schedule;
    if (is_autoscheduler(schedule)) {
        lp.pipeline = Halide::Pipeline(lp.conv.output);
        autoschedule_layer(lp.pipeline, lp.conv, layer, target, schedule.family.substr(5));
        return lp;
    }
    apply_schedule(lp.conv, schedule);
    lp.pipeline = Halide::Pipeline(lp.conv.output);
    return lp;
}

LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target) {
    return build_layer_pipeline(layer, target, default_schedule(layer, target));
}

std::string kernel_function_name(const std::string &module_name, const Layer &layer) {
    return module_name + "_" + layer.name;
}

}  // namespace convc
