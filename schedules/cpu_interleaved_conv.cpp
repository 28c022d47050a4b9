#include "schedules/cpu_interleaved_conv.h"

#include "schedules/cpu_parallel_tasks.h"
#include "schedules/tile_overhang.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

int group_vectors(const Layer &layer, int lanes) {
    return static_cast<int>(layer.out_channels / layer.groups) / (lanes / kInterleavedGroups);
}

// Accumulators, the chunk's weight vectors and the broadcast input.
bool tile_fits(int x_pixels, int vectors, int registers) {
    return x_pixels * vectors + vectors + 1 <= registers;
}

// A task is a chunk of channels. Channels-last, a chunk of 16 floats is one 64-byte line of
// each pixel, so two tasks running at once on neighbouring chunks write the two halves of
// 128-byte line pairs (the likely cause of what follows; not isolated). At 2 threads, side by
// side over three runs, ResNeXt's 4-channel groups at 56x56 (8 chunks) ran at 87-249 GFLOP/s
// in a task per chunk (mostly near 100) and at 183-265 in 4 tasks of 2 chunks. Chunks of 32
// channels or more are whole pairs.
constexpr int kChannelsPerLinePair = 32;

int default_chunk_tasks(const Layer &layer, int lanes) {
    int tasks = default_parallel_tasks(layer, lanes);
    const int64_t chunk = kInterleavedGroups * (layer.out_channels / layer.groups);
    if (layer.channels_last() && chunk < kChannelsPerLinePair && tasks != 1) {
        return 4;
    }
    return tasks;
}

}  // namespace

namespace {

// A task is one chunk of one image: its rows, then register tiles of tile_x pixels along them.
// An NCHW tile is stored a row vector per output channel, which LLVM builds from the tile's
// registers with shuffles: stored as channel vectors, as channels-last, each vector went out
// a lane at a time (vextractps took a fifth of ResNeXt's 4-channel groups at 56x56). Side by
// side, 4-pixel tiles of that layer on AVX2: 48.7-50.8 / 84.5-88.3 GFLOP/s (one thread / two)
// against 38.1-46.8 / 65.0-79.4.
void tile_output(LoweredInterleavedConv &lc, const ScheduleChoice &choice, const Var &task, const Var &xo) {
    const int tile_x = choice.param("x_pixels");
    Var ko("ko"), ki("ki"), xi("xi");
    OutputImageParam out = lc.output.output_buffer();
    Expr iterations = (out.dim(2).extent() / lc.chunk) * out.dim(3).extent();
    auto tile = [&](Stage stage, TailStrategy x_tail) {
        stage.split(lc.k, ko, ki, lc.chunk).split(lc.x, xo, xi, tile_x, x_tail);
        if (lc.channels_last) {
            stage.reorder(ki, xi, xo, lc.y, ko, lc.n).vectorize(ki, lc.lanes).unroll(ki).unroll(xi);
        } else {
            stage.reorder(xi, ki, xo, lc.y, ko, lc.n).vectorize(xi).unroll(ki);
        }
        stage.fuse(ko, lc.n, task);
        parallelize_tasks(stage, task, iterations, choice.param("tasks"));
    };
    tile_rows_by_width(lc.output, tile_x, tile);
}

// Stored for the whole task and computed a row at a time: the rows slide, each packed once.
// Vectorized over both the groups and the channels, a pixel's packing is one dense load and a
// shuffle.
void pack_input_rows(LoweredInterleavedConv &lc, const Var &task, int tile_x) {
    cover_whole_tiles_sliding(lc.packed_input, lc.x, lc.columns, lc.output.output_buffer().dim(0).extent(), tile_x);
    lc.packed_input.store_at(lc.output, task)
        .compute_at(lc.output, lc.y)
        .bound_extent(lc.j, kInterleavedGroups)
        .bound_extent(lc.rz, lc.group_in)
        .vectorize(lc.j)
        .vectorize(lc.rz);
}

// Each (o, v, j) writes a channel of its own, which Halide cannot prove of the computed index:
// without allow_race_conditions it would refuse to vectorize the update.
void unpack_tile(LoweredInterleavedConv &lc, const Var &xo) {
    lc.unpacked.compute_at(lc.output, xo).bound_extent(lc.channel, lc.chunk);
    const RDom &u = lc.r_unpack;
    lc.unpacked.update().allow_race_conditions().vectorize(u.x).vectorize(u.y).vectorize(u.z);
}

// The x taps unrolled inside a channel loop: neighbouring pixels share each loaded broadcast.
// With the channels unrolled too the compiler kept every broadcast of a window row live and
// spilled; stand-alone, 8 channels a group, one thread: 186-191 GFLOP/s this way in 7-pixel
// tiles against 136-167 with channels unrolled (4 or 7 pixels).
void accumulate_in_registers(LoweredInterleavedConv &lc, int tile_x, const Var &xo) {
    const int per_vector = lc.lanes / kInterleavedGroups;
    lc.conv.compute_at(lc.output, xo)
        .bound_extent(lc.j, kInterleavedGroups)
        .bound_extent(lc.o, per_vector)
        .bound_extent(lc.v, lc.group_vectors)
        .bound_extent(lc.x, tile_x)
        .vectorize(lc.j)
        .vectorize(lc.o)
        .unroll(lc.v)
        .unroll(lc.x);
    lc.conv.update()
        .reorder(lc.j, lc.o, lc.v, lc.x, lc.r.x, lc.r.z, lc.r.y)
        .vectorize(lc.j)
        .vectorize(lc.o)
        .unroll(lc.v)
        .unroll(lc.x)
        .unroll(lc.r.x);
}

}  // namespace

void schedule_cpu_interleaved_conv(LoweredInterleavedConv &lc, const ScheduleChoice &choice) {
    Var task("task"), xo("xo");
    tile_output(lc, choice, task, xo);
    pack_input_rows(lc, task, choice.param("x_pixels"));
    unpack_tile(lc, xo);
    accumulate_in_registers(lc, choice.param("x_pixels"), xo);
}

bool cpu_interleaved_applies(const Layer &layer, int lanes, int registers) {
    return interleaved_layout_applies(layer, lanes) && tile_fits(2, group_vectors(layer, lanes), registers);
}

// NCHW, side by side, one / two threads: ResNeXt's 8 channels a group at 28x28 ran at 114-115 /
// 205-211 GFLOP/s against 66-68 / 129-133 for the direct default; 4 a group at 56x56 at 78 / 148
// against 116-118 / 177-183. With 8-lane vectors (AVX2) the direct family's tile of 6 output
// channels spans one and a half groups: on an AMD EPYC (Zen 3), 4 a group at 56x56, side by side,
// 81.5 / 44.0 GFLOP/s (2 threads / 1) against the direct default's 55.3 / 27.4.
bool cpu_interleaved_preferred(const Layer &layer, int lanes) {
    return layer.channels_last() || layer.out_channels / layer.groups >= 8 || lanes == 8;
}

ScheduleSpace cpu_interleaved_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    const int vectors = group_vectors(layer, lanes);
    std::vector<int> x_pixels;
    for (int x : {2, 4, 6, 7, 8, 14}) {
        if (tile_fits(x, vectors, registers)) {
            x_pixels.push_back(x);
        }
    }
    return {family, {{"lanes", {lanes}}, {"x_pixels", x_pixels}, {"tasks", parallel_task_counts()}}, registers};
}

// Of the tiles that fit, the one that least overshoots the output row (ties: the first), from
// 7, 4, 6, 8 pixels when a chunk takes 2 or more vectors and 14, 7, 8 when it takes one.
// Stand-alone on ResNeXt-50's channels-last layers, one thread: 8 channels a group at 28 wide,
// 7 pixels 190-191 GFLOP/s, 6 172-175, 8 164-165, 14 161; 4 a group at 56 wide, 14 pixels
// 159-161, 8 150-151, 7 132.
ScheduleChoice cpu_interleaved_choice(const std::string &family, int lanes, int registers, const Layer &layer) {
    const int vectors = group_vectors(layer, lanes);
    const std::vector<int> preferred = vectors > 1 ? std::vector<int>{7, 4, 6, 8} : std::vector<int>{14, 7, 8};
    const int64_t width = layer.input_shape ? output_shape(layer, *layer.input_shape)[3] : 0;
    int best = 2;
    int64_t best_waste = -1;
    for (int x : preferred) {
        int64_t waste = width > 0 ? (width + x - 1) / x * x - width : 0;
        if (tile_fits(x, vectors, registers) && (best_waste < 0 || waste < best_waste)) {
            best = x;
            best_waste = waste;
        }
    }
    return {family, {{"lanes", lanes}, {"x_pixels", best}, {"tasks", default_chunk_tasks(layer, lanes)}}};
}

}  // namespace convc
