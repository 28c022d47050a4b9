#include "schedules/cpu_flat_plane_conv.h"

#include <algorithm>
#include <vector>

#include "schedules/cpu_parallel_tasks.h"
#include "schedules/unrolled_taps.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

int vectors_per_plane(int plane_size, int lanes) {
    return (plane_size + lanes - 1) / lanes;
}

int vectors_per_run(int plane_size, int lanes, int chunks) {
    return (vectors_per_plane(plane_size, lanes) + chunks - 1) / chunks;
}

// The output plane, the run's length (as wide as the input plane).
int plane_size(const Layer &layer) {
    Shape4 out = output_shape(layer, *layer.input_shape);
    return static_cast<int>(out[2] * out[3]);
}

// Chunk counts whose run of accumulators, the loaded tap and the broadcast weight fit the
// register file.
std::vector<int> chunk_counts(const Layer &layer, int lanes, int registers) {
    std::vector<int> counts;
    int vectors = vectors_per_plane(plane_size(layer), lanes);
    for (int c : {1, 2, 3, 4, 7}) {
        if (c <= vectors && vectors_per_run(plane_size(layer), lanes, c) + 2 <= registers) {
            counts.push_back(c);
        }
    }
    return counts;
}

std::vector<int> channel_blocks(const Layer &layer) {
    std::vector<int> blocks;
    for (int b : {4, 8, 16}) {
        if (layer.out_channels % b == 0) {
            blocks.push_back(b);
        }
    }
    return blocks;
}

// The run's vectors are fixed in number, so its loops unroll into registers; lanes past
// the plane's end compute values nothing stores.
void accumulate_runs(LoweredFlatPlaneConv &lc, Func conv, const ScheduleChoice &choice, const Var &channel) {
    const int lanes = choice.param("lanes");
    const int vectors = vectors_per_run(lc.output_plane_size, lanes, choice.param("chunks"));
    const int run = vectors * lanes;
    const int runs = (lc.output_plane_size + run - 1) / run;
    Var jo("jo"), jv("jv"), jl("jl");
    conv.compute_at(lc.output, channel).bound_extent(lc.j, runs * run).vectorize(lc.j, lanes);
    Stage update = conv.update();
    update.split(lc.j, jo, jv, run).split(jv, jv, jl, lanes).reorder(jl, jv, lc.r.x, lc.r.y, jo).vectorize(jl);
    update.unroll(jv).unroll(lc.r.x);
    if (unrolls_window_rows(vectors, lc.r)) {
        update.unroll(lc.r.y);
    }
}

}  // namespace

bool flat_plane_fits(const Layer &layer, int lanes, int registers) {
    return flat_plane_applies(layer, lanes) && !chunk_counts(layer, lanes, registers).empty() &&
           !channel_blocks(layer).empty();
}

void schedule_cpu_flat_plane_conv(LoweredFlatPlaneConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    OutputImageParam out = lc.output.output_buffer();
    Var xy("xy"), kb("kb"), ki("ki"), task("task"), iteration("iteration");
    // The output plane is stored as the flat run it is: x and y fuse into consecutive
    // memory. The run's remainder is stored element by element: a last vector shifted back
    // over its neighbour loads the accumulators across two of their stores, which the CPU
    // cannot forward (960-channel 7x7 layer, one thread, three runs side by side: 67-70
    // GFLOP/s against 57-59; the 14x14 layer 58-60 against 53-59).
    lc.output.fuse(lc.x, lc.y, xy)
        .vectorize(xy, lanes, TailStrategy::GuardWithIf)
        .split(lc.k, kb, ki, lc.block)
        .reorder(xy, ki, kb, lc.n)
        .fuse(kb, lc.n, task);
    Expr blocks = out.dim(2).extent() / lc.block * out.dim(3).extent();
    parallelize_task_iterations(lc.output, task, iteration, blocks, choice.param("tasks"));

    lc.staged.compute_at(lc.output, iteration).vectorize(lc.i, lanes, TailStrategy::RoundUp);
    lc.staged.update().vectorize(lc.copy.x, lanes, TailStrategy::GuardWithIf);

    accumulate_runs(lc, lc.conv, choice, ki);
    accumulate_runs(lc, lc.conv_in_place, choice, ki);
}

ScheduleSpace cpu_flat_plane_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    return {family,
            {{"lanes", {lanes}},
             {"chunks", chunk_counts(layer, lanes, registers)},
             {"block", channel_blocks(layer)},
             {"tasks", parallel_task_counts()}},
            registers};
}

// The whole plane in one run where it fits; 8 channels staged at a time (the stand-alone
// experiment of 2026-11-26 on the 7x7 and 14x14 layers: 8, 16 and 32 within the noise, one
// channel at a time 1.2-1.4x slower).
ScheduleChoice cpu_flat_plane_choice(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> chunks = chunk_counts(layer, lanes, registers), blocks = channel_blocks(layer);
    int block = blocks.empty() ? 8 : blocks.front();
    for (int b : blocks) {
        if (b <= 8) {
            block = b;
        }
    }
    return {family,
            {{"lanes", lanes},
             {"chunks", chunks.empty() ? 1 : chunks.front()},
             {"block", block},
             // A few tasks of channel blocks: at 2 threads, side by side, the 384-channel 14x14
             // layer ran at 79 GFLOP/s in 4 tasks, 66 in 16 and 44 in a task per block of 8
             // channels; the 960-channel 7x7 one at 76, 55 and 22 (57 serially).
             {"tasks", default_plane_tasks(layer)}}};
}

}  // namespace convc
