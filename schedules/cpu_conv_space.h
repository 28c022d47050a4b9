#pragma once

#include <string>

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

// Whether every parameter of `choice` is one of its space's values and the tile fits.
bool fits_space(const ScheduleChoice &choice, const ScheduleSpace &space);
bool fits_any_space(const ScheduleChoice &choice, const std::vector<ScheduleSpace> &spaces);

}  // namespace convc
