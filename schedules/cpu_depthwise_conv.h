#pragma once

#include "Halide.h"

#include "lower/conv2d.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Depthwise convolution (one input channel per group) on a SIMD CPU, vectors along the row:
// no input is shared between output channels, so a register tile spans rows and columns of
// one channel plane. Parameters:
//   lanes        float32 lanes of a vector
//   x_vectors    vectors along the row of a tile
//   y_rows       rows of a tile
//   unroll_taps  1: the whole kernel window is unrolled
//   stage_input  1: each task iteration materializes its channel's padded plane
//                (lower/input_plane.h) and the taps read it with no boundary condition;
//                2 (column_phases_fit layers): the plane's columns by phase of the stride
//                instead (lower/column_phases.h), so that the taps read dense vectors;
//                0: the taps read the input through the padding mode
//   tasks        parallel_task_counts(), over the channels of an image
// The layer must be lowered with depthwise_plane_tile(layer, choice) and ConvInput::PlanePhases when
// splits_column_phases(choice), else ConvInput::Plane when stages_input_plane(choice).
void schedule_cpu_depthwise_conv(LoweredConv &lc, const Layer &layer, const ScheduleChoice &choice);
PlaneTile depthwise_plane_tile(const Layer &layer, const ScheduleChoice &choice);

bool is_depthwise(const Layer &layer);

}  // namespace convc
