#pragma once

#include "Halide.h"

#include "lower/conv2d.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// The schedule family a layer gets on a target, its declared space and its heuristic
// default: depthwise layers take the depthwise family, every other layer the direct one;
// the target picks x86 (by ISA), ARM NEON or CUDA.
ScheduleSpace schedule_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice default_schedule(const Layer &layer, const Halide::Target &target);

// Whether `choice` can be applied to this layer on this target (an autoscheduler always can).
bool schedule_applies(const ScheduleChoice &choice, const Layer &layer, const Halide::Target &target);

// Applies a family choice to the lowered layer. auto:<name> choices are applied to the
// whole pipeline instead (layer_pipeline.cpp).
void apply_schedule(LoweredConv &lc, const ScheduleChoice &choice);

bool is_autoscheduler(const ScheduleChoice &choice);

}  // namespace convc
