#include "schedules/cpu_flat_pixel_conv.h"

#include <algorithm>
#include <vector>

#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_direct_conv.h"
#include "schedules/cpu_parallel_tasks.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

constexpr int kMaxRunVectors = 16;

struct OutputPlane {
    int width = 0, height = 0;
};

OutputPlane output_plane(const Layer &layer) {
    const Shape4 out = output_shape(layer, *layer.input_shape);
    return {static_cast<int>(out[3]), static_cast<int>(out[2])};
}

// Runs of whole output rows that are whole vectors, no taller than the image.
std::vector<int> whole_row_runs(const Layer &layer, int lanes) {
    const OutputPlane plane = output_plane(layer);
    std::vector<int> counts;
    for (int vectors = 1; vectors <= kMaxRunVectors; vectors++) {
        const int run = vectors * lanes;
        if (run % plane.width == 0 && run / plane.width <= plane.height) {
            counts.push_back(vectors);
        }
    }
    return counts;
}

// The runs of the schedule space: where runs cross rows, any run of whole vectors the plane
// holds.
std::vector<int> run_vector_counts(const Layer &layer, int lanes) {
    if (!flat_pixel_plane_runs(layer)) {
        return whole_row_runs(layer, lanes);
    }
    const OutputPlane plane = output_plane(layer);
    std::vector<int> counts;
    for (int vectors = 1; vectors <= kMaxRunVectors && vectors * lanes <= plane.width * plane.height; vectors++) {
        counts.push_back(vectors);
    }
    return counts;
}

// Register tiles' widths that whole-vector runs divide and that fit beside one output channel.
std::vector<int> register_tile_widths(const std::vector<int> &runs, int registers) {
    std::vector<int> widths;
    for (int vectors = 1; vectors <= kMaxRunVectors; vectors++) {
        bool divides = std::any_of(runs.begin(), runs.end(), [&](int run) { return run % vectors == 0; });
        if (divides && direct_tile_fits(vectors, 1, registers)) {
            widths.push_back(vectors);
        }
    }
    return widths;
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

// The most output channels (0 for none) whose tile fits beside `width` vectors.
int most_channels_beside(const Layer &layer, int width, int registers) {
    int channels = 0;
    for (int t : channel_tiles(layer)) {
        if (direct_tile_fits(width, t, registers)) {
            channels = t;
        }
    }
    return channels;
}

// A row narrower than a vector is stored in the widest power of two that it holds.
int row_store_lanes(int width, int lanes) {
    int store = lanes;
    while (store > width) {
        store /= 2;
    }
    return store;
}

// The run's register tiles, tile_vectors vectors each, take turns (jt) over every input
// channel. Every loop over a tile unrolls, so that LLVM keeps its accumulators in registers
// across the loop over input channels.
void accumulate_per_channel_tile(LoweredFlatPixelConv &lc, const Var &ko, int lanes, int tile_vectors) {
    Var jt("jt"), jv("jv"), jl("jl");
    lc.conv.compute_at(lc.output, ko);
    lc.conv.split(lc.j, jv, jl, lanes).vectorize(jl).unroll(jv).unroll(lc.k);
    lc.conv.update()
        .split(lc.j, jt, jv, lanes * tile_vectors)
        .split(jv, jv, jl, lanes)
        .reorder(jl, jv, lc.k, lc.r.x, jt, lc.n)
        .vectorize(jl)
        .unroll(jv)
        .unroll(lc.k);
}

// The row tile's sums for every output channel, in memory, updated a chunk of input channels
// at a time: each channel tile then reads the chunk's strip of the staged run from L1, where
// the whole strip only fits L2. LLVM still keeps a register tile's sums in registers across
// the chunk. The last channel tile is guarded: an update's default, rounding up, would read
// weights past the last output channel.
void accumulate_in_chunks(LoweredFlatPixelConv &lc, const VarOrRVar &row_tile, int lanes, int tile_vectors,
                          int tile_k, int chunk) {
    Var jt("jt"), jv("jv"), jl("jl"), kt("kt"), kti("kti");
    RVar ro("ro"), ri("ri");
    lc.conv.compute_at(LoopLevel(lc.output, row_tile));
    lc.conv.split(lc.j, jv, jl, lanes).vectorize(jl);
    lc.conv.update()
        .split(lc.r.x, ro, ri, chunk)
        .split(lc.k, kt, kti, tile_k, TailStrategy::GuardWithIf)
        .split(lc.j, jt, jv, lanes * tile_vectors)
        .split(jv, jv, jl, lanes)
        .reorder(jl, jv, kti, ri, jt, kt, ro, lc.n)
        .vectorize(jl)
        .unroll(jv)
        .unroll(kti);
}

// A task's row tile of samples, copied row by row: a row's run of samples is a strided
// vector of the input, which the flat index would make a gather. The rows start at multiples
// of the width (tiles are whole rows), so the split puts each column at its own lane.
void stage_pixels(LoweredFlatPixelConv &lc, const VarOrRVar &iteration, int lanes) {
    Var j = lc.pixels.args()[0];
    lc.pixels.compute_at(LoopLevel(lc.output, iteration));
    if (lc.strided) {
        Var row("row"), column("column");
        lc.pixels.split(j, row, column, lc.width).vectorize(column, row_store_lanes(lc.width, lanes));
    } else {
        lc.pixels.vectorize(j, lanes);
    }
}

// The output's tiling as the rest of the schedule sees it: the stage that holds its loops,
// the loops inside the loop over channel tiles (ko), innermost first, and the number of
// iterations of the task loop.
struct OutputTiles {
    Stage stage;
    std::vector<VarOrRVar> inside_ko;
    Expr count;
};

// Row tiles of x_vectors vectors (whole rows) by tile_k channels. The last row tile and
// channel tile are shifted back over their neighbours, which recomputes a few values instead
// of guarding. A tile is stored row by row, the row's last vector shifted back too: a pure
// definition stored as the flat run made the vector that straddles two rows a scatter.
OutputTiles tile_output_rows(LoweredFlatPixelConv &lc, const ScheduleChoice &choice, const Var &ko,
                             const VarOrRVar &task) {
    const int lanes = choice.param("lanes");
    const int rows = choice.param("x_vectors") * lanes / lc.width;
    OutputImageParam out = lc.output.output_buffer();
    Var yo("yo"), yi("yi"), ki("ki");
    lc.output.split(lc.y, yo, yi, rows, TailStrategy::ShiftInwards)
        .split(lc.k, ko, ki, choice.param("tile_k"), TailStrategy::ShiftInwards)
        .vectorize(lc.x, row_store_lanes(lc.width, lanes))
        .unroll(lc.x)
        .unroll(yi)
        .unroll(ki)
        .reorder(lc.x, yi, ki, ko, yo, lc.n)
        .fuse(yo, lc.n, task);
    return {lc.output, {lc.x, yi, ki}, (out.dim(1).extent() + rows - 1) / rows * out.dim(3).extent()};
}

// Runs of x_vectors vectors anywhere in the flat plane (the output's update, one iteration of
// plane.y a run) by tile_k channels, the last channel tile guarded (an update cannot shift a
// tile back). Every p writes its own (p % Q, p / Q), but for the last run's overlap, written
// twice with the same values, which Halide cannot prove: the race it fears is harmless.
OutputTiles tile_output_plane(LoweredFlatPixelConv &lc, const ScheduleChoice &choice, const Var &ko,
                              const VarOrRVar &task) {
    const int lanes = choice.param("lanes");
    OutputImageParam out = lc.output.output_buffer();
    RVar pixel(lc.plane.x), run(lc.plane.y), pv("pv"), pl("pl");
    Var ki("ki");
    Stage plane = lc.output.update();
    plane.allow_race_conditions()
        .split(pixel, pv, pl, lanes)
        .split(lc.k, ko, ki, choice.param("tile_k"), TailStrategy::GuardWithIf)
        .vectorize(pl)
        .unroll(pv)
        .unroll(ki)
        .reorder(pl, pv, ki, ko, run, lc.n)
        .fuse(run, lc.n, task);
    return {plane, {pl, pv, ki}, lc.plane.y.extent() * out.dim(3).extent()};
}

}  // namespace

bool flat_pixel_plane_runs(const Layer &layer) {
    return flat_pixels_applies(layer) && !is_strided(layer);
}

int flat_pixel_plane_run(const Layer &layer, const ScheduleChoice &choice) {
    return flat_pixel_plane_runs(layer) ? choice.param("x_vectors") * choice.param("lanes") : 0;
}

bool flat_pixels_fits(const Layer &layer, int lanes) {
    return flat_pixels_applies(layer) && !run_vector_counts(layer, lanes).empty();
}

void schedule_cpu_flat_pixel_conv(LoweredFlatPixelConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    const int tile_k = choice.param("tile_k");
    OutputImageParam out = lc.output.output_buffer();
    Var ko("ko"), block("block");
    // In the plane's update the task loop holds its reduction variable, and is one itself.
    VarOrRVar task("task", lc.plane_runs), iteration("iteration", lc.plane_runs);
    OutputTiles tiles =
        lc.plane_runs ? tile_output_plane(lc, choice, ko, task) : tile_output_rows(lc, choice, ko, task);
    // Blocks of channel tiles, outermost, make more task iterations of less work each: two
    // threads share 7 row tiles 4 to 3, 14 (row tile, block) pairs 7 to 7.
    const int blocks = choice.param("channel_blocks");
    if (blocks > 1) {
        Expr channel_tiles = (out.dim(2).extent() + tile_k - 1) / tile_k;
        std::vector<VarOrRVar> order = tiles.inside_ko;
        order.insert(order.end(), {ko, task, block});
        tiles.stage.split(ko, block, ko, (channel_tiles + blocks - 1) / blocks, TailStrategy::GuardWithIf)
            .reorder(order)
            .fuse(task, block, task);
        tiles.count *= blocks;
    }
    parallelize_task_iterations(tiles.stage, task, iteration, tiles.count, choice.param("tasks"));

    // The run's pixels of every input channel, copied to one run: read in place, a channel
    // tile's loads spread over as many pages as there are input channels, and the rows stay
    // farther apart than L1 holds them (ResNet-50's 1x1 64->256 at 56x56, one thread, side by
    // side: 97 GFLOP/s in place, 117 staged; the direct family's staged row tile 112).
    if (choice.param("stage_input")) {
        stage_pixels(lc, iteration, lanes);
    }

    const int tile_vectors = choice.param("tile_vectors");
    if (choice.param("channel_chunk") > 0) {
        accumulate_in_chunks(lc, iteration, lanes, tile_vectors, tile_k, choice.param("channel_chunk"));
    } else {
        accumulate_per_channel_tile(lc, ko, lanes, tile_vectors);
    }
}

ScheduleSpace cpu_flat_pixel_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    const std::vector<int> runs = run_vector_counts(layer, lanes);
    return {family,
            {{"lanes", {lanes}},
             {"x_vectors", runs},
             {"tile_vectors", register_tile_widths(runs, registers)},
             {"tile_k", channel_tiles(layer)},
             {"stage_input", is_strided(layer) ? std::vector<int>{1} : std::vector<int>{0, 1}},
             {"channel_chunk", channel_chunk_values(layer.in_channels, {16, 32, 64})},
             {"channel_blocks", {1, 2, 4}},
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

namespace {

// The register tile and the run it takes: the tile that feeds the most multiply-adds from
// each load (tile_vectors x tile_k over tile_vectors + tile_k).
struct RunTile {
    int vectors = 1, tile_vectors = 1, tile_k = 1;
    double per_load = 0;
};

// Over runs of whole rows of at least 4 vectors (the direct family's row tile) where there are
// such runs, the shortest first, then the widest tile. AVX-512's 32 registers take a whole
// 7-vector run by 3 channels; AVX2's 16 take a 14-vector run in tiles of 2 vectors by 6
// channels, where a whole run would leave registers for one channel.
RunTile best_whole_row_tile(const Layer &layer, int lanes, int registers) {
    std::vector<int> runs = whole_row_runs(layer, lanes);
    if (std::any_of(runs.begin(), runs.end(), [](int v) { return v >= 4; })) {
        runs.erase(std::remove_if(runs.begin(), runs.end(), [](int v) { return v < 4; }), runs.end());
    }
    RunTile best;
    best.vectors = best.tile_vectors = runs.empty() ? 1 : runs.front();
    for (int run : runs) {
        for (int width = run; width >= 1; width--) {
            const int channels = run % width == 0 ? most_channels_beside(layer, width, registers) : 0;
            const double per_load = static_cast<double>(width * channels) / (width + channels);
            if (channels > 0 && per_load > best.per_load) {
                best = {run, width, channels, per_load};
            }
        }
    }
    return best;
}

// Where runs cross rows, a run that is one register tile, as the direct family's, but with
// none of its waste: AVX2's 3 x 4 over runs of 24 pixels of a 56 x 56 plane computes 3144
// pixels for 3136, where row tiles compute 72 columns of every 56. Only planes that such runs
// cover with at most 2% to spare (the last run's overlap): 28 x 28 and up.
constexpr double kMostPlaneSpare = 0.02;

RunTile best_plane_tile(const Layer &layer, int lanes, int registers) {
    const OutputPlane plane = output_plane(layer);
    const int pixels = plane.width * plane.height;
    RunTile best;
    for (int run : run_vector_counts(layer, lanes)) {
        const int runs = (pixels + run * lanes - 1) / (run * lanes);
        const int channels = most_channels_beside(layer, run, registers);
        const double per_load = static_cast<double>(run * channels) / (run + channels);
        if (channels > 0 && runs * run * lanes <= pixels * (1 + kMostPlaneSpare) && per_load > best.per_load) {
            best = {run, run, channels, per_load};
        }
    }
    return best;
}

}  // namespace

// The whole-row choice where its run is its register tile over 2 or more channels (AVX-512,
// as before runs crossed rows); else, where runs cross rows, a run that is one tile.
ScheduleChoice cpu_flat_pixel_choice(const std::string &family, int lanes, int registers, const Layer &layer) {
    RunTile tile = best_whole_row_tile(layer, lanes, registers);
    bool crosses_rows = false;
    if (flat_pixel_plane_runs(layer) && !run_is_one_channel_tile(tile.vectors, tile.tile_vectors, tile.tile_k)) {
        const RunTile plane = best_plane_tile(layer, lanes, registers);
        if (plane.per_load > 0) {
            tile = plane;
            crosses_rows = true;
        }
    }
    // A run across rows is staged whatever its strip: AVX2's 3 x 4 over 1x1 64->256 at 56x56
    // (a 6 KB strip) ran 143.4 / 68.0 GFLOP/s staged against 134.4 / 62.4 in place (two
    // threads / one, medians of 8 rounds; in place it also spread 38-81 at one thread).
    const bool stage =
        is_strided(layer) || crosses_rows || tile.vectors * lanes * 4 * layer.in_channels > kInPlaceStripBytes;
    return {family,
            {{"lanes", lanes},
             {"x_vectors", tile.vectors},
             {"tile_vectors", tile.tile_vectors},
             {"tile_k", tile.tile_k},
             {"stage_input", stage ? 1 : 0},
             {"channel_chunk", layer.in_channels > kChunkedChannels && layer.in_channels % kChunkedChannels == 0
                                   ? kChunkedChannels
                                   : 0},
             {"channel_blocks", 1},
             {"tasks", default_row_tasks(layer)}}};
}

bool run_is_one_channel_tile(int run_vectors, int tile_vectors, int tile_k) {
    return tile_vectors == run_vectors && tile_k > 1;
}

bool run_is_one_channel_tile(const ScheduleChoice &choice) {
    return run_is_one_channel_tile(choice.param("x_vectors"), choice.param("tile_vectors"), choice.param("tile_k"));
}

}  // namespace convc
