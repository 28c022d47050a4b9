#pragma once

#include <string>

#include "lower/conv2d_flat_plane.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Schedules lower_flat_plane_conv2d's algorithm: a task takes blocks of `block` channels and
// stages the planes of the image's first and last blocks (the others read the input in place);
// each output plane is computed in `chunks` runs of whole vectors, the
// vectors of a run held in registers while every tap is applied to them.
void schedule_cpu_flat_plane_conv(LoweredFlatPlaneConv &lc, const ScheduleChoice &choice);

// Whether the algorithm applies and the space has a point: a run that fits the registers and
// a channel block that divides the channels.
bool flat_plane_fits(const Layer &layer, int lanes, int registers);
ScheduleSpace cpu_flat_plane_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_flat_plane_choice(const std::string &family, int lanes, int registers, const Layer &layer);

}  // namespace convc
