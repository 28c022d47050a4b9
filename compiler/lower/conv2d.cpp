#include "lower/conv2d.h"

#include "lower/padding.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

// Shapes the layer fixes become constraints: bounds checks at the call, constants for the compiler.
void constrain_shapes(const Layer &layer, LoweredConv &lc) {
    Shape4 w = weight_shape(layer);
    lc.weight.dim(0).set_bounds(0, static_cast<int>(w[3]));
    lc.weight.dim(1).set_bounds(0, static_cast<int>(w[2]));
    lc.weight.dim(2).set_bounds(0, static_cast<int>(w[1]));
    lc.weight.dim(3).set_bounds(0, static_cast<int>(w[0]));
    if (layer.bias) {
        lc.bias.dim(0).set_bounds(0, static_cast<int>(layer.out_channels));
    }
    lc.input.dim(0).set_min(0);
    lc.input.dim(1).set_min(0);
    lc.input.dim(2).set_bounds(0, static_cast<int>(layer.in_channels));
    lc.input.dim(3).set_min(0);
    OutputImageParam out = lc.output.output_buffer();
    out.dim(0).set_min(0);
    out.dim(1).set_min(0);
    out.dim(2).set_bounds(0, static_cast<int>(layer.out_channels));
    out.dim(3).set_min(0);
    if (layer.input_shape) {
        const Shape4 &in = *layer.input_shape;
        Shape4 o = output_shape(layer, in);
        lc.input.dim(0).set_extent(static_cast<int>(in[3]));
        lc.input.dim(1).set_extent(static_cast<int>(in[2]));
        lc.input.dim(3).set_extent(static_cast<int>(in[0]));
        out.dim(0).set_extent(static_cast<int>(o[3]));
        out.dim(1).set_extent(static_cast<int>(o[2]));
        out.dim(3).set_extent(static_cast<int>(o[0]));
    }
}

}  // namespace

std::vector<Argument> LoweredConv::arguments() const {
    std::vector<Argument> args = {input, weight};
    if (bias.defined()) {
        args.push_back(bias);
    }
    return args;
}

LoweredConv lower_conv2d(const Layer &layer) {
    LoweredConv lc;
    lc.input = ImageParam(Float(32), 4, "input");
    lc.weight = ImageParam(Float(32), 4, "weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.padded = Func("padded");
    lc.conv = Func("conv");
    lc.output = Func(layer.name);

    // Zero padding needs no boundary condition, but the input is still read through a
    // clamp so that schedules may compute tiles that overhang the image.
    Padding pad = resolved_padding(layer);
    PaddingMode mode = pad.any() ? layer.padding_mode : PaddingMode::Replicate;
    lc.padded(lc.x, lc.y, lc.k, lc.n) = padded_input(lc.input, mode)(lc.x, lc.y, lc.k, lc.n);

    const int group_in = static_cast<int>(layer.in_channels / layer.groups);
    const int group_out = static_cast<int>(layer.out_channels / layer.groups);
    lc.r = RDom(0, static_cast<int>(layer.kernel.w), 0, static_cast<int>(layer.kernel.h), 0, group_in, "r");
    const Var &x = lc.x, &y = lc.y, &k = lc.k, &n = lc.n;
    const RDom &r = lc.r;

    Expr in_channel = (k / group_out) * group_in + r.z;
    Expr in_x = x * static_cast<int>(layer.stride.w) + r.x * static_cast<int>(layer.dilation.w) - static_cast<int>(pad.left);
    Expr in_y = y * static_cast<int>(layer.stride.h) + r.y * static_cast<int>(layer.dilation.h) - static_cast<int>(pad.top);

    lc.conv(x, y, k, n) = layer.bias ? lc.bias(k) : 0.0f;
    lc.conv(x, y, k, n) += lc.weight(r.x, r.y, r.z, k) * lc.padded(in_x, in_y, in_channel, n);
    lc.output(x, y, k, n) = lc.conv(x, y, k, n);

    constrain_shapes(layer, lc);
    return lc;
}

}  // namespace convc
