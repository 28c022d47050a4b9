#include "schedules/choose_schedule.h"

#include <stdexcept>

#include "lower/conv2d_blocked.h"
#include "spec/layer_geometry.h"
#include "schedules/arm_neon_conv_params.h"
#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_depthwise_conv.h"
#include "schedules/cpu_direct_conv.h"
#include "schedules/cpu_flat_pixel_conv.h"
#include "schedules/cuda_conv.h"
#include "schedules/x86_conv_params.h"

namespace convc {

namespace {

bool ends_with(const std::string &text, const std::string &suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Channel vectors won on every layer of the tuning suite whose output rows are narrower than
// this (earlier sessions' tuning runs); on wider rows (and when the width is not known) row vectors
// were as fast or faster for 1x1 kernels and need no packed weights (two-axis windows: below).
constexpr int64_t kNarrowOutputWidth = 36;

// Depthwise rows that fill less than half a vector take channel vectors: on MobileNetV2's 7x7
// layer, one thread, the channel-vector default ran at 32-34 GFLOP/s and row vectors on staged
// planes at 13-15; on its 14x14 layer row vectors won, 46-69 against 24-33 (2026-11-26).
bool narrow_depthwise_rows(const Layer &layer, int lanes) {
    return layer.input_shape && output_shape(layer, *layer.input_shape)[3] * 2 < lanes;
}

// Depthwise planes that row vectors cover poorly run as flat runs of vectors (2026-11-26, one
// thread, side by side in one process): MobileNetV2's 960-channel 7x7 layer at 57-61 GFLOP/s
// against 32-34 for channel vectors, a 5x5 kernel on 1152 7x7 planes 73 against 60.
// Rows of half a vector or more keep row tiles on staged planes, whose rows share loaded
// vectors: a 5x5 kernel on 14x14 planes 82 against 55, on 28x28 90 against 47 (2026-11-26).
// The 384-channel 14x14 layer's 3x3 kernel went to flat planes then (60-62 against 40-48); since
// the staged plane stopped rewriting its zero border and copying rows with masked stores
// (twenty-first and twenty-sixth sessions) it runs faster on row tiles: 108.4 / 89.2 GFLOP/s at
// 2 threads / 1 against 72.9 / 62.0 (Zen 5, side by side, 2026-11-29; the entries tuned on
// this host and on an AVX2 Zen 3 are row tiles too).
bool flat_planes_preferred(const Layer &layer, int lanes) {
    return output_shape(layer, *layer.input_shape)[3] * 2 < lanes;
}

bool narrow_output(const Layer &layer) {
    return layer.input_shape && output_shape(layer, *layer.input_shape)[3] < kNarrowOutputWidth;
}

// Wider rows too, once the blocked family skipped the window rows in zero padding and read its
// input in place (tenth session, one thread / two, side by side against row vectors): ResNet's
// 3x3 64@56 199 / 352 GFLOP/s against 160 / 308, its 7x7 stem 206 / 354 against 169 / 292.
// 1x1 layers keep row vectors (1x1 64->256 at 56: 180 / 342 direct, 161 / 312 blocked).
bool two_axis_window(const Layer &layer) {
    return layer.kernel.h > 1 && layer.kernel.w > 1;
}

// Each family a layer can take on a target: its space and its own default point.
struct Family {
    ScheduleSpace space;
    ScheduleChoice defaults;
};

std::vector<Family> families(const Layer &layer, const Halide::Target &target) {
    if (target.has_gpu_feature()) {
        return {{cuda_direct_space(layer), cuda_direct_default(layer)}};
    }
    if (target.arch == Halide::Target::ARM) {
        if (is_depthwise(layer)) {
            return {{arm_neon_depthwise_space(layer), arm_neon_depthwise_default(layer)}};
        }
        return {{arm_neon_direct_space(layer), arm_neon_direct_default(layer)}};
    }
    std::vector<Family> found;
    if (is_depthwise(layer)) {
        found.push_back({x86_depthwise_space(layer, target), x86_depthwise_default(layer, target)});
    } else {
        found.push_back({x86_direct_space(layer, target), x86_direct_default(layer, target)});
    }
    if (lane_blocked_layout_applies(layer, x86_channel_block(target))) {
        found.push_back({x86_lane_blocked_space(layer, target), x86_lane_blocked_default(layer, target)});
    }
    if (x86_flat_pixels_applies(layer, target)) {
        found.push_back({x86_flat_pixel_space(layer, target), x86_flat_pixel_default(layer, target)});
    }
    if (x86_flat_plane_applies(layer, target)) {
        found.push_back({x86_flat_plane_space(layer, target), x86_flat_plane_default(layer, target)});
    }
    if (x86_deinterleaved_applies(layer, target)) {
        found.push_back({x86_deinterleaved_space(layer, target), x86_deinterleaved_default(layer, target)});
    }
    if (x86_group_channel_block(layer, target) > 0) {
        found.push_back({x86_blocked_space(layer, target), x86_blocked_default(layer, target)});
    }
    if (x86_interleaved_applies(layer, target)) {
        found.push_back({x86_interleaved_space(layer, target), x86_interleaved_default(layer, target)});
    }
    return found;
}

}  // namespace

std::vector<ScheduleSpace> schedule_spaces(const Layer &layer, const Halide::Target &target) {
    std::vector<ScheduleSpace> spaces;
    for (Family &family : families(layer, target)) {
        spaces.push_back(std::move(family.space));
    }
    return spaces;
}

std::vector<ScheduleChoice> family_defaults(const Layer &layer, const Halide::Target &target) {
    std::vector<ScheduleChoice> defaults;
    for (Family &family : families(layer, target)) {
        defaults.push_back(std::move(family.defaults));
    }
    return defaults;
}

std::optional<ScheduleChoice> complete_schedule(const ScheduleChoice &stored, const Layer &layer,
                                                const Halide::Target &target) {
    if (is_autoscheduler(stored)) {
        return stored;
    }
    for (const Family &family : families(layer, target)) {
        if (family.space.family != stored.family) {
            continue;
        }
        if (fits_space(stored, family.space)) {
            return stored;
        }
        ScheduleChoice completed = family.defaults;
        for (auto &[name, value] : completed.params) {
            if (auto it = stored.params.find(name); it != stored.params.end()) {
                value = it->second;
            }
        }
        if (fits_space(completed, family.space)) {
            return completed;
        }
    }
    return std::nullopt;
}

ScheduleChoice default_schedule(const Layer &layer, const Halide::Target &target) {
    if (target.has_gpu_feature()) {
        return cuda_direct_default(layer);
    }
    if (target.arch == Halide::Target::ARM) {
        return is_depthwise(layer) ? arm_neon_depthwise_default(layer) : arm_neon_direct_default(layer);
    }
    // Row vectors would read channels-last data with a stride: there any channel-vector
    // family that fits beats them.
    bool lane_blocked = lane_blocked_layout_applies(layer, x86_channel_block(target));
    if (is_depthwise(layer)) {
        // Read in place, the input is not copied by column phase first: `compare` (AMD EPYC
        // Zen 5, 2026-11-29, two threads / one), MobileNetV2's 144-channel 56x56 layer 97.2 /
        // 54.6 GFLOP/s against 77.7 / 41.4, its 96-channel 112x112 layer 119.7 / 65.4 against
        // 58.2 / 29.9.
        if (x86_deinterleaved_applies(layer, target)) {
            return x86_deinterleaved_default(layer, target);
        }
        bool narrow_rows = narrow_depthwise_rows(layer, x86_channel_block(target));
        if (x86_flat_plane_applies(layer, target) && flat_planes_preferred(layer, x86_channel_block(target))) {
            return x86_flat_plane_default(layer, target);
        }
        return lane_blocked && (narrow_rows || layer.channels_last()) ? x86_lane_blocked_default(layer, target)
                                                                     : x86_depthwise_default(layer, target);
    }
    // Side by side, one thread (2026-11-27): 1x1 64->256 at 56x56 117 GFLOP/s against the direct
    // family's 112, at 28x28 112 against the blocked family's 81-89; 32->256 at 56x56 113 / 102.
    // Not where a run of whole rows leaves registers for one output channel only, each input
    // load feeding one multiply-add: AVX2's 16 registers beside a 56-pixel row. There, on an AMD
    // EPYC (Zen 3), 64->256 at 56x56 ran 91.3 / 44.4 GFLOP/s (2 threads / 1) against the direct
    // default's 124.7 / 55.9.
    // Nor where the run is cut into narrower register tiles: there, AVX2's 2 x 6 over a 14-vector
    // run ran 1x1 64->256 at 56x56 at 112.1 / 57.6 against the stored direct entry's (3 x 4)
    // 129.6 / 64.9, and 24->144 at 104.5 / 65.4 against 130.6 / 79.7 (2026-11-28). Since runs
    // cross rows, AVX2's default run is one 3 x 4 tile (cpu_flat_pixel_choice): 143.4 / 68.0
    // against that direct entry's 129.6 / 64.8 on 64->256 (2026-11-28, 8 rounds).
    // A strided layer keeps the default measured for it on the AVX-512 host (the blocked family
    // reading dense samples); the flat family reaches it through tuning.
    if (x86_flat_pixels_applies(layer, target) && !is_strided(layer)) {
        ScheduleChoice flat = x86_flat_pixel_default(layer, target);
        if (run_is_one_channel_tile(flat)) {
            return flat;
        }
    }
    if ((narrow_output(layer) || two_axis_window(layer)) && blocked_layout_applies(layer, x86_channel_block(target))) {
        return x86_blocked_default(layer, target);
    }
    if (x86_interleaved_preferred(layer, target)) {
        return x86_interleaved_default(layer, target);
    }
    if (layer.channels_last() && lane_blocked) {
        return x86_lane_blocked_default(layer, target);
    }
    if (layer.channels_last() && x86_group_channel_block(layer, target) > 0) {
        return x86_blocked_default(layer, target);
    }
    return x86_direct_default(layer, target);
}

bool is_autoscheduler(const ScheduleChoice &choice) {
    return choice.family.rfind("auto:", 0) == 0;
}

bool is_blocked(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_blocked");
}

bool is_lane_blocked(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_lane_blocked");
}

bool is_flat_pixels(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_flat_pixels");
}

bool is_flat_plane(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_flat_plane");
}

bool is_deinterleaved(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_deinterleaved");
}

bool is_group_interleaved(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_group_interleaved");
}

bool packs_weights(const ScheduleChoice &choice) {
    return is_blocked(choice) || is_group_interleaved(choice);
}

bool stages_input_plane(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_depthwise") && (choice.param("stage_input") == 1 || splits_column_phases(choice));
}

bool splits_column_phases(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_depthwise") && choice.param("stage_input") == 2;
}

bool stages_tile_rows(const ScheduleChoice &choice) {
    return ends_with(choice.family, "_depthwise") && choice.param("stage_input") == 3;
}

bool schedule_applies(const ScheduleChoice &choice, const Layer &layer, const Halide::Target &target) {
    return is_autoscheduler(choice) || fits_any_space(choice, schedule_spaces(layer, target));
}

void apply_schedule(LoweredConv &lc, const Layer &layer, const ScheduleChoice &choice) {
    if (choice.family == "cuda_direct") {
        schedule_cuda_conv(lc, choice);
    } else if (ends_with(choice.family, "_depthwise")) {
        schedule_cpu_depthwise_conv(lc, layer, choice);
    } else if (ends_with(choice.family, "_direct")) {
        schedule_cpu_direct_conv(lc, choice);
    } else {
        throw std::invalid_argument("unknown schedule family '" + choice.family + "'");
    }
}

}  // namespace convc
