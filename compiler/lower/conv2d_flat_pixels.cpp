#include "lower/conv2d_flat_pixels.h"

#include <stdexcept>
#include <string>

#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

std::vector<Argument> LoweredFlatPixelConv::arguments() const {
    return layer_arguments(input, weight, bias);
}

bool flat_pixels_applies(const Layer &layer) {
    return layer.input_shape && !layer.channels_last() && layer.groups == 1 && layer.kernel.w == 1 &&
           layer.kernel.h == 1 && !resolved_padding(layer).any();
}

LoweredFlatPixelConv lower_flat_pixel_conv2d(const Layer &layer, int plane_run) {
    LoweredFlatPixelConv lc;
    lc.input = ImageParam(Float(32), 4, "input");
    lc.weight = ImageParam(Float(32), 4, "weight");
    if (layer.bias) {
        lc.bias = ImageParam(Float(32), 1, "bias");
    }
    lc.conv = Func("conv");
    lc.output = Func(layer.name);
    lc.width = static_cast<int>(output_shape(layer, *layer.input_shape)[3]);
    lc.strided = is_strided(layer);
    lc.plane_runs = plane_run > 0 && !lc.strided;
    const Var &j = lc.j, &k = lc.k, &n = lc.n;

    lc.r = RDom(0, static_cast<int>(layer.in_channels), "r");
    lc.pixels = Func("pixels");
    Var c("c");
    if (lc.strided) {
        const int sx = static_cast<int>(layer.stride.w), sy = static_cast<int>(layer.stride.h);
        lc.pixels(j, c, n) = lc.input(sx * (j % lc.width), sy * (j / lc.width), c, n);
    } else {
        // The run is read from the plane's first row: x is promised within that row so that
        // bounds inference asks for what the buffer holds, while the run goes on through the
        // next rows, which the dense constraints make the next memory.
        lc.pixels(j, c, n) = lc.input(unsafe_promise_clamped(j, 0, lc.width - 1), 0, c, n);
    }
    lc.conv(j, k, n) = layer.bias ? lc.bias(k) : 0.0f;
    lc.conv(j, k, n) += lc.weight(0, 0, lc.r, k) * lc.pixels(j, lc.r, n);
    if (lc.plane_runs) {
        const Shape4 out = output_shape(layer, *layer.input_shape);
        const int pixels = static_cast<int>(out[2] * out[3]);
        if (plane_run > pixels) {
            throw std::invalid_argument("a flat-pixel run of " + std::to_string(plane_run) + " pixels is longer than " +
                                        layer.name + "'s output plane (" + std::to_string(pixels) + ")");
        }
        lc.plane = RDom(0, plane_run, 0, (pixels + plane_run - 1) / plane_run, "p");
        Expr p = min(lc.plane.y * plane_run, pixels - plane_run) + lc.plane.x;
        lc.output(lc.x, lc.y, k, n) = undef<float>();
        lc.output(p % lc.width, p / lc.width, k, n) = lc.conv(p, k, n);
    } else {
        lc.output(lc.x, lc.y, k, n) = lc.conv(lc.y * lc.width + lc.x, k, n);
    }

    constrain_weight(layer, lc.weight);
    constrain_layer_io(layer, lc.input, lc.bias, lc.output.output_buffer());
    return lc;
}

}  // namespace convc
