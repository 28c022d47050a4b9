#include "schedules/cpu_lane_blocked_conv.h"


#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

void write_back_rows(Stage stage, LoweredBlockedConv &lc, const Var &task, const Var &yo, const Var &yi,
                     const Var &ko, const Var &ki, Expr strip_rows, int channels_per_task, int store_lanes,
                     TailStrategy x_tail) {
    stage.split(lc.k, ko, ki, channels_per_task).split(lc.y, yo, yi, strip_rows);
    if (lc.channels_last) {
        // Channels are contiguous in the output too: no transposition, whole channel vectors.
        stage.reorder(ki, lc.x, yi, yo, ko, lc.n).vectorize(ki, lc.block);
    } else {
        stage.reorder(lc.x, ki, yi, yo, ko, lc.n).vectorize(lc.x, store_lanes, x_tail);
    }
    stage.fuse(yo, ko, task).fuse(task, lc.n, task).parallel(task);
}

int64_t output_width(const Layer &layer) {
    return layer.input_shape ? output_shape(layer, *layer.input_shape)[3] : 0;
}

}  // namespace

void schedule_cpu_lane_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice) {
    const int lanes = choice.param("lanes");
    const int tile_x = choice.param("x_pixels");
    const int k_vectors = choice.param("k_vectors");
    const int strips = choice.param("row_strips");
    const int store_lanes = choice.param("store_lanes");
    Var ko("ko"), ki("ki"), yo("yo"), yi("yi"), task("task");

    Expr width = lc.output.output_buffer().dim(0).extent();
    Expr height = lc.output.output_buffer().dim(1).extent();
    Expr strip_rows = max((height + strips - 1) / strips, 1);
    write_back_rows(lc.output.specialize(width >= store_lanes), lc, task, yo, yi, ko, ki, strip_rows,
                    lanes * k_vectors, store_lanes, TailStrategy::ShiftInwards);
    write_back_rows(lc.output, lc, task, yo, yi, ko, ki, strip_rows, lanes * k_vectors, store_lanes,
                    TailStrategy::GuardWithIf);

    // Rows of padded input packed channel-innermost; storage folds to the window's height
    // as the rows slide. Channels-last input is already in that order: the taps may read it
    // in place (pack_input 0), paying the boundary condition per tap instead of a copy.
    if (choice.param("pack_input")) {
        lc.padded.store_at(lc.output, task).compute_at(lc.output, yi).reorder_storage(lc.k, lc.x, lc.y, lc.n);
        lc.padded.reorder(lc.k, lc.x, lc.y, lc.n).vectorize(lc.k, lanes, TailStrategy::GuardWithIf);
    }

    // One output row of channel vectors, in register tiles of tile_x pixels.
    Var xo("xo"), xi("xi");
    lc.conv.compute_at(lc.output, yi).vectorize(lc.lane);
    Stage update = lc.conv.update();
    update.split(lc.x, xo, xi, tile_x, TailStrategy::RoundUp)
        .reorder(lc.lane, xi, lc.kb, lc.r.x, lc.r.y, lc.r.z, xo, lc.y, lc.n)
        .vectorize(lc.lane)
        .unroll(xi)
        .unroll(lc.kb)
        .unroll(lc.r.x)
        .unroll(lc.r.y);
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
             {"pack_input", channels_last ? std::vector<int>{0, 1} : std::vector<int>{1}}},
            registers};
}

ScheduleChoice cpu_lane_blocked_choice(const std::string &family, int lanes, const Layer &layer) {
    int64_t width = output_width(layer);
    int store_lanes = lanes;
    while (!layer.channels_last() && width > 0 && store_lanes > 4 && width < store_lanes) {
        store_lanes /= 2;
    }
    if (layer.channels_last()) {
        // Channels-last MobileNetV2 layers, first tuning run: 2 pixels won on three of the four
        // layers, with 1 to 4 channel vectors and one or two strips of rows per block.
        int k_vectors = 4;
        while (k_vectors > 1 && layer.out_channels % (lanes * k_vectors) != 0) {
            k_vectors /= 2;
        }
        return {family,
                {{"lanes", lanes},
                 {"x_pixels", 2},
                 {"k_vectors", k_vectors},
                 {"row_strips", 2},
                 {"store_lanes", lanes},
                 {"pack_input", 1}}};
    }
    // Measured on MobileNetV2's 14x14 and 7x7 layers: a register tile as wide as the row.
    int x_pixels = width > 0 && width <= 8 ? 8 : 14;
    return {family,
            {{"lanes", lanes},
             {"x_pixels", x_pixels},
             {"k_vectors", 1},
             {"row_strips", 1},
             {"store_lanes", store_lanes},
             {"pack_input", 1}}};
}

}  // namespace convc
