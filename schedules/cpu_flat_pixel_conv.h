#pragma once

#include <string>

#include "lower/conv2d_flat_pixels.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Schedules lower_flat_pixel_conv2d's algorithm: a run of x_vectors vectors of the flat pixel
// axis by tile_k output channels, in register tiles of tile_vectors vectors, each accumulated
// over every input channel; a task takes consecutive runs, each for all output channels, so
// that the run's input stays in L1 while the channel tiles take turns on it. A strided
// layer's runs are whole output rows; a stride-1 layer's cross rows (flat_pixel_plane_run).
// Parameters: lanes, x_vectors, tile_vectors (dividing x_vectors), tile_k, stage_input (1:
// the run of every input channel is copied to one run first; always, for a strided layer),
// channel_chunk (0: each channel tile sums every input channel at once; C: the run's sums, in
// memory, take C input channels at a time for all channel tiles), channel_blocks, tasks.
void schedule_cpu_flat_pixel_conv(LoweredFlatPixelConv &lc, const ScheduleChoice &choice);

// Whether the algorithm applies and its runs cross rows, or whole output rows make a run of
// whole vectors.
bool flat_pixels_fits(const Layer &layer, int lanes);
// Whether runs cross rows: a stride-1 layer's need not be whole rows, which on ResNet-50's
// 56-wide rows would make 3-vector tiles cover 72 columns of 56.
bool flat_pixel_plane_runs(const Layer &layer);
// lower_flat_pixel_conv2d's plane_run for the choice: its run in pixels where runs cross rows.
int flat_pixel_plane_run(const Layer &layer, const ScheduleChoice &choice);
ScheduleSpace cpu_flat_pixel_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_flat_pixel_choice(const std::string &family, int lanes, int registers, const Layer &layer);
// Whether a run of `run_vectors` vectors is one register tile of `tile_vectors` vectors by
// `tile_k` output channels, two or more: no narrower tiles cut it, and each load feeds several
// channels. The flat family's defaults are measured to win only there.
bool run_is_one_channel_tile(int run_vectors, int tile_vectors, int tile_k);
bool run_is_one_channel_tile(const ScheduleChoice &choice);

}  // namespace convc
