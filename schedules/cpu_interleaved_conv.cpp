#include "schedules/cpu_interleaved_conv.h"

#include "schedules/cpu_parallel_tasks.h"

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

}  // namespace

void schedule_cpu_interleaved_conv(LoweredInterleavedConv &lc, const ScheduleChoice &choice) {
    const int tile_x = choice.param("x_pixels");
    Var ko("ko"), ki("ki"), xo("xo"), xi("xi"), task("task");
    OutputImageParam out = lc.output.output_buffer();
    Expr iterations = (out.dim(2).extent() / lc.chunk) * out.dim(3).extent();
    auto tile = [&](Stage stage, TailStrategy x_tail) {
        stage.split(lc.k, ko, ki, lc.chunk)
            .split(lc.x, xo, xi, tile_x, x_tail)
            .reorder(ki, xi, xo, lc.y, ko, lc.n)
            .vectorize(ki, lc.lanes)
            .unroll(ki)
            .unroll(xi)
            .fuse(ko, lc.n, task);
        parallelize_tasks(stage, task, iterations, choice.param("tasks"));
    };
    Expr width = out.dim(0).extent();
    tile(lc.output.specialize(width >= tile_x), TailStrategy::ShiftInwards);
    tile(lc.output, TailStrategy::GuardWithIf);

    // Stored for the whole task and computed a row at a time: the rows slide, each packed once.
    // Vectorized over both the groups and the channels, a pixel's packing is one dense load and
    // a shuffle.
    lc.packed_input.store_at(lc.output, task)
        .compute_at(lc.output, lc.y)
        .bound_extent(lc.j, kInterleavedGroups)
        .bound_extent(lc.rz, lc.group_in)
        .vectorize(lc.j)
        .vectorize(lc.rz);

    lc.unpacked.compute_at(lc.output, xo).bound_extent(lc.channel, lc.chunk);
    const RDom &u = lc.r_unpack;
    lc.unpacked.update().allow_race_conditions().vectorize(u.x).vectorize(u.y).vectorize(u.z);

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
        .reorder(lc.j, lc.o, lc.v, lc.x, lc.r.z, lc.r.x, lc.r.y)
        .vectorize(lc.j)
        .vectorize(lc.o)
        .unroll(lc.v)
        .unroll(lc.x)
        .unroll(lc.r.x)
        .unroll(lc.r.z);
}

bool cpu_interleaved_applies(const Layer &layer, int lanes, int registers) {
    return interleaved_layout_applies(layer, lanes) && tile_fits(2, group_vectors(layer, lanes), registers);
}

ScheduleSpace cpu_interleaved_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    const int vectors = group_vectors(layer, lanes);
    std::vector<int> x_pixels;
    for (int x : {2, 4, 6, 7, 8}) {
        if (tile_fits(x, vectors, registers)) {
            x_pixels.push_back(x);
        }
    }
    return {family, {{"lanes", {lanes}}, {"x_pixels", x_pixels}, {"tasks", parallel_task_counts()}}, registers};
}

// Measured stand-alone on ResNeXt-50's layers, channels-last, one thread: 8 channels per group
// (2 vectors a chunk) ran at 143-161 GFLOP/s in 4-pixel tiles and 126-147 in 7 or 8; 4 per
// group (1 vector) 98 in 4-pixel tiles and 107-147 in 7. Fewer registers: the widest tile up
// to those that fits.
ScheduleChoice cpu_interleaved_choice(const std::string &family, int lanes, int registers, const Layer &layer) {
    const int vectors = group_vectors(layer, lanes);
    int x_pixels = vectors > 1 ? 4 : 7;
    while (x_pixels > 2 && !tile_fits(x_pixels, vectors, registers)) {
        x_pixels--;
    }
    return {family, {{"lanes", lanes}, {"x_pixels", x_pixels}, {"tasks", default_parallel_tasks(layer, lanes)}}};
}

}  // namespace convc
