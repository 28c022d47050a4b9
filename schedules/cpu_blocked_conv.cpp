#include "schedules/cpu_blocked_conv.h"

#include <algorithm>

#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_parallel_tasks.h"
#include "schedules/tile_overhang.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

// The register tile runs along a row (`along` is x), or down a column (`along` is y) for a
// tall kernel: taps down the column then hit the inputs of neighbouring outputs, which the
// compiler loads once. `across` is the other spatial dimension.
struct TileAxes {
    Var along, across;
    int along_dim, across_dim;  // their dimensions in the output buffer
};

TileAxes tile_axes(const LoweredBlockedConv &lc, const ScheduleChoice &choice) {
    if (choice.param("columns")) {
        return {lc.y, lc.x, 1, 0};
    }
    return {lc.x, lc.y, 0, 1};
}

// Tasks are (channel block, row) pairs: small images have too few rows to share out alone.
// Neighbouring tasks run at the same time, so they must not write neighbouring memory. In
// NCHW they take different channel blocks of one row: neighbouring rows of one channel share
// cache lines (a 28-float row is 112 bytes). In NHWC they take neighbouring rows of one
// channel block: the blocks of one pixel are adjacent (measured on the 24->144 1x1 layer at
// 2 threads on 2026-11-25: 81 GFLOP/s interleaving blocks, 137 taking rows).
// With row_tasks 0 a task is a whole channel block and its rows a plain loop inside it, which
// Halide splits into border and interior rows: the interior reads no boundary condition.
// (With column tiles, "rows" are columns.)
void tile_output(Stage stage, LoweredBlockedConv &lc, const ScheduleChoice &choice, const TileAxes &axes,
                 const Var &to, const Var &task, TailStrategy tail) {
    const int tile_k = choice.param("lanes") * choice.param("k_vectors");
    Var ko("ko"), ki("ki"), ti("ti");
    stage.split(lc.k, ko, ki, tile_k).split(axes.along, to, ti, choice.param("x_pixels"), tail);
    OutputImageParam out = lc.output.output_buffer();
    Expr iterations = (out.dim(2).extent() + (tile_k - 1)) / tile_k * out.dim(3).extent();
    const Var &across = axes.across;
    if (choice.param("stage_rows")) {
        // A task is a row with every channel block inside, so that the row's input, staged
        // once, serves all of them.
        if (lc.channels_last) {
            stage.reorder(ki, ti, to, ko, across, lc.n);
        } else {
            stage.reorder(ti, ki, to, ko, across, lc.n);
        }
        stage.fuse(across, lc.n, task);
        iterations = out.dim(axes.across_dim).extent() * out.dim(3).extent();
    } else if (!choice.param("row_tasks")) {
        if (lc.channels_last) {
            stage.reorder(ki, ti, to, across, ko, lc.n);
        } else {
            stage.reorder(ti, ki, to, across, ko, lc.n);
        }
        stage.fuse(ko, lc.n, task);
    } else if (lc.channels_last) {
        stage.reorder(ki, ti, to, across, lc.n, ko).fuse(across, lc.n, task).fuse(task, ko, task);
        iterations *= out.dim(axes.across_dim).extent();
    } else {
        stage.reorder(ti, ki, to, ko, across, lc.n).fuse(across, lc.n, task).fuse(ko, task, task);
        iterations *= out.dim(axes.across_dim).extent();
    }
    if (lc.channels_last) {
        // Channels are contiguous in the output: store whole channel vectors.
        stage.vectorize(ki, lc.block);
    }
    parallelize_tasks(stage, task, iterations, choice.param("tasks"));
    stage.unroll(ti);
    if (!lc.channels_last) {
        // Each output value is a scalar store into its channel's plane. Unrolled, they come
        // straight from the accumulator registers; in a loop, from a copy of the tile on the
        // stack, indexed at run time. Alternating builds, 2 threads: 1x1 stride 2 292-295 against
        // 318-335 GFLOP/s, 5x5 48->64 325-336 against 367-368.
        stage.unroll(ki);
    }
}

// The two copies of transposed I/O, once per call over the whole tensor, rows in parallel.
// Reading or writing across planes, Halide 14 gathers a vector of channels (fourth session:
// 0.16 ns an element), which a large layer's milliseconds of arithmetic absorb. Each copy is
// a heap buffer of the whole tensor: where glibc hands such buffers back to the system after
// every call, their pages fault in again on the next (3x3 64@56: 35 GFLOP/s at one thread,
// 152 with glibc's trimming turned off), so the tuner, which measures the same way, decides.
void schedule_transposes(LoweredBlockedConv &lc) {
    const int lanes = lc.block;
    Var rows("rows");
    lc.channels_last_input.compute_root()
        .reorder_storage(lc.k, lc.x, lc.y, lc.n)
        .reorder(lc.k, lc.x, lc.y, lc.n)
        .vectorize(lc.k, lanes, TailStrategy::GuardWithIf)
        .fuse(lc.y, lc.n, rows)
        .parallel(rows);
    lc.channels_last_result.compute_root().reorder_storage(lc.k, lc.x, lc.y, lc.n);
    lc.output.reorder(lc.x, lc.y, lc.k, lc.n)
        .vectorize(lc.x, lanes, TailStrategy::GuardWithIf)
        .fuse(lc.k, lc.n, rows)
        .parallel(rows);
}

// A strided 1x1 layer's row, dense: every other input value, which a tile read in place
// from half-used cache lines (and, in NCHW, from a page per channel), copied with
// deinterleaving vector loads. Rows narrower than a vector are copied as they are.
void stage_sampled_rows(LoweredBlockedConv &lc, const Var &task, int tile) {
    Expr width = lc.output.output_buffer().dim(0).extent();
    lc.sampled.compute_at(lc.tiled, task);
    cover_whole_tiles(lc.sampled, lc.x, lc.columns.per_output(), width, tile);
    lc.sampled.specialize(width >= lc.block).vectorize(lc.x, lc.block, TailStrategy::ShiftInwards);
}

// Orders a stage's loops: the register tile innermost, then the reduction over `channels` (the
// input channels, or a chunk of them) and the taps, then `outer`. channels_inner makes each tap
// sweep the channels, a contiguous run of a channels-last pixel, instead of each channel
// visiting every tap.
void order_reduction(Stage update, const LoweredBlockedConv &lc, const ScheduleChoice &choice,
                     std::vector<VarOrRVar> order, const RVar &channels, const std::vector<VarOrRVar> &outer) {
    if (choice.param("channels_inner")) {
        order.insert(order.end(), {channels, lc.r.x, lc.r.y});
    } else {
        order.insert(order.end(), {lc.r.x, lc.r.y, channels});
    }
    order.insert(order.end(), outer.begin(), outer.end());
    update.reorder(order);
    if (choice.param("unroll_taps")) {
        // A column kernel (7x1) has its taps along y: unroll those.
        const int64_t *width = Internal::as_const_int(lc.r.x.extent());
        update.unroll(width && *width == 1 ? lc.r.y : lc.r.x);
    }
}

// The register tile's two unrolled loops, innermost first: the operand of the inner one is
// loaded once and reused by every iteration of the outer, so all of the inner loop's operands
// are live at once beside the sums (a weight vector per channel vector, a broadcast per pixel).
// The smaller loop goes inside (the pixels on a tie). With the pixels inside, a 6-pixel x 2-vector tile kept 6
// broadcasts, 12 sums and a weight live in AVX2's 16 registers and spilled sums to the stack
// in its inner loop: ResNet-50's channels-last 1x1 64->256 ran at 22-24 GFLOP/s (one thread,
// AOT builds, AMD EPYC, 2026-11-28), and at 61-74 with the channel vectors inside.
bool channel_vectors_inside(const ScheduleChoice &choice) {
    return choice.param("k_vectors") < choice.param("x_pixels");
}

std::pair<VarOrRVar, VarOrRVar> register_tile_loops(const LoweredBlockedConv &lc, const ScheduleChoice &choice,
                                                     const VarOrRVar &pixels) {
    if (channel_vectors_inside(choice)) {
        return {lc.kb, pixels};
    }
    return {pixels, lc.kb};
}

// A tile's sums stay in registers for the whole reduction.
void accumulate_per_tile(LoweredBlockedConv &lc, const ScheduleChoice &choice, const TileAxes &axes,
                         const Var &tile_loop) {
    lc.conv.compute_at(lc.tiled, tile_loop)
        .bound_extent(axes.along, choice.param("x_pixels"))
        .vectorize(lc.lane)
        .unroll(axes.along)
        .unroll(lc.kb);
    Stage update = lc.conv.update();
    update.vectorize(lc.lane).unroll(axes.along).unroll(lc.kb);
    auto [inner, outer] = register_tile_loops(lc, choice, axes.along);
    order_reduction(update, lc, choice, {lc.lane, inner, outer}, lc.r.z, {axes.across, lc.n});
}

// A row's sums, in memory, take the input channels a chunk at a time, every tile of the row
// in turn: the chunk's weights (chunk x taps x channel block) then stay in L1 for the whole
// row, where a tile with the whole reduction streams all of the block's weights from L2 once
// per tile. LLVM keeps a tile's sums in registers across its chunk.
void accumulate_rows_in_chunks(LoweredBlockedConv &lc, const ScheduleChoice &choice, const TileAxes &axes,
                               const Var &row) {
    Var tile_index("tile_index"), in_tile("in_tile");
    RVar chunk("chunk"), in_chunk("in_chunk");
    lc.conv.compute_at(lc.tiled, row).vectorize(lc.lane);
    Stage update = lc.conv.update();
    update.split(axes.along, tile_index, in_tile, choice.param("x_pixels"), TailStrategy::GuardWithIf)
        .split(lc.r.z, chunk, in_chunk, choice.param("channel_chunk"))
        .vectorize(lc.lane)
        .unroll(in_tile)
        .unroll(lc.kb);
    auto [inner, outer] = register_tile_loops(lc, choice, in_tile);
    order_reduction(update, lc, choice, {lc.lane, inner, outer}, in_chunk, {tile_index, chunk, axes.across, lc.n});
}

// A parameter the choice has, and not at 0: families' parameter sets differ.
bool param_set(const ScheduleChoice &choice, const char *name) {
    return choice.params.count(name) && choice.param(name);
}

}  // namespace

BlockedConvOptions blocked_conv_options(const ScheduleChoice &choice) {
    BlockedConvOptions options;
    options.transpose_io = param_set(choice, "transpose_io");
    if (param_set(choice, "trim_taps")) {
        options.trim = param_set(choice, "columns") ? TapTrim::Columns : TapTrim::Rows;
    }
    return options;
}

// Staged rows summed in chunks of input channels ran ResNet-50's 1x1 stride-2 layer at 1.3 /
// 0.7 GFLOP/s (two threads / one) on an AMD EPYC, 2026-11-28, against 97 / 48 for the same
// chunks without staged rows and 80-86 / 52-53 for staged rows without chunks: the search
// leaves them out.
bool blocked_choice_fits(const ScheduleChoice &choice, int vector_registers) {
    if (param_set(choice, "stage_rows") && param_set(choice, "channel_chunk")) {
        return false;
    }
    // The sums, the inner loop's operands and one of the outer's (register_tile_loops).
    const int x_pixels = choice.param("x_pixels"), k_vectors = choice.param("k_vectors");
    const int inner_operands = channel_vectors_inside(choice) ? k_vectors : x_pixels;
    return x_pixels * k_vectors + inner_operands + 1 <= vector_registers;
}

void schedule_cpu_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice) {
    const int tile = choice.param("x_pixels");
    const TileAxes axes = tile_axes(lc, choice);
    Var to("xo"), task("task");
    Expr length = lc.output.output_buffer().dim(axes.along_dim).extent();
    tile_output(lc.tiled.specialize(length >= tile), lc, choice, axes, to, task, TailStrategy::ShiftInwards);
    tile_output(lc.tiled, lc, choice, axes, to, task, TailStrategy::GuardWithIf);
    if (lc.transposes_io) {
        schedule_transposes(lc);
    }
    if (choice.param("stage_input")) {
        lc.padded.compute_at(lc.tiled, task);
        cover_whole_tiles(lc.padded, axes.along, axes.along_dim == 0 ? lc.columns : lc.rows, length, tile);
    }
    if (choice.param("stage_rows") && lc.samples_input) {
        stage_sampled_rows(lc, task, tile);
    }
    if (choice.param("channel_chunk") > 0) {
        const Var &row = choice.param("row_tasks") || choice.param("stage_rows") ? task : axes.across;
        accumulate_rows_in_chunks(lc, choice, axes, row);
    } else {
        accumulate_per_tile(lc, choice, axes, to);
    }
}

namespace {

bool tall_kernel(const Layer &layer) {
    return layer.kernel.h > layer.kernel.w;
}


}  // namespace

bool pads_with_zeros(const Layer &layer) {
    return layer.padding_mode == PaddingMode::Zeros && resolved_padding(layer).any();
}

bool strided_pointwise(const Layer &layer) {
    return !layer.channels_last() && layer.kernel.w == 1 && layer.kernel.h == 1 && is_strided(layer);
}

ScheduleSpace cpu_blocked_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> k_vectors;
    int64_t group_out = layer.out_channels / layer.groups;
    for (int v : {1, 2, 3, 4}) {
        if (group_out % (lanes * v) == 0) {
            k_vectors.push_back(v);
        }
    }
    return {family,
            {{"lanes", {lanes}},
             {"x_pixels", {2, 3, 4, 5, 6, 7, 8, 12, 14}},
             {"k_vectors", k_vectors},
             {"stage_input", {0, 1}},
             {"unroll_taps", {0, 1}},
             {"row_tasks", {0, 1}},
             {"channels_inner", {0, 1}},
             {"columns", tall_kernel(layer) ? std::vector<int>{0, 1} : std::vector<int>{0}},
             {"transpose_io", layer.channels_last() ? std::vector<int>{0} : std::vector<int>{0, 1}},
             {"stage_rows", strided_pointwise(layer) ? std::vector<int>{0, 1} : std::vector<int>{0}},
             {"trim_taps", pads_with_zeros(layer) ? std::vector<int>{0, 1} : std::vector<int>{0}},
             {"channel_chunk", channel_chunk_values(layer.in_channels / layer.groups, {4, 8, 16})},
             {"tasks", parallel_task_counts()}},
            registers};
}

ScheduleChoice cpu_blocked_choice(const std::string &family, int lanes, int x_pixels, int k_vectors,
                                  const Layer &layer) {
    int64_t group_out = layer.out_channels / layer.groups;
    while (k_vectors > 1 && group_out % (lanes * k_vectors) != 0) {
        k_vectors--;
    }
    return {family,
            {{"lanes", lanes},
             {"x_pixels", x_pixels},
             {"k_vectors", k_vectors},
             {"stage_input", 1},
             {"unroll_taps", 0},
             {"row_tasks", 1},
             {"channels_inner", 0},
             {"columns", 0},
             {"transpose_io", 0},
             {"stage_rows", 0},
             {"trim_taps", 0},
             {"channel_chunk", 0},
             {"tasks", default_parallel_tasks(layer, lanes)}}};
}

}  // namespace convc
