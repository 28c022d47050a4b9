#include "lower/conv2d_blocked.h"

#include "lower/padding.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

void constrain_blocked_shapes(const Layer &layer, LoweredBlockedConv &lc) {
    Shape4 w = weight_shape(layer);
    auto i = [](int64_t v) { return static_cast<int>(v); };
    lc.packed_weight.dim(0).set_bounds(0, lc.block).dim(1).set_bounds(0, i(w[3])).dim(2).set_bounds(0, i(w[2]));
    lc.packed_weight.dim(3).set_bounds(0, i(w[1])).dim(4).set_bounds(0, i(w[0] / lc.block));
    if (layer.bias) {
        lc.bias.dim(0).set_bounds(0, i(layer.out_channels));
    }
    lc.input.dim(0).set_min(0).dim(1).set_min(0).dim(2).set_bounds(0, i(layer.in_channels)).dim(3).set_min(0);
    OutputImageParam out = lc.output.output_buffer();
    out.dim(0).set_min(0).dim(1).set_min(0).dim(2).set_bounds(0, i(layer.out_channels)).dim(3).set_min(0);
    if (layer.input_shape) {
        const Shape4 &in = *layer.input_shape;
        Shape4 o = output_shape(layer, in);
        lc.input.dim(0).set_extent(i(in[3])).dim(1).set_extent(i(in[2])).dim(3).set_extent(i(in[0]));
        out.dim(0).set_extent(i(o[3])).dim(1).set_extent(i(o[2])).dim(3).set_extent(i(o[0]));
    }
}

}  // namespace

std::vector<Argument> LoweredBlockedConv::arguments() const {
    std::vector<Argument> args = {input, packed_weight};
    if (bias.defined()) {
        args.push_back(bias);
    }
    return args;
}

bool blocked_layout_applies(const Layer &layer, int block) {
    return block > 0 && (layer.out_channels / layer.groups) % block == 0;
}

LoweredBlockedConv lower_blocked_conv2d(const Layer &layer, int block) {
    LoweredBlockedConv lc;
    lc.block = block;
    lc.input = ImageParam(Float(32), 4, "input");
    lc.packed_weight = ImageParam(Float(32), 5, "packed_weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.padded = Func("padded");
    lc.conv = Func("conv");
    lc.output = Func(layer.name);

    // As in lower_conv2d: reads are clamped even without padding, so tiles may overhang.
    Padding pad = resolved_padding(layer);
    PaddingMode mode = pad.any() ? layer.padding_mode : PaddingMode::Replicate;
    lc.padded(lc.x, lc.y, lc.k, lc.n) = padded_input(lc.input, mode)(lc.x, lc.y, lc.k, lc.n);

    const int group_in = static_cast<int>(layer.in_channels / layer.groups);
    const int blocks_per_group = static_cast<int>(layer.out_channels / layer.groups / block);
    lc.r = RDom(0, static_cast<int>(layer.kernel.w), 0, static_cast<int>(layer.kernel.h), 0, group_in, "r");
    const Var &lane = lc.lane, &x = lc.x, &y = lc.y, &kb = lc.kb, &n = lc.n;
    const RDom &r = lc.r;

    Expr in_channel = (kb / blocks_per_group) * group_in + r.z;
    Expr in_x = x * static_cast<int>(layer.stride.w) + r.x * static_cast<int>(layer.dilation.w) - static_cast<int>(pad.left);
    Expr in_y = y * static_cast<int>(layer.stride.h) + r.y * static_cast<int>(layer.dilation.h) - static_cast<int>(pad.top);

    lc.conv(lane, x, y, kb, n) = layer.bias ? lc.bias(kb * block + lane) : 0.0f;
    lc.conv(lane, x, y, kb, n) += lc.packed_weight(lane, r.x, r.y, r.z, kb) * lc.padded(in_x, in_y, in_channel, n);
    lc.output(x, y, lc.k, n) = lc.conv(lc.k % block, x, y, lc.k / block, n);

    constrain_blocked_shapes(layer, lc);
    return lc;
}

LoweredWeightPack lower_weight_pack(const Layer &layer, int block) {
    LoweredWeightPack p;
    p.weight = ImageParam(Float(32), 4, "weight");
    p.packed = Func("packed_weight");
    Var lane("lane"), kx("kx"), ky("ky"), c("c"), kb("kb");
    p.packed(lane, kx, ky, c, kb) = p.weight(kx, ky, c, kb * block + lane);
    Shape4 w = weight_shape(layer);
    auto i = [](int64_t v) { return static_cast<int>(v); };
    p.weight.dim(0).set_bounds(0, i(w[3])).dim(1).set_bounds(0, i(w[2])).dim(2).set_bounds(0, i(w[1]));
    p.weight.dim(3).set_bounds(0, i(w[0]));
    p.packed.output_buffer().dim(0).set_bounds(0, block).dim(1).set_bounds(0, i(w[3])).dim(2).set_bounds(0, i(w[2]));
    p.packed.output_buffer().dim(3).set_bounds(0, i(w[1])).dim(4).set_bounds(0, i(w[0] / block));
    // A one-time copy: the channel-block loop outermost, the 16 lanes gathered from strided rows.
    p.packed.reorder(lane, kx, ky, c, kb).parallel(kb);
    return p;
}

}  // namespace convc
