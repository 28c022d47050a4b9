#include "pipeline/layer_pipeline.h"

#include "schedules/choose_schedule.h"

namespace convc {

LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target) {
    LayerPipeline lp;
    lp.conv = lower_conv2d(layer);
    lp.schedule = apply_default_schedule(lp.conv, layer, target);
    lp.pipeline = Halide::Pipeline(lp.conv.output);
    return lp;
}

std::string kernel_function_name(const std::string &module_name, const Layer &layer) {
    return module_name + "_" + layer.name;
}

}  // namespace convc
