#include "lower/conv2d_deinterleaved.h"

#include <string>

#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

std::vector<Argument> LoweredDeinterleavedConv::arguments() const {
    return layer_arguments(input, weight, bias);
}

bool deinterleaved_applies(const Layer &layer, int lanes) {
    if (!layer.input_shape || layer.channels_last() || layer.groups != layer.in_channels ||
        layer.out_channels != layer.in_channels) {
        return false;
    }
    if (layer.kernel.w != 3 || layer.kernel.h != 3 || layer.stride.w != 2 || layer.stride.h != 2 ||
        layer.dilation.w != 1 || layer.dilation.h != 1) {
        return false;
    }
    const Padding pad = resolved_padding(layer);
    if (pad.left != 1 || pad.top != 1 || layer.padding_mode != PaddingMode::Zeros) {
        return false;
    }
    const Shape4 &in = *layer.input_shape;
    const Shape4 out = output_shape(layer, in);
    const bool last_window_inside = 2 * out[3] <= in[3] && 2 * out[2] <= in[2];
    return last_window_inside && out[3] > lanes && out[2] >= 2;
}

namespace {

// Runs of `lanes` that cover `width` outputs from `first` (the last one ending at the row's end).
int runs_from(int first, int width, int lanes) {
    return (width - first + lanes - 1) / lanes;
}

using Part = LoweredDeinterleavedConv::Part;

// Input row v, clamped into the plane for the rows a tile computes past the last output, and
// promised so that bounds inference asks for the plane's rows only.
Expr plane_row(const Expr &v, int height) {
    return unsafe_promise_clamped(clamp(v, 0, height - 1), 0, height - 1);
}

// `top_row`: the window's first row lies above the image, in the zero padding.
Part lower_part(const LoweredDeinterleavedConv &lc, const Layer &layer, const std::string &name, bool top_row) {
    Part part{Func(name + "_even_start"), Func(name + "_odd_start"), Func(name + "_conv"), RDom()};
    const Shape4 &shape = *layer.input_shape;
    const Var &u = lc.u, &v = lc.v, &x = lc.x, &y = lc.y, &k = lc.k, &n = lc.n;
    // Column u is promised within the row: column 0's odd-start pair begins one element before
    // it, where the previous row ends, and bounds inference would otherwise ask for column -1.
    Expr value = lc.input(unsafe_promise_clamped(u, 0, static_cast<int>(shape[3]) - 1),
                          plane_row(v, static_cast<int>(shape[2])), k, n);
    if (top_row) {
        value = select(v >= 0, value, 0.0f);
    }
    part.even_start(u, v, k, n) = value;
    part.odd_start(u, v, k, n) = select(u >= 0, value, 0.0f);

    Expr row = 2 * y - 1 + lc.r.y;
    Expr tap = select(lc.r.x == 0, part.odd_start(2 * x - 1, row, k, n),  //
                      lc.r.x == 1, part.even_start(2 * x, row, k, n),   //
                      part.even_start(2 * x + 1, row, k, n));
    part.conv(x, y, k, n) = layer.bias ? lc.bias(k) : 0.0f;
    part.conv(x, y, k, n) += lc.weight(lc.r.x, lc.r.y, 0, k) * tap;
    return part;
}

// The top-left output: of its window only the taps (1..2, 1..2) fall inside the image.
Expr corner_output(const LoweredDeinterleavedConv &lc, const Layer &layer) {
    Expr sum = layer.bias ? lc.bias(lc.k) : 0.0f;
    for (int ky = 1; ky < 3; ky++) {
        for (int kx = 1; kx < 3; kx++) {
            sum += lc.weight(kx, ky, 0, lc.k) * lc.input(kx - 1, ky - 1, lc.k, lc.n);
        }
    }
    return sum;
}

// The output's three parts (conv2d_deinterleaved.h), as updates in that order.
void write_output(LoweredDeinterleavedConv &lc, const Layer &layer) {
    const Shape4 out = output_shape(layer, *layer.input_shape);
    const int width = static_cast<int>(out[3]), height = static_cast<int>(out[2]);
    const int lanes = lc.lanes;
    const Var &k = lc.k, &n = lc.n;
    lc.output(lc.x, lc.y, k, n) = undef<float>();

    lc.body.domain = RDom(0, lanes, 0, runs_from(0, width, lanes), 1, height - 1, "body");
    const RDom &b = lc.body.domain;
    Expr body_x = min(b.y * lanes, width - lanes) + b.x;
    lc.output(body_x, b.z, k, n) = lc.body.conv(body_x, b.z, k, n);

    lc.top.domain = RDom(0, lanes, 0, runs_from(1, width, lanes), "top");
    const RDom &t = lc.top.domain;
    Expr top_x = min(1 + t.y * lanes, width - lanes) + t.x;
    lc.output(top_x, 0, k, n) = lc.top.conv(top_x, 0, k, n);

    lc.output(0, 0, k, n) = corner_output(lc, layer);
}

}  // namespace

LoweredDeinterleavedConv lower_deinterleaved_conv2d(const Layer &layer, int lanes) {
    LoweredDeinterleavedConv lc;
    lc.lanes = lanes;
    lc.input = ImageParam(Float(32), 4, "input");
    lc.weight = ImageParam(Float(32), 4, "weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.output = Func(layer.name);
    lc.r = RDom(0, 3, 0, 3, "r");
    lc.body = lower_part(lc, layer, "body", false);
    lc.top = lower_part(lc, layer, "top", true);

    write_output(lc, layer);

    constrain_weight(layer, lc.weight);
    constrain_layer_io(layer, lc.input, lc.bias, lc.output.output_buffer());
    return lc;
}

}  // namespace convc
