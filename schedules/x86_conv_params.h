#pragma once

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// The x86 schedule families' spaces and defaults, by vector ISA: AVX-512 has 32 zmm
// registers of 16 floats, AVX2 and SSE4.1 16 registers of 8 and 4 floats. The default
// register tile fills the register file less the row's input vectors and one broadcast
// weight (AVX-512: 2 x 8 = 16 accumulators; AVX2/SSE4.1: 2 x 6 = 12).
ScheduleSpace x86_direct_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_direct_default(const Layer &layer, const Halide::Target &target);
// Output-channel vectors (lower_blocked_conv2d): 16 lanes on AVX-512, 8 on AVX2/SSE4.1 (4).
ScheduleSpace x86_blocked_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_blocked_default(const Layer &layer, const Halide::Target &target);
int x86_channel_block(const Halide::Target &target);
// The channel block the blocked family uses for this layer: a whole vector, or half of one
// when a group's output channels fill only that; 0 when neither fits.
int x86_group_channel_block(const Layer &layer, const Halide::Target &target);
ScheduleSpace x86_depthwise_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_depthwise_default(const Layer &layer, const Halide::Target &target);

// Depthwise across channel vectors, on input packed channel-innermost in the pipeline.
ScheduleSpace x86_lane_blocked_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_lane_blocked_default(const Layer &layer, const Halide::Target &target);

// Pointwise NCHW layers as a matrix product over flattened pixels (lower_flat_pixel_conv2d).
bool x86_flat_pixels_applies(const Layer &layer, const Halide::Target &target);
ScheduleSpace x86_flat_pixel_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_flat_pixel_default(const Layer &layer, const Halide::Target &target);

// Depthwise 3x3 at stride 2 on NCHW planes read in place (lower_deinterleaved_conv2d).
bool x86_deinterleaved_applies(const Layer &layer, const Halide::Target &target);
ScheduleSpace x86_deinterleaved_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_deinterleaved_default(const Layer &layer, const Halide::Target &target);

// Depthwise on planes flattened into runs of vectors (lower_flat_plane_conv2d).
bool x86_flat_plane_applies(const Layer &layer, const Halide::Target &target);
ScheduleSpace x86_flat_plane_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_flat_plane_default(const Layer &layer, const Halide::Target &target);

// Groups narrower than a vector, lanes interleaved across 4 groups (lower_interleaved_conv2d).
bool x86_interleaved_applies(const Layer &layer, const Halide::Target &target);
bool x86_interleaved_preferred(const Layer &layer, const Halide::Target &target);
ScheduleSpace x86_interleaved_space(const Layer &layer, const Halide::Target &target);
ScheduleChoice x86_interleaved_default(const Layer &layer, const Halide::Target &target);

}  // namespace convc
