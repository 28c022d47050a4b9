#pragma once

#include <string>

#include "lower/conv2d_flat_pixels.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Schedules lower_flat_pixel_conv2d's algorithm: a run of x_vectors vectors of the flat pixel
// axis (whole output rows) by tile_k output channels, in register tiles of tile_vectors
// vectors, each accumulated over every input channel; a task takes consecutive row tiles,
// each for all output channels, so that the rows' input stays in L1 while the channel tiles
// take turns on it. Parameters: lanes, x_vectors (whole rows in whole vectors), tile_vectors
// (dividing x_vectors), tile_k, stage_input (1: the tile's rows of every input channel are
// copied to one run first; always, for a strided layer), channel_chunk (0: each channel tile
// sums every input channel at once; C: the row tile's sums, in memory, take C input channels
// at a time for all channel tiles), tasks.
void schedule_cpu_flat_pixel_conv(LoweredFlatPixelConv &lc, const ScheduleChoice &choice);

// Whether the algorithm applies and whole output rows make a run of whole vectors.
bool flat_pixels_fits(const Layer &layer, int lanes);
ScheduleSpace cpu_flat_pixel_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_flat_pixel_choice(const std::string &family, int lanes, int registers, const Layer &layer);

}  // namespace convc
