#include "schedules/cpu_conv_space.h"

#include <algorithm>

#include "lower/column_phases.h"
#include "schedules/cpu_blocked_conv.h"
#include "schedules/cpu_direct_conv.h"
#include "schedules/cpu_parallel_tasks.h"
#include "spec/layer_geometry.h"

namespace convc {

namespace {

// Fully unrolled windows beyond this many taps bloat code more than they save.
constexpr int64_t kMaxUnrolledTaps = 49;

std::vector<int> up_to(std::vector<int> values, int64_t limit) {
    values.erase(std::remove_if(values.begin(), values.end(), [&](int v) { return v > limit; }), values.end());
    return values.empty() ? std::vector<int>{1} : values;
}

// In place (0), a staged plane (1), its column phases (2, strided layers whose rows hold a run
// of them) or the rows of each row of tiles (3). Not rows read at a stride along x: a staged
// buffer read at stride 2 is where Halide 14 emits aligned moves at unaligned addresses
// (stage_per_channel, cpu_depthwise_conv.cpp), and MobileNetV2's stride-2 layer ran slower on
// staged rows than on column phases anyway (38 against 43 GFLOP/s at one thread, 2026-11-29).
std::vector<int> depthwise_input_stagings(const Layer &layer, int lanes) {
    if (column_phases_fit(layer, lanes)) {
        return {0, 1, 2};
    }
    return layer.stride.w == 1 ? std::vector<int>{0, 1, 3} : std::vector<int>{0, 1};
}

}  // namespace

// Halide 14's compiler dies (SIGFPE) on taps unrolled over a circularly or reflectively padded
// input read in place when its rows are narrow against a vector's reach. Found by randomized
// runs: circular 4-pixel rows with 8 or 16 lanes, 2-pixel rows with 4; on AVX2 (8 lanes)
// reflect rows of 2 and 3 pixels at stride 1, 2, 3 and 5 at stride 2, circular 8 at stride 2
// (replicate none, 2-17 pixels). Such layers keep their tap loops.
bool unrolled_taps_crash_halide(const Layer &layer, int lanes) {
    const bool wraps = layer.padding_mode == PaddingMode::Circular || layer.padding_mode == PaddingMode::Reflect;
    return wraps && resolved_padding(layer).any() && layer.input_shape &&
           (*layer.input_shape)[3] <= lanes * layer.stride.w;
}

ScheduleSpace cpu_direct_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    return {family,
            {{"lanes", {lanes}},
             {"x_vectors", {1, 2, 3, 4, 6}},
             {"tile_k", up_to({1, 2, 3, 4, 6, 8, 12, 16}, layer.out_channels)},
             {"stage_input", {0, 1}},
             {"unroll_taps", unrolled_taps_crash_halide(layer, lanes) ? std::vector<int>{0} : std::vector<int>{0, 1}},
             {"tasks", parallel_task_counts()}},
            registers};
}

ScheduleChoice cpu_direct_choice(const std::string &family, int lanes, int x_vectors, int tile_k, const Layer &layer) {
    return {family,
            {{"lanes", lanes},
             {"x_vectors", x_vectors},
             {"tile_k", static_cast<int>(std::min<int64_t>(tile_k, layer.out_channels))},
             {"stage_input", 1},
             {"unroll_taps", 0},
             {"tasks", default_row_tasks(layer)}}};
}

ScheduleSpace cpu_depthwise_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> unroll = {0};
    if (layer.kernel.h * layer.kernel.w <= kMaxUnrolledTaps && !unrolled_taps_crash_halide(layer, lanes)) {
        unroll.push_back(1);
    }
    // Strided rows of 8 vectors with their taps unrolled took 19 s to compile for a layer of
    // dynamic shape (2026-11-26, found by tests/conv/space_stress_test.cpp): a tuning run
    // cannot afford such candidates, and no strided layer has chosen more than 2 vectors.
    std::vector<int> x_vectors = layer.stride.w > 1 ? std::vector<int>{1, 2, 4} : std::vector<int>{1, 2, 4, 6, 8};
    return {family,
            {{"lanes", {lanes}},
             {"x_vectors", x_vectors},
             {"y_rows", {1, 2, 4, 7}},
             {"stage_input", depthwise_input_stagings(layer, lanes)},
             {"unroll_taps", unroll},
             {"tasks", parallel_task_counts()}},
            registers};
}

ScheduleChoice cpu_depthwise_choice(const std::string &family, int lanes, int x_vectors, int y_rows,
                                    const Layer &layer) {
    int unroll = layer.kernel.h * layer.kernel.w <= kMaxUnrolledTaps && !unrolled_taps_crash_halide(layer, lanes) ? 1 : 0;
    return {family,
            {{"lanes", lanes},
             {"x_vectors", x_vectors},
             {"y_rows", y_rows},
             {"stage_input", 1},
             {"unroll_taps", unroll},
             {"tasks", default_plane_tasks(layer)}}};
}

bool fits_any_space(const ScheduleChoice &choice, const std::vector<ScheduleSpace> &spaces) {
    return std::any_of(spaces.begin(), spaces.end(), [&](const ScheduleSpace &s) { return fits_space(choice, s); });
}

std::vector<int> channel_chunk_values(int64_t channels, const std::vector<int> &chunks) {
    std::vector<int> values = {0};
    for (int c : chunks) {
        if (c < channels && channels % c == 0) {
            values.push_back(c);
        }
    }
    return values;
}

bool fits_space(const ScheduleChoice &choice, const ScheduleSpace &space) {
    if (choice.family != space.family || choice.params.size() != space.params.size()) {
        return false;
    }
    for (const ParamRange &range : space.params) {
        auto it = choice.params.find(range.name);
        if (it == choice.params.end() ||
            std::find(range.values.begin(), range.values.end(), it->second) == range.values.end()) {
            return false;
        }
    }
    // The flat-pixel family's register tile is tile_vectors of its run, which holds whole tiles.
    if (choice.params.count("tile_vectors") && space.register_budget > 0) {
        return choice.param("x_vectors") % choice.param("tile_vectors") == 0 &&
               direct_tile_fits(choice.param("tile_vectors"), choice.param("tile_k"), space.register_budget);
    }
    if (choice.params.count("tile_k") && space.register_budget > 0) {
        return direct_tile_fits(choice.param("x_vectors"), choice.param("tile_k"), space.register_budget);
    }
    // A depthwise tile's rows take the place of the direct family's output channels.
    if (choice.params.count("y_rows") && choice.params.count("x_vectors") && space.register_budget > 0) {
        return direct_tile_fits(choice.param("x_vectors"), choice.param("y_rows"), space.register_budget);
    }
    if (choice.params.count("k_vectors") && space.register_budget > 0) {
        return blocked_choice_fits(choice, space.register_budget);
    }
    return true;
}

std::vector<ScheduleChoice> register_tile_shapes(const ScheduleChoice &choice, const ScheduleSpace &space) {
    // (channel axis, row axis) of each family's tile, as fits_space counts it.
    const std::pair<const char *, const char *> tile_axes[] = {
        {"tile_k", "tile_vectors"}, {"tile_k", "x_vectors"}, {"y_rows", "x_vectors"}, {"k_vectors", "x_pixels"}};
    auto axes = std::find_if(std::begin(tile_axes), std::end(tile_axes), [&](const auto &a) {
        return choice.params.count(a.first) && choice.params.count(a.second);
    });
    std::vector<ScheduleChoice> shapes;
    if (axes == std::end(tile_axes) || choice.family != space.family) {
        return shapes;
    }
    const auto [across, along] = *axes;
    const int accumulators = choice.param(across) * choice.param(along);
    std::vector<int> widths = space.values(along);
    std::sort(widths.rbegin(), widths.rend());
    for (int channels : space.values(across)) {
        for (int width : widths) {  // widest first
            ScheduleChoice shape = choice;
            shape.params[across] = channels;
            shape.params[along] = width;
            if (channels * width <= accumulators && fits_space(shape, space)) {
                if (!(shape == choice)) {
                    shapes.push_back(shape);
                }
                break;
            }
        }
    }
    return shapes;
}

}  // namespace convc
