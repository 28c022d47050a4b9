#pragma once

#include <optional>
#include <string>
#include <vector>

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// A layer's algorithm with its schedule applied: the one object both `generate` (AOT) and
// `run`/`tune`/`bench` (JIT) compile, so they can never disagree. Blocked schedule
// families compute on pre-packed weights: `weight` is then the packed 5-D buffer and
// `weight_pack` the pipeline that packs PyTorch-layout weights into it (`pack_input`).
struct LayerPipeline {
    Halide::Pipeline pipeline;
    std::vector<Halide::Argument> arguments;  // input, weight (maybe packed), [bias]
    Halide::ImageParam input, weight, bias;   // bias defined only when the layer has one
    int weight_block = 0;                     // channel block of the packed weights; 0: not packed
    std::optional<Halide::Pipeline> weight_pack;
    Halide::ImageParam pack_input;
    ScheduleChoice schedule;
};

// With a family choice, or auto:<Adams2019|Mullapudi2016|Li2018> for Halide's own
// autoschedulers (bounded: Adams2019 runs with beam size 1 unless HL_BEAM_SIZE says otherwise).
LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule);
// With the family's heuristic default.
LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target);

// The name of a layer's entry point in the generated library.
std::string kernel_function_name(const std::string &module_name, const Layer &layer);

}  // namespace convc
