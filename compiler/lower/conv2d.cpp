#include "lower/conv2d.h"

#include "lower/input_plane.h"
#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

std::vector<Argument> LoweredConv::arguments() const {
    return layer_arguments(input, weight, bias);
}

LoweredConv lower_conv2d(const Layer &layer, ConvInput source, PlaneTile tile) {
    LoweredConv lc;
    lc.columns = column_span(layer);
    lc.input = ImageParam(Float(32), 4, "input");
    lc.weight = ImageParam(Float(32), 4, "weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.padded = Func("padded");
    lc.conv = Func("conv");
    lc.output = Func(layer.name);

    lc.padded(lc.x, lc.y, lc.k, lc.n) = layer_input(lc.input, layer)(lc.x, lc.y, lc.k, lc.n);
    Func read = lc.padded;
    if (source == ConvInput::Plane) {
        lc.plane = input_plane(lc.input, lc.padded, layer, tile);
        read = lc.plane;
    } else if (source == ConvInput::PlanePhases) {
        lc.phases = column_phases(lc.input, lc.padded, layer, tile);
        read = plane_from_phases(lc.phases);
    }

    const int group_in = static_cast<int>(layer.in_channels / layer.groups);
    const int group_out = static_cast<int>(layer.out_channels / layer.groups);
    lc.r = RDom(0, static_cast<int>(layer.kernel.w), 0, static_cast<int>(layer.kernel.h), 0, group_in, "r");
    const Var &x = lc.x, &y = lc.y, &k = lc.k, &n = lc.n;
    const RDom &r = lc.r;
    Expr in_channel = (k / group_out) * group_in + r.z;

    lc.samples_input = source == ConvInput::Padded && samples_input(layer);
    lc.channels_last = layer.channels_last();
    Expr tap_input;
    if (lc.samples_input) {
        lc.sampled = sampled_input(layer, lc.padded);
        tap_input = lc.sampled(x, y, in_channel, n);
    } else {
        tap_input = read(input_x(layer, x, r.x), input_y(layer, y, r.y), in_channel, n);
    }
    lc.conv(x, y, k, n) = layer.bias ? lc.bias(k) : 0.0f;
    lc.conv(x, y, k, n) += lc.weight(r.x, r.y, r.z, k) * tap_input;
    lc.output(x, y, k, n) = lc.conv(x, y, k, n);

    constrain_weight(layer, lc.weight);
    constrain_layer_io(layer, lc.input, lc.bias, lc.output.output_buffer());
    return lc;
}

}  // namespace convc
