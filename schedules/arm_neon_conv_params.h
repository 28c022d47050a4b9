#pragma once

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// aarch64 NEON: 32 registers of 128 bits (4 floats), one FMLA per register per cycle on
// most cores. The default direct tile is 4 q-vectors (16 pixels) by 6 channels: 24
// accumulators, 4 input vectors and a weight in registers; rows wider than on x86 make up
// for the narrower vectors. Depthwise runs 8 q-vectors along the row.
ScheduleSpace arm_neon_direct_space(const Layer &layer);
ScheduleChoice arm_neon_direct_default(const Layer &layer);
ScheduleSpace arm_neon_depthwise_space(const Layer &layer);
ScheduleChoice arm_neon_depthwise_default(const Layer &layer);

}  // namespace convc
