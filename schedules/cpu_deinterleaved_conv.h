#pragma once

#include <string>

#include "lower/conv2d_deinterleaved.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Schedules lower_deinterleaved_conv2d's algorithm. Parameters:
//   lanes   float32 lanes of a vector (the algorithm's run)
//   y_rows  body rows a tile computes: y_rows accumulators a run, the runs of a row of tiles
//           one after another, so that the rows the tile reads are loaded once for all runs
//   tasks   parallel_task_counts(), over the (channel, image) planes
void schedule_cpu_deinterleaved_conv(LoweredDeinterleavedConv &lc, const Layer &layer, const ScheduleChoice &choice);

// Whether the algorithm applies (deinterleaved_applies) and the space has a point.
bool deinterleaved_fits(const Layer &layer, int lanes, int registers);
ScheduleSpace cpu_deinterleaved_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_deinterleaved_choice(const std::string &family, int lanes, int registers, const Layer &layer);

}  // namespace convc
