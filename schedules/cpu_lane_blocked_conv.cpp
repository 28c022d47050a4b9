#include "schedules/cpu_lane_blocked_conv.h"

#include "schedules/cpu_depthwise_conv.h"
#include "schedules/cpu_parallel_tasks.h"
#include "schedules/tile_overhang.h"
#include "schedules/unrolled_taps.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

// The task loop fuses channel blocks of `channels_per_task`, strips of `strip_rows` rows and
// the batch: this many iterations.
Expr task_iterations(LoweredBlockedConv &lc, int channels_per_task, Expr strip_rows) {
    OutputImageParam out = lc.output.output_buffer();
    Expr blocks = (out.dim(2).extent() + (channels_per_task - 1)) / channels_per_task;
    Expr strips = (out.dim(1).extent() + strip_rows - 1) / strip_rows;
    return blocks * strips * out.dim(3).extent();
}

void write_back_rows(Stage stage, LoweredBlockedConv &lc, const ScheduleChoice &choice, Expr strip_rows,
                     TailStrategy x_tail) {
    const int channels_per_task = choice.param("lanes") * choice.param("k_vectors");
    Var ko("ko"), ki("ki"), yo("yo"), yi("yi"), task("task");
    stage.split(lc.k, ko, ki, channels_per_task).split(lc.y, yo, yi, strip_rows);
    if (lc.channels_last) {
        // Channels are contiguous in the output too: no transposition, whole channel vectors.
        stage.reorder(ki, lc.x, yi, yo, ko, lc.n).vectorize(ki, lc.block);
    } else {
        stage.reorder(lc.x, ki, yi, yo, ko, lc.n).vectorize(lc.x, choice.param("store_lanes"), x_tail);
    }
    stage.fuse(yo, ko, task).fuse(task, lc.n, task);
    parallelize_tasks(stage, task, task_iterations(lc, channels_per_task, strip_rows), choice.param("tasks"));
}

// One row of channel vectors in a buffer, written back to the output row by row.
void schedule_row_buffer(LoweredBlockedConv &lc, const ScheduleChoice &choice, Expr strip_rows) {
    const int lanes = choice.param("lanes");
    const int store_lanes = choice.param("store_lanes");
    Expr width = lc.output.output_buffer().dim(0).extent();
    tile_rows_by_width(lc.output, store_lanes, [&](Stage stage, TailStrategy x_tail) {
        write_back_rows(stage, lc, choice, strip_rows, x_tail);
    });

    // Rows of padded input packed channel-innermost; storage folds to the window's height
    // as the rows slide. Channels-last input is already in that order: the taps may read it
    // in place (pack_input 0), paying the boundary condition per tap instead of a copy.
    Var task("task"), yi("yi");
    if (choice.param("pack_input")) {
        lc.padded.store_at(lc.output, task).compute_at(lc.output, yi).reorder_storage(lc.k, lc.x, lc.y, lc.n);
        cover_whole_tiles_sliding(lc.padded, lc.x, lc.columns, width, choice.param("x_pixels"));
        lc.padded.reorder(lc.k, lc.x, lc.y, lc.n).vectorize(lc.k, lanes, TailStrategy::GuardWithIf);
    }

    // One output row of channel vectors, in register tiles of x_pixels pixels.
    Var xo("xo"), xi("xi");
    lc.conv.compute_at(lc.output, yi).vectorize(lc.lane);
    // The update's tiles round the row up: its initial values must cover them too.
    cover_whole_tiles(lc.conv, lc.x, lc.columns.per_output(), width, choice.param("x_pixels"));
    Stage update = lc.conv.update();
    update.split(lc.x, xo, xi, choice.param("x_pixels"), TailStrategy::RoundUp)
        .reorder(lc.lane, xi, lc.kb, lc.r.x, lc.r.y, lc.r.z, xo, lc.y, lc.n)
        .vectorize(lc.lane)
        .unroll(xi)
        .unroll(lc.kb)
        .unroll(lc.r.x);
    if (unrolls_window_rows(choice.param("x_pixels") * choice.param("k_vectors"), lc.r)) {
        update.unroll(lc.r.y);
    }
}

// Channels-last: the accumulators of a tile of x_pixels by k_vectors channel vectors stay in
// registers and are stored straight to the output, with no row buffer. The channel block is
// the outermost loop of a task so that its input stays in L1 while the rows pass: on
// MobileNetV2's 384-channel 14x14 layer, one thread, a 7-pixel tile ran at 100 GFLOP/s with rows
// outermost and 196-208 with blocks outermost (stand-alone Halide experiment, docs/performance.md).
void schedule_register_tiles(LoweredBlockedConv &lc, const ScheduleChoice &choice, Expr strip_rows) {
    const int lanes = choice.param("lanes");
    const int tile_x = choice.param("x_pixels");
    const int channels_per_task = lanes * choice.param("k_vectors");
    const bool strips = choice.param("row_strips") > 1;
    Expr iterations = task_iterations(lc, channels_per_task, strip_rows);  // one strip: all rows
    Var ko("ko"), ki("ki"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), task("task");
    auto tile = [&](Stage stage, TailStrategy x_tail) {
        stage.split(lc.k, ko, ki, channels_per_task)
            .split(lc.x, xo, xi, tile_x, x_tail)
            .reorder(ki, xi, xo, lc.y, ko, lc.n)
            .vectorize(ki, lanes)
            .unroll(ki)
            .unroll(xi);
        // A constant row loop when a task takes whole channel blocks: a guarded strip split
        // cost a third of the speed on the 384-channel 14x14 layer.
        if (strips) {
            stage.split(lc.y, yo, yi, strip_rows).reorder(ki, xi, xo, yi, yo, ko, lc.n).fuse(yo, ko, task);
        } else {
            stage.rename(ko, task);
        }
        stage.fuse(task, lc.n, task);
        parallelize_tasks(stage, task, iterations, choice.param("tasks"));
    };
    Expr width = lc.output.output_buffer().dim(0).extent();
    tile_rows_by_width(lc.output, tile_x, tile);

    if (choice.param("pack_input")) {
        cover_whole_tiles(lc.padded, lc.x, lc.columns, width, tile_x);
        lc.padded.compute_at(lc.output, task)
            .reorder(lc.k, lc.x, lc.y, lc.n)
            .vectorize(lc.k, lanes, TailStrategy::GuardWithIf);
    }
    lc.conv.compute_at(lc.output, xo).bound_extent(lc.x, tile_x).vectorize(lc.lane).unroll(lc.x).unroll(lc.kb);
    Stage update = lc.conv.update();
    update.reorder(lc.lane, lc.x, lc.kb, lc.r.x, lc.r.y, lc.r.z)
        .vectorize(lc.lane)
        .unroll(lc.x)
        .unroll(lc.kb)
        .unroll(lc.r.x);
    if (unrolls_window_rows(tile_x * choice.param("k_vectors"), lc.r)) {
        update.unroll(lc.r.y);
    }
}

int64_t output_width(const Layer &layer) {
    return layer.input_shape ? output_shape(layer, *layer.input_shape)[3] : 0;
}

// AVX2 (8 lanes, 16 registers): a tile of 8 accumulators, as 2 vectors by 4 pixels, else 4 by 2,
// the first whose vectors divide the channels and whose pixels divide the output row; else 1
// vector by 7 or 8 pixels. On an AMD EPYC (Zen 3), side by side against 1 by 7-8, 2 threads / 1:
// MobileNetV2's 32@112 2x4 1.32x / 1.59x; 144@56 stride 2 2x4 1.29x / 1.24x; 384@14 4x2 1.60x /
// 1.67x (2x4 1.35x / 1.39x); 960@7, 7 pixels a row, 2x4 0.84x / 0.83x and 4x2 0.40x / 0.40x.
void eight_lane_depthwise_tile(ScheduleChoice &c, const Layer &layer) {
    const int64_t width = output_width(layer);
    const int64_t blocks = layer.out_channels / 8;
    for (auto [k_vectors, x_pixels] : {std::pair{2, 4}, std::pair{4, 2}}) {
        if (width > 0 && width % x_pixels == 0 && blocks % k_vectors == 0) {
            c.params["k_vectors"] = k_vectors;
            c.params["x_pixels"] = x_pixels;
            return;
        }
    }
}

// AVX-512: 2 vectors by 2 pixels where the row splits into pairs and the layer into 8 or more
// blocks of 2 vectors, else the caller's tile. Side by side on an AMD EPYC (Zen 5), `compare`,
// 2 threads / 1, against 1 vector by 7 pixels: 384@14 1.46-1.55x / 1.48-1.55x (2 x 7 1.19-1.35x),
// 576@14 1.12x / 1.14x, 960@14 1.25x / 1.10x, 384@28 1.05x / 1.55x. The tuner chose 2 x 2 for
// 384@14 on that host and on the AVX2 Zen 3; the Intel hosts' entries kept 1 x 7 (not measured
// against 2 x 2). With fewer blocks the second thread runs short of tasks: 96@56 (3 blocks) ran
// 0.51-0.66x at two threads in three runs of four, 192@28 (6 blocks) 0.86-0.95x.
void sixteen_lane_depthwise_tile(ScheduleChoice &c, const Layer &layer) {
    constexpr int64_t kLeastBlocks = 8;
    const int64_t width = output_width(layer);
    const int64_t images = layer.input_shape ? (*layer.input_shape)[0] : 1;
    const int64_t two_vectors = 32;
    const int64_t blocks = layer.out_channels / two_vectors * images;
    if (layer.stride.w == 1 && width > 0 && width % 2 == 0 && layer.out_channels % two_vectors == 0 &&
        blocks >= kLeastBlocks) {
        c.params["k_vectors"] = 2;
        c.params["x_pixels"] = 2;
    }
}

}  // namespace

void schedule_cpu_lane_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice) {
    Expr height = lc.output.output_buffer().dim(1).extent();
    const int strips = choice.param("row_strips");
    Expr strip_rows = max((height + strips - 1) / strips, 1);
    if (choice.param("register_tile")) {
        schedule_register_tiles(lc, choice, strip_rows);
    } else {
        schedule_row_buffer(lc, choice, strip_rows);
    }
}

ScheduleSpace cpu_lane_blocked_space(const std::string &family, int lanes, int registers, const Layer &layer) {
    std::vector<int> k_vectors;
    for (int v : {1, 2, 4}) {
        if (layer.out_channels % (lanes * v) == 0) {
            k_vectors.push_back(v);
        }
    }
    // Channels-last output is written as whole channel vectors: store_lanes does not apply.
    bool channels_last = layer.channels_last();
    return {family,
            {{"lanes", {lanes}},
             {"x_pixels", {2, 4, 7, 8, 14}},
             {"k_vectors", k_vectors},
             {"row_strips", {1, 2, 4}},
             {"store_lanes", channels_last ? std::vector<int>{lanes} : std::vector<int>{4, 8, 16}},
             {"pack_input", channels_last ? std::vector<int>{0, 1} : std::vector<int>{1}},
             {"register_tile", channels_last ? std::vector<int>{0, 1} : std::vector<int>{0}},
             {"tasks", parallel_task_counts()}},
            registers};
}

ScheduleChoice cpu_lane_blocked_choice(const std::string &family, int lanes, const Layer &layer) {
    int64_t width = output_width(layer);
    ScheduleChoice c{family,
                     {{"lanes", lanes},
                      {"x_pixels", 14},
                      {"k_vectors", 1},
                      {"row_strips", 1},
                      {"store_lanes", lanes},
                      {"pack_input", 1},
                      {"register_tile", 0},
                      {"tasks", default_parallel_tasks(layer, lanes)}}};
    if (layer.channels_last() && is_depthwise(layer)) {
        // Channels-last MobileNetV2 depthwise layers, side by side at one thread: register tiles
        // of 7 or 8 pixels beat the row buffer by 1.3-3.5x; 32 channels (two cache lines a
        // pixel) ran at 110-128 GFLOP/s with both vectors in one tile and 66-74 with one.
        c.params["register_tile"] = 1;
        c.params["pack_input"] = 0;
        c.params["x_pixels"] = width > 0 && width % 7 != 0 ? 8 : 7;
        c.params["k_vectors"] = layer.out_channels == 2 * lanes ? 2 : 1;
        if (lanes == 8) {
            eight_lane_depthwise_tile(c, layer);
        } else if (lanes == 16) {
            sixteen_lane_depthwise_tile(c, layer);
        }
        // A task is one channel block over a strip of rows: a single block (32 channels in one
        // tile) in a single strip left a second thread idle. MobileNetV2's 112x112 layer, side by
        // side at 2 threads: 2 strips 169-180 GFLOP/s, 1 strip 122-124, 4 strips 90-95 (their
        // guarded boundaries cost more than the third and fourth task gain).
        int64_t images = layer.input_shape ? (*layer.input_shape)[0] : 1;
        int64_t blocks = layer.out_channels / (lanes * c.params["k_vectors"]);
        c.params["row_strips"] = blocks * images < 2 ? 2 : 1;
        // An input that outgrows a core's L2 pays for a few tasks even below the dense serial
        // line. MobileNetV2's stride-2 144-channel layer (1.0 M multiply-adds,
        // 1.8 MB of input) at 2 threads, side by side: 12.6 GFLOP/s serially, 26.1 in 4 tasks,
        // 14.5 in 16; the tuner chose 4 tasks for it on both hosts it was tuned on.
        if (c.params["tasks"] == 1 && input_outgrows_core_cache(layer)) {
            c.params["tasks"] = 4;
        }
    } else if (layer.channels_last()) {
        // Narrow groups keep the row buffer: its packed rows hold each lane's group channels
        // contiguously. 2 pixels by up to 4 vectors in two strips of rows: the tile the first
        // NHWC tuning run picked most often.
        int k_vectors = 4;
        while (k_vectors > 1 && layer.out_channels % (lanes * k_vectors) != 0) {
            k_vectors /= 2;
        }
        c.params["x_pixels"] = 2;
        c.params["k_vectors"] = k_vectors;
        c.params["row_strips"] = 2;
    } else {
        // Measured on MobileNetV2's 14x14 and 7x7 layers: a register tile as wide as the row,
        // written back to NCHW as wide as it allows.
        c.params["x_pixels"] = width > 0 && width <= 8 ? 8 : 14;
        int store_lanes = lanes;
        while (width > 0 && store_lanes > 4 && width < store_lanes) {
            store_lanes /= 2;
        }
        c.params["store_lanes"] = store_lanes;
        // Packing NCHW input per lane makes a layer several times slower per multiply-add than
        // a dense one, so it pays to share out below the dense serial line, but only in a few
        // tasks. MobileNetV2's 960-channel 7x7 layer (0.42 M multiply-adds) at 2 threads, side by
        // side: 28-29 GFLOP/s serially, 34-36 in 4 tasks, 26 in 16, 21 in a task per block; the
        // tuner chose 4 tasks for it in two sessions.
        c.params["tasks"] = default_plane_tasks(layer);
    }
    return c;
}

}  // namespace convc
