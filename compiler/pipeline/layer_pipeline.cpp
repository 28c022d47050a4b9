#include "pipeline/layer_pipeline.h"

#include "lower/conv2d.h"
#include "lower/conv2d_blocked.h"
#include "lower/conv2d_deinterleaved.h"
#include "lower/conv2d_flat_pixels.h"
#include "lower/conv2d_flat_plane.h"
#include "lower/conv2d_interleaved.h"
#include "pipeline/autoschedule.h"
#include "schedules/choose_schedule.h"
#include "schedules/cpu_blocked_conv.h"
#include "schedules/cpu_deinterleaved_conv.h"
#include "schedules/cpu_depthwise_conv.h"
#include "schedules/cpu_flat_pixel_conv.h"
#include "schedules/cpu_flat_plane_conv.h"
#include "schedules/cpu_interleaved_conv.h"
#include "schedules/cpu_lane_blocked_conv.h"

namespace convc {

namespace {

// A scheduled channel-vector algorithm (LoweredBlockedConv, LoweredInterleavedConv): its kernel
// reads weights packed in blocks of `block` lanes, so the packing pipeline goes with it.
template <typename Lowered>
LayerPipeline packed_weight_pipeline(const Lowered &lc, const Layer &layer, int block, WeightLaneOrder order) {
    LayerPipeline lp;
    lp.pipeline = Halide::Pipeline(lc.output);
    lp.arguments = lc.arguments();
    lp.input = lc.input;
    lp.weight = lc.packed_weight;
    lp.bias = lc.bias;
    lp.weight_block = block;
    LoweredWeightPack pack = lower_weight_pack(layer, block, order);
    lp.weight_pack = Halide::Pipeline(pack.packed);
    lp.pack_input = pack.weight;
    return lp;
}

LayerPipeline blocked_pipeline(const Layer &layer, const ScheduleChoice &schedule) {
    int block = schedule.param("lanes");
    LoweredBlockedConv lc = lower_blocked_conv2d(layer, block, blocked_conv_options(schedule));
    if (is_lane_blocked(schedule)) {
        schedule_cpu_lane_blocked_conv(lc, schedule);
    } else {
        schedule_cpu_blocked_conv(lc, schedule);
    }
    return packed_weight_pipeline(lc, layer, block, WeightLaneOrder::Contiguous);
}

LayerPipeline interleaved_pipeline(const Layer &layer, const ScheduleChoice &schedule) {
    int lanes = schedule.param("lanes");
    LoweredInterleavedConv lc = lower_interleaved_conv2d(layer, lanes);
    schedule_cpu_interleaved_conv(lc, schedule);
    return packed_weight_pipeline(lc, layer, lanes, WeightLaneOrder::GroupInterleaved);
}

// A scheduled algorithm whose kernel reads the weights in PyTorch's layout.
template <typename Lowered>
LayerPipeline unpacked_weight_pipeline(const Lowered &lc) {
    LayerPipeline lp;
    lp.pipeline = Halide::Pipeline(lc.output);
    lp.arguments = lc.arguments();
    lp.input = lc.input;
    lp.weight = lc.weight;
    lp.bias = lc.bias;
    return lp;
}

LayerPipeline flat_pixel_pipeline(const Layer &layer, const ScheduleChoice &schedule) {
    LoweredFlatPixelConv lc = lower_flat_pixel_conv2d(layer, flat_pixel_plane_run(layer, schedule));
    schedule_cpu_flat_pixel_conv(lc, schedule);
    return unpacked_weight_pipeline(lc);
}

LayerPipeline flat_plane_pipeline(const Layer &layer, const ScheduleChoice &schedule) {
    LoweredFlatPlaneConv lc = lower_flat_plane_conv2d(layer, schedule.param("block"));
    schedule_cpu_flat_plane_conv(lc, schedule);
    return unpacked_weight_pipeline(lc);
}

LayerPipeline deinterleaved_pipeline(const Layer &layer, const ScheduleChoice &schedule) {
    LoweredDeinterleavedConv lc = lower_deinterleaved_conv2d(layer, schedule.param("lanes"));
    schedule_cpu_deinterleaved_conv(lc, layer, schedule);
    return unpacked_weight_pipeline(lc);
}

LayerPipeline row_pipeline(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule) {
    ConvInput source = splits_column_phases(schedule) ? ConvInput::PlanePhases
                       : stages_input_plane(schedule)  ? ConvInput::Plane
                                                       : ConvInput::Padded;
    LoweredConv lc = source == ConvInput::Padded ? lower_conv2d(layer)
                                                 : lower_conv2d(layer, source, depthwise_plane_tile(layer, schedule));
    if (is_autoscheduler(schedule)) {
        LayerPipeline lp = unpacked_weight_pipeline(lc);
        autoschedule_layer(lp.pipeline, lc, layer, target, schedule.family.substr(5));
        return lp;
    }
    apply_schedule(lc, layer, schedule);
    return unpacked_weight_pipeline(lc);
}

}  // namespace

LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule) {
    LayerPipeline lp = is_group_interleaved(schedule) ? interleaved_pipeline(layer, schedule)
                       : is_blocked(schedule)         ? blocked_pipeline(layer, schedule)
                       : is_flat_pixels(schedule)     ? flat_pixel_pipeline(layer, schedule)
                       : is_flat_plane(schedule)      ? flat_plane_pipeline(layer, schedule)
                       : is_deinterleaved(schedule)   ? deinterleaved_pipeline(layer, schedule)
                                                      : row_pipeline(layer, target, schedule);
    lp.schedule = schedule;
    return lp;
}

LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target) {
    return build_layer_pipeline(layer, target, default_schedule(layer, target));
}

std::string kernel_function_name(const std::string &module_name, const Layer &layer) {
    return module_name + "_" + layer.name;
}

}  // namespace convc
