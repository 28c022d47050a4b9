#include "schedules/cpu_flat_pixel_conv.h"

#include <algorithm>
#include <vector>

#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_direct_conv.h"
#include "schedules/cpu_parallel_tasks.h"

namespace convc {

using namespace Halide;

namespace {

constexpr int kMaxRunVectors = 16;

// Runs of whole rows that are whole vectors, no taller than the image, whose accumulators for
// one output channel fit the registers.
std::vector<int> run_vector_counts(const Layer &layer, int lanes, int registers) {
    const int width = static_cast<int>(layer.input_shape->at(3));
    const int height = static_cast<int>(layer.input_shape->at(2));
    std::vector<int> counts;
    for (int vectors = 1; vectors <= kMaxRunVectors; vectors++) {
        const int run = vectors * lanes;
        if (run % width == 0 && run / width <= height && direct_tile_fits(vectors, 1, registers)) {
            counts.push_back(vectors);
        }
    }
    return counts;
}

std::vector<int> channel_tiles(const Layer &layer) {
    std::vector<int> tiles;
    for (int t : {1, 2, 3, 4, 6, 8}) {
        if (t <= layer.out_channels) {
            tiles.push_back(t);
        }
    }
    return tiles;
}

// A row narrower than a vector is stored in the widest power of two that it holds.
int row_store_lanes(int width, int lanes) {
    int store = lanes;
    while (store > width) {
        store /= 2;
    }
    return store;
}

// Every loop over the tile unrolls, so that LLVM keeps its accumulators in registers across
// the loop over input channels.
void accumulate_per_channel_tile(LoweredFlatPixelConv &lc, const Var &ko, int lanes) {
    Var jv("jv"), jl("jl");
    lc.conv.compute_at(lc.output, ko);
    lc.conv.split(lc.j, jv, jl, lanes).vectorize(jl).unroll(jv).unroll(lc.k);
    lc.conv.update()
        .split(lc.j, jv, jl, lanes)
        .reorder(jl, jv, lc.k, lc.r.x, lc.n)
        .vectorize(jl)
        .unroll(jv)
        .unroll(lc.k);
}

// The row tile's sums for every output channel, in memory, updated a chunk of input channels
// at a time: each channel tile then reads the chunk's strip of the staged run from L1, where
// the whole strip only fits L2. LLVM still keeps a channel tile's sums in registers across
// the chunk. The last channel tile is guarded: an update's default, rounding up, would read
// weights past the last output channel.
void accumulate_in_chunks(LoweredFlatPixelConv &lc, const Var &row_tile, int lanes, int tile_k, int chunk) {
    Var jv("jv"), jl("jl"), kt("kt"), kti("kti");
    RVar ro("ro"), ri("ri");
    lc.conv.compute_at(lc.output, row_tile);
    lc.conv.split(lc.j, jv, jl, lanes).vectorize(jl);
    lc.conv.update()
        .split(lc.r.x, ro, ri, chunk)
        .split(lc.k, kt, kti, tile_k, TailStrategy::GuardWithIf)
        .split(lc.j, jv, jl, lanes)
        .reorder(jl, jv, kti, ri, kt, ro, lc.n)
        .vectorize(jl)
        .unroll(jv)
        .unroll(kti);
}

}  // namespace

bool flat_pixels_fits(const Layer &layer, int lanes, int registers) {
    return flat_pixels_applies(layer) && !run_vector_counts(layer, lanes, registers).empty();
}

void schedule_cpu_flat_pixel_conv(LoweredFlatPixelConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    const int tile_k = choice.param("tile_k");
    const int run = choice.param("x_vectors") * lanes;
    const int rows = run / lc.width;
    OutputImageParam out = lc.output.output_buffer();
    Var yo("yo"), yi("yi"), ko("ko"), ki("ki"), task("task"), iteration("iteration");
    // The last row tile and channel tile are shifted back over their neighbours, which
    // recomputes a few values instead of guarding. A tile is stored row by row, the row's last
    // vector shifted back too: stored as the flat run, the vector that straddles two rows
    // became a scatter (Halide 14 does not fold (j / W) * W + j % W for vectors).
    lc.output.split(lc.y, yo, yi, rows, TailStrategy::ShiftInwards)
        .split(lc.k, ko, ki, tile_k, TailStrategy::ShiftInwards)
        .vectorize(lc.x, row_store_lanes(lc.width, lanes))
        .unroll(lc.x)
        .unroll(yi)
        .unroll(ki)
        .reorder(lc.x, yi, ki, ko, yo, lc.n)
        .fuse(yo, lc.n, task);

    Expr tiles = (out.dim(1).extent() + rows - 1) / rows * out.dim(3).extent();
    parallelize_task_iterations(lc.output, task, iteration, tiles, choice.param("tasks"));

    // The tile's rows of every input channel, copied to one run: read in place, a channel
    // tile's loads spread over as many pages as there are input channels, and the rows stay
    // farther apart than L1 holds them (ResNet-50's 1x1 64->256 at 56x56, one thread, side by
    // side: 97 GFLOP/s in place, 117 staged; the direct family's staged row tile 112).
    if (choice.param("stage_input")) {
        lc.pixels.compute_at(lc.output, iteration).vectorize(lc.pixels.args()[0], lanes);
    }

    if (choice.param("channel_chunk") > 0) {
        accumulate_in_chunks(lc, iteration, lanes, tile_k, choice.param("channel_chunk"));
    } else {
        accumulate_per_channel_tile(lc, ko, lanes);
    }
}

ScheduleSpace cpu_flat_pixel_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    return {family,
            {{"lanes", {lanes}},
             {"x_vectors", run_vector_counts(layer, lanes, registers)},
             {"tile_k", channel_tiles(layer)},
             {"stage_input", {0, 1}},
             {"channel_chunk", channel_chunk_values(layer.in_channels, {16, 32, 64})},
             {"tasks", parallel_task_counts()}},
            registers};
}

// Staging pays where a row tile's strip of every input channel, read in place, would fill more
// than half of L1 (32 KB on the Skylake-SP host). Side by side, one thread / two, 7 vectors by 3
// channels: 64->256 at 56x56 (28 KB) 117 staged against 97 in place; 24->144 (11 KB) 103 / 192
// staged against 108 / 206 in place; 32->256 (14 KB) 108 against 108, 16->256 93 against 89.
constexpr int kInPlaceStripBytes = 16 * 1024;

// Side by side, one thread / two, on ResNet-50's 1x1 layers: chunks of 64 input channels ran
// 1.02-1.08x / 1.01-1.09x of the whole reduction on the five with 128-1024 input channels. With
// 64 (one chunk: the sums only move to memory) 64->256 at 28x28 ran 0.84x / 0.80x.
constexpr int kChunkedChannels = 64;

// The shortest run of at least 4 vectors (the direct family's row tile), with the most output
// channels that fit beside it.
ScheduleChoice cpu_flat_pixel_choice(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> runs = run_vector_counts(layer, lanes, registers);
    int vectors = runs.empty() ? 1 : runs.back();
    for (int v : runs) {
        if (v >= 4) {
            vectors = v;
            break;
        }
    }
    int tile_k = 1;
    for (int t : channel_tiles(layer)) {
        if (direct_tile_fits(vectors, t, registers)) {
            tile_k = t;
        }
    }
    return {family,
            {{"lanes", lanes},
             {"x_vectors", vectors},
             {"tile_k", tile_k},
             {"stage_input", vectors * lanes * 4 * layer.in_channels > kInPlaceStripBytes ? 1 : 0},
             {"channel_chunk", layer.in_channels > kChunkedChannels && layer.in_channels % kChunkedChannels == 0
                                   ? kChunkedChannels
                                   : 0},
             {"tasks", default_row_tasks(layer)}}};
}

}  // namespace convc
