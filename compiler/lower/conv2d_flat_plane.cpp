#include "lower/conv2d_flat_plane.h"

#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

std::vector<Argument> LoweredFlatPlaneConv::arguments() const {
    return layer_arguments(input, weight, bias);
}

bool flat_plane_applies(const Layer &layer, int lanes) {
    if (!layer.input_shape || layer.channels_last() || layer.groups != layer.in_channels ||
        layer.out_channels != layer.in_channels || layer.stride.w != 1 || layer.stride.h != 1) {
        return false;
    }
    if (resolved_padding(layer).any() && layer.padding_mode != PaddingMode::Zeros) {
        return false;
    }
    const Shape4 &in = *layer.input_shape;
    Shape4 out = output_shape(layer, in);
    return out[3] == in[3] && out[2] * out[3] >= lanes;
}

LoweredFlatPlaneConv lower_flat_plane_conv2d(const Layer &layer, int block) {
    LoweredFlatPlaneConv lc;
    lc.block = block;
    lc.input = ImageParam(Float(32), 4, "input");
    lc.weight = ImageParam(Float(32), 4, "weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.staged = Func("staged_planes");
    lc.conv = Func("conv");
    lc.conv_in_place = Func("conv_in_place");
    lc.output = Func(layer.name);

    const Shape4 &shape = *layer.input_shape;
    const int width = static_cast<int>(shape[3]), height = static_cast<int>(shape[2]);
    lc.plane_size = width * height;
    lc.output_plane_size = width * static_cast<int>(output_shape(layer, shape)[2]);
    const Var &i = lc.i, &b = lc.b, &j = lc.j, &k = lc.k, &n = lc.n;

    // The margins are left as they are: the taps that reach them have their lanes masked below.
    // Only the image's first and last blocks are staged; the others read the input in place.
    lc.staged(i, b, n) = undef<float>();
    lc.copy = RDom(0, block * lc.plane_size, "copy");
    const int last_block = static_cast<int>(layer.out_channels) / block - 1;
    lc.copy.where(b == 0 || b == last_block);
    // Read as one run from the block's first plane: x is promised within the row so that
    // bounds inference asks for that plane only, while the run goes on through its rows and
    // the next planes, which the dense-plane constraints make the next memory.
    lc.staged(lc.copy, b, n) = lc.input(unsafe_promise_clamped(lc.copy, 0, width - 1), 0, b * block, n);

    const Padding pad = resolved_padding(layer);
    lc.r = RDom(0, static_cast<int>(layer.kernel.w), 0, static_cast<int>(layer.kernel.h), "r");
    Expr dx = lc.r.x * static_cast<int>(layer.dilation.w) - static_cast<int>(pad.left);
    Expr dy = lc.r.y * static_cast<int>(layer.dilation.h) - static_cast<int>(pad.top);
    Expr tap_x = j % width + dx;
    Expr row_start = j + dy * width;  // the tap's row, flat: inside the plane iff in [0, W * H)
    Expr inside = tap_x >= 0 && tap_x < width && row_start >= 0 && row_start < lc.plane_size;
    Expr staged_source = lc.staged(row_start + dx + (k % block) * lc.plane_size, k / block, n);
    // As the staging copy reads a run: x promised within the row, the run reaching on into the
    // rows and planes around it.
    Expr in_place_source = lc.input(unsafe_promise_clamped(row_start + dx, 0, width - 1), 0, k, n);

    for (auto [conv, source] : {std::pair{lc.conv, staged_source}, std::pair{lc.conv_in_place, in_place_source}}) {
        conv(j, k, n) = layer.bias ? lc.bias(k) : 0.0f;
        conv(j, k, n) += lc.weight(lc.r.x, lc.r.y, 0, k) * select(inside, source, 0.0f);
    }
    // A run of an end block is computed only where this picks it (Halide skips a Func's
    // production where its value is not used), so the staging runs for those blocks alone.
    Expr j_out = lc.y * width + lc.x;
    Expr end_block = k < block || k >= static_cast<int>(layer.out_channels) - block;
    lc.output(lc.x, lc.y, k, n) = select(end_block, lc.conv(j_out, k, n), lc.conv_in_place(j_out, k, n));

    constrain_weight(layer, lc.weight);
    // constrain_layer_io makes the tensors dense: planes are W * H consecutive floats and the
    // planes of an image consecutive, so a flat run may cross rows and channels.
    constrain_layer_io(layer, lc.input, lc.bias, lc.output.output_buffer());
    return lc;
}

}  // namespace convc
