#pragma once

#include <optional>
#include <vector>

#include "Halide.h"

#include "lower/conv2d.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// The schedule families a layer can take on a target, each with its declared space, and
// the heuristic default among them. Row vectors: the depthwise family for depthwise layers,
// the direct family for the others. On x86, channel vectors too: the blocked family where a
// group's output channels fill whole (or half) vectors, the lane-blocked family where groups
// are narrower than a vector (depthwise included), the group-interleaved family where they
// hold 4 to 12 channels. The target picks x86 (by ISA), ARM NEON or CUDA.
std::vector<ScheduleSpace> schedule_spaces(const Layer &layer, const Halide::Target &target);
ScheduleChoice default_schedule(const Layer &layer, const Halide::Target &target);
// Each family's own default point, in the order of schedule_spaces.
std::vector<ScheduleChoice> family_defaults(const Layer &layer, const Halide::Target &target);

// A stored choice (database entry) made by a convc whose family had other parameters: the
// parameters the family has gained take its default's values and those it dropped go, so a
// database outlives a new schedule option. nullopt when even that fits no space here.
std::optional<ScheduleChoice> complete_schedule(const ScheduleChoice &stored, const Layer &layer,
                                                const Halide::Target &target);

// Whether `choice` can be applied to this layer on this target (an autoscheduler always can).
bool schedule_applies(const ScheduleChoice &choice, const Layer &layer, const Halide::Target &target);

// Applies a row-vector or CUDA family choice to the lowered layer. Blocked families use
// their own algorithm (lower_blocked_conv2d) and auto:<name> choices the whole pipeline;
// layer_pipeline.cpp dispatches those.
void apply_schedule(LoweredConv &lc, const Layer &layer, const ScheduleChoice &choice);

bool is_autoscheduler(const ScheduleChoice &choice);
bool is_blocked(const ScheduleChoice &choice);            // on lower_blocked_conv2d's algorithm
bool is_lane_blocked(const ScheduleChoice &choice);  // ... with the input packed per lane
bool is_group_interleaved(const ScheduleChoice &choice);  // on lower_interleaved_conv2d's algorithm
bool is_flat_pixels(const ScheduleChoice &choice);        // on lower_flat_pixel_conv2d's algorithm
bool is_flat_plane(const ScheduleChoice &choice);         // on lower_flat_plane_conv2d's algorithm
bool is_deinterleaved(const ScheduleChoice &choice);      // on lower_deinterleaved_conv2d's algorithm
// Whether the family computes on packed weights (the wrapper packs them once).
bool packs_weights(const ScheduleChoice &choice);
// A depthwise choice that reads lower_conv2d(..., ConvInput::Plane)'s input plane.
bool stages_input_plane(const ScheduleChoice &choice);
// A depthwise choice that reads lower_conv2d(..., ConvInput::PlanePhases)'s column phases.
bool splits_column_phases(const ScheduleChoice &choice);
// A depthwise choice that stages, per row of tiles, the padded rows its window reads
// (stage_input 3), on lower_conv2d's ConvInput::Padded algorithm.
bool stages_tile_rows(const ScheduleChoice &choice);

}  // namespace convc
