#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"
#include "spec/layer.h"

namespace convc {

// A layer's algorithm with its schedule applied: the one object both `generate` (AOT)
// and `run` (JIT) compile, so the two can never disagree.
struct LayerPipeline {
    LoweredConv conv;
    Halide::Pipeline pipeline;
    std::string schedule;  // what was applied, for reports
};

LayerPipeline build_layer_pipeline(const Layer &layer, const Halide::Target &target);

// The name of a layer's entry point in the generated library.
std::string kernel_function_name(const std::string &module_name, const Layer &layer);

}  // namespace convc
