#include "lower/conv2d_blocked.h"

#include "lower/conv2d_interleaved.h"
#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

void constrain_packed_weight(const Layer &layer, int block, OutputImageParam packed_weight) {
    Shape4 w = weight_shape(layer);
    auto i = [](int64_t v) { return static_cast<int>(v); };
    constrain_dense(packed_weight, {block, i(w[3]), i(w[2]), i(w[1]), i(w[0] / block)}, {0, 1, 2, 3, 4});
}

std::vector<Argument> LoweredBlockedConv::arguments() const {
    return layer_arguments(input, packed_weight, bias);
}

bool blocked_layout_applies(const Layer &layer, int block) {
    return block > 0 && (layer.out_channels / layer.groups) % block == 0;
}

bool lane_blocked_layout_applies(const Layer &layer, int block) {
    int64_t group_out = layer.out_channels / layer.groups;
    return block > 0 && layer.out_channels % block == 0 && group_out < block && block % group_out == 0;
}

namespace {

// Restricts the reduction to the taps inside the input along one axis. Halide turns these
// bounds into the loop's own, so the skipped taps cost nothing.
void trim_taps(LoweredBlockedConv &lc, const Layer &layer, TapTrim trim) {
    if (trim == TapTrim::None || layer.padding_mode != PaddingMode::Zeros) {
        return;
    }
    if (trim == TapTrim::Rows) {
        Expr iy = input_y(layer, lc.y, lc.r.y);
        lc.r.where(iy >= 0 && iy < lc.input.dim(1).extent());
    } else {
        Expr ix = input_x(layer, lc.x, lc.r.x);
        lc.r.where(ix >= 0 && ix < lc.input.dim(0).extent());
    }
}

}  // namespace

LoweredBlockedConv lower_blocked_conv2d(const Layer &layer, int block, const BlockedConvOptions &options) {
    LoweredBlockedConv lc;
    lc.block = block;
    lc.columns = column_span(layer);
    lc.rows = row_span(layer);
    lc.transposes_io = options.transpose_io && !layer.channels_last();
    lc.channels_last = layer.channels_last() || lc.transposes_io;
    lc.input = ImageParam(Float(32), 4, "input");
    lc.packed_weight = ImageParam(Float(32), 5, "packed_weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.padded = Func("padded");
    lc.conv = Func("conv");
    lc.output = Func(layer.name);

    if (lc.transposes_io) {
        lc.channels_last_input = Func("channels_last_input");
        lc.channels_last_input(lc.x, lc.y, lc.k, lc.n) = lc.input(lc.x, lc.y, lc.k, lc.n);
        lc.padded(lc.x, lc.y, lc.k, lc.n) = layer_input(lc.channels_last_input, lc.input, layer)(lc.x, lc.y, lc.k, lc.n);
    } else {
        lc.padded(lc.x, lc.y, lc.k, lc.n) = layer_input(lc.input, layer)(lc.x, lc.y, lc.k, lc.n);
    }

    const int group_in = static_cast<int>(layer.in_channels / layer.groups);
    const int group_out = static_cast<int>(layer.out_channels / layer.groups);
    lc.r = RDom(0, static_cast<int>(layer.kernel.w), 0, static_cast<int>(layer.kernel.h), 0, group_in, "r");
    const Var &lane = lc.lane, &x = lc.x, &y = lc.y, &kb = lc.kb, &n = lc.n;
    trim_taps(lc, layer, options.trim);
    const RDom &r = lc.r;

    // When a block lies inside one group every lane reads the same input channel (one
    // broadcast per tap); otherwise (depthwise, small groups) each lane reads its group's.
    Expr in_channel = group_out % block == 0 ? (kb / (group_out / block)) * group_in + r.z
                                             : ((kb * block + lane) / group_out) * group_in + r.z;

    lc.samples_input = samples_input(layer);
    Expr tap_input;
    if (lc.samples_input) {
        lc.sampled = sampled_input(layer, lc.padded);
        tap_input = lc.sampled(x, y, in_channel, n);
    } else {
        tap_input = lc.padded(input_x(layer, x, r.x), input_y(layer, y, r.y), in_channel, n);
    }
    lc.conv(lane, x, y, kb, n) = layer.bias ? lc.bias(kb * block + lane) : 0.0f;
    lc.conv(lane, x, y, kb, n) += lc.packed_weight(lane, r.x, r.y, r.z, kb) * tap_input;
    if (lc.transposes_io) {
        lc.channels_last_result = Func("channels_last_result");
        lc.channels_last_result(x, y, lc.k, n) = lc.conv(lc.k % block, x, y, lc.k / block, n);
        lc.output(x, y, lc.k, n) = lc.channels_last_result(x, y, lc.k, n);
        lc.tiled = lc.channels_last_result;
    } else {
        lc.output(x, y, lc.k, n) = lc.conv(lc.k % block, x, y, lc.k / block, n);
        lc.tiled = lc.output;
    }

    constrain_packed_weight(layer, block, lc.packed_weight);
    constrain_layer_io(layer, lc.input, lc.bias, lc.output.output_buffer());
    return lc;
}

LoweredWeightPack lower_weight_pack(const Layer &layer, int block, WeightLaneOrder order) {
    LoweredWeightPack p;
    p.weight = ImageParam(Float(32), 4, "weight");
    p.packed = Func("packed_weight");
    Var lane("lane"), kx("kx"), ky("ky"), c("c"), kb("kb");
    Expr k = order == WeightLaneOrder::GroupInterleaved ? interleaved_output_channel(layer, block, lane, kb)
                                                        : kb * block + lane;
    p.packed(lane, kx, ky, c, kb) = p.weight(kx, ky, c, k);
    constrain_weight(layer, p.weight);
    constrain_packed_weight(layer, block, p.packed.output_buffer());
    // A one-time copy: the channel-block loop outermost, the 16 lanes gathered from strided rows.
    p.packed.reorder(lane, kx, ky, c, kb).parallel(kb);
    return p;
}

}  // namespace convc
