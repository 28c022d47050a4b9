#pragma once

#include "Halide.h"

#include "lower/conv2d_blocked.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Convolution vectorized across channels whose lanes belong to different groups (family
// *_lane_blocked): depthwise layers, and grouped layers with fewer output channels per group
// than a vector (ResNeXt's 4 and 8), on the algorithm of lower_blocked_conv2d. The padded
// input is stored channel-innermost (16 channels of a pixel in one vector, as oneDNN's
// nChw16c) a few rows at a time, so a narrow row (7, 14 pixels) no longer leaves most lanes
// empty. One task is a block of channels
// over a strip of rows; inside it the packed rows slide down the image, each input row
// packed once. Output rows are written back to NCHW from a row of channel vectors.
// Channels-last layers may instead keep each register tile's accumulators in registers and
// store them straight to the output (register_tile 1), a task's channel block outermost.
// Parameters: lanes, x_pixels and k_vectors (the register tile), row_strips (tasks per
// channel block), store_lanes (vector width of the NCHW write-back), pack_input (0: taps
// read channels-last input in place), register_tile, tasks (cpu_parallel_tasks.h).
void schedule_cpu_lane_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice);

ScheduleSpace cpu_lane_blocked_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_lane_blocked_choice(const std::string &family, int lanes, const Layer &layer);

}  // namespace convc
