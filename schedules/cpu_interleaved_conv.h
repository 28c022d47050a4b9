#pragma once

#include "Halide.h"

#include "lower/conv2d_interleaved.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Grouped convolution with lanes interleaved across groups (family *_group_interleaved), on
// the algorithm of lower_interleaved_conv2d. A task is one chunk of 4 groups of one image;
// inside it the chunk's input rows are packed group-innermost as the rows slide down the
// image (each row packed once), and a register tile of x_pixels pixels by the chunk's
// vectors accumulates in registers, is shuffled into output-channel order and stored.
// Parameters: lanes, x_pixels, tasks (cpu_parallel_tasks.h).
void schedule_cpu_interleaved_conv(LoweredInterleavedConv &lc, const ScheduleChoice &choice);

// Whether the layout applies and the smallest tile fits the register file.
bool cpu_interleaved_applies(const Layer &layer, int lanes, int registers);
// Whether it should be the layer's default: channels-last layers, and NCHW layers with 8 or
// more output channels a group (reading NCHW, the packing's strided loads are paid back only
// by that much reuse of each packed value), and with 8-lane vectors any NCHW layer it applies to.
bool cpu_interleaved_preferred(const Layer &layer, int lanes);
ScheduleSpace cpu_interleaved_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_interleaved_choice(const std::string &family, int lanes, int registers, const Layer &layer);

}  // namespace convc
