#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"
#include "spec/layer.h"

namespace convc {

// Schedules a whole layer pipeline with one of Halide 14's autoschedulers (Adams2019,
// Mullapudi2016, Li2018), loading its plugin on first use. The shapes it optimizes for are
// the layer's input_shape, or batch 1 at 56x56 when the spec leaves them open.
void autoschedule_layer(Halide::Pipeline &pipeline, LoweredConv &lc, const Layer &layer, const Halide::Target &target,
                        const std::string &autoscheduler);

const char *const kAutoschedulers[] = {"Adams2019", "Mullapudi2016", "Li2018"};

}  // namespace convc
