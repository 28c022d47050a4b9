#pragma once

#include <string>
#include <vector>

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// The parameter spaces of the CPU families (cpu_direct_conv, cpu_depthwise_conv), shared by
// every ISA: only the lanes and the register budget differ.
// Layers whose taps must not be unrolled: Halide 14 crashes compiling them (cpu_conv_space.cpp).
bool unrolled_taps_crash_halide(const Layer &layer, int lanes);

ScheduleSpace cpu_direct_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_direct_choice(const std::string &family, int lanes, int x_vectors, int tile_k, const Layer &layer);
ScheduleSpace cpu_depthwise_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_depthwise_choice(const std::string &family, int lanes, int x_vectors, int y_rows,
                                    const Layer &layer);

// Values of a channel_chunk parameter: 0 (the whole reduction at once), then each of `chunks`
// that is smaller than `channels` and divides them.
std::vector<int> channel_chunk_values(int64_t channels, const std::vector<int> &chunks);

// Whether every parameter of `choice` is one of its space's values and the tile fits.
bool fits_space(const ScheduleChoice &choice, const ScheduleSpace &space);
bool fits_any_space(const ScheduleChoice &choice, const std::vector<ScheduleSpace> &spaces);

// `choice` with its register tile in the other shapes of its space that hold at most as many
// accumulators: for each value of the tile's channel axis, the widest tile along the row. The
// tuner's climb steps one parameter at a time, so it cannot trade one axis of a tile for the
// other through the worse tiles in between. Side by side at 1 thread, the NHWC 3x3 128@28
// layer ran 1 channel vector by 14 pixels at 119.1 GFLOP/s and the default's 4 by 4 at 104.2.
std::vector<ScheduleChoice> register_tile_shapes(const ScheduleChoice &choice, const ScheduleSpace &space);

}  // namespace convc
