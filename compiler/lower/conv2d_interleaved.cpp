#include "lower/conv2d_interleaved.h"

#include "lower/conv2d_blocked.h"
#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

int group_outputs(const Layer &layer) {
    return static_cast<int>(layer.out_channels / layer.groups);
}

}  // namespace

std::vector<Argument> LoweredInterleavedConv::arguments() const {
    return layer_arguments(input, packed_weight, bias);
}

bool interleaved_layout_applies(const Layer &layer, int lanes) {
    const int per_vector = lanes / kInterleavedGroups;
    const int64_t group_out = layer.out_channels / layer.groups;
    return per_vector > 0 && layer.groups > 1 && layer.groups % kInterleavedGroups == 0 &&
           group_out % per_vector == 0 && group_out < lanes;
}

Expr interleaved_output_channel(const Layer &layer, int lanes, const Expr &lane, const Expr &kb) {
    const int per_vector = lanes / kInterleavedGroups;
    const int vectors = group_outputs(layer) / per_vector;
    Expr chunk = kb / vectors, v = kb % vectors;
    Expr j = lane % kInterleavedGroups, o = lane / kInterleavedGroups;
    return (chunk * kInterleavedGroups + j) * group_outputs(layer) + o + per_vector * v;
}

LoweredInterleavedConv lower_interleaved_conv2d(const Layer &layer, int lanes) {
    LoweredInterleavedConv lc;
    const int groups = kInterleavedGroups, per_vector = lanes / groups;
    const int group_in = static_cast<int>(layer.in_channels / layer.groups), group_out = group_outputs(layer);
    lc.lanes = lanes;
    lc.columns = column_span(layer);
    lc.group_vectors = group_out / per_vector;
    lc.chunk = groups * group_out;
    lc.group_in = group_in;
    lc.channels_last = layer.channels_last();
    lc.input = ImageParam(Float(32), 4, "input");
    lc.packed_weight = ImageParam(Float(32), 5, "packed_weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.padded = Func("padded");
    lc.packed_input = Func("packed_input");
    lc.conv = Func("conv");
    lc.unpacked = Func("unpacked");
    lc.output = Func(layer.name);
    const Var &j = lc.j, &o = lc.o, &v = lc.v, &x = lc.x, &y = lc.y, &cb = lc.cb, &n = lc.n;

    lc.padded(x, y, lc.k, n) = layer_input(lc.input, layer)(x, y, lc.k, n);
    lc.packed_input(j, lc.rz, x, y, cb, n) = lc.padded(x, y, (cb * groups + j) * group_in + lc.rz, n);

    lc.r = RDom(0, static_cast<int>(layer.kernel.w), 0, static_cast<int>(layer.kernel.h), 0, group_in, "r");
    const RDom &r = lc.r;
    lc.conv(j, o, v, x, y, cb, n) = 0.0f;
    lc.conv(j, o, v, x, y, cb, n) +=
        lc.packed_weight(j + groups * o, r.x, r.y, r.z, cb * lc.group_vectors + v) *
        lc.packed_input(j, r.z, input_x(layer, x, r.x), input_y(layer, y, r.y), cb, n);

    // Written through an update over (o, v, j) so that each coordinate stays a plain variable:
    // vectorized together, the store is dense and the load a shuffle of one dense load.
    lc.r_unpack = RDom(0, per_vector, 0, lc.group_vectors, 0, groups, "r_unpack");
    const RDom &u = lc.r_unpack;
    lc.unpacked(lc.channel, x, y, cb, n) = undef<float>();
    lc.unpacked(u.z * group_out + u.y * per_vector + u.x, x, y, cb, n) = lc.conv(u.z, u.x, u.y, x, y, cb, n);

    Expr value = lc.unpacked(lc.k % lc.chunk, x, y, lc.k / lc.chunk, n);
    lc.output(x, y, lc.k, n) = layer.bias ? value + lc.bias(lc.k) : value;

    constrain_packed_weight(layer, lanes, lc.packed_weight);
    constrain_layer_io(layer, lc.input, lc.bias, lc.output.output_buffer());
    return lc;
}

}  // namespace convc
