#include "spec/layer_geometry.h"

#include <algorithm>

namespace convc {

namespace {

// Splits the total padding 'same' needs so that the extra element goes last.
void same_padding(int64_t kernel, int64_t dilation, int64_t &before, int64_t &after) {
    int64_t total = dilation * (kernel - 1);
    before = total / 2;
    after = total - before;
}

int64_t dilated_extent(int64_t kernel, int64_t dilation) {
    return dilation * (kernel - 1) + 1;
}

// PyTorch's F.pad rules for one spatial dimension, checked before the convolution's own.
std::string pad_problem(PaddingMode mode, const char *dim, int64_t in, int64_t before, int64_t after) {
    int64_t largest = std::max(before, after);
    if (mode == PaddingMode::Reflect && largest >= in) {
        return std::string("reflect padding of ") + std::to_string(largest) + " must be smaller than the input " + dim +
               " " + std::to_string(in);
    }
    if (mode == PaddingMode::Circular && largest > in) {
        return std::string("circular padding of ") + std::to_string(largest) + " must not exceed the input " + dim +
               " " + std::to_string(in);
    }
    return "";
}

}  // namespace

Padding resolved_padding(const Layer &layer) {
    Padding p;
    switch (layer.padding_kind) {
    case PaddingKind::Explicit:
        p.top = p.bottom = layer.padding.h;
        p.left = p.right = layer.padding.w;
        break;
    case PaddingKind::Same:
        same_padding(layer.kernel.h, layer.dilation.h, p.top, p.bottom);
        same_padding(layer.kernel.w, layer.dilation.w, p.left, p.right);
        break;
    case PaddingKind::Valid:
        break;
    }
    return p;
}

int64_t output_extent(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_before,
                      int64_t pad_after) {
    int64_t span = in + pad_before + pad_after - dilated_extent(kernel, dilation);
    if (span < 0) {
        return 0;
    }
    return span / stride + 1;
}

Shape4 output_shape(const Layer &layer, const Shape4 &input) {
    Padding p = resolved_padding(layer);
    return {input[0], layer.out_channels,
            output_extent(input[2], layer.kernel.h, layer.stride.h, layer.dilation.h, p.top, p.bottom),
            output_extent(input[3], layer.kernel.w, layer.stride.w, layer.dilation.w, p.left, p.right)};
}

bool is_strided(const Layer &layer) {
    return layer.stride.w > 1 || layer.stride.h > 1;
}

Shape4 weight_shape(const Layer &layer) {
    return {layer.out_channels, layer.in_channels / layer.groups, layer.kernel.h, layer.kernel.w};
}

int64_t multiply_accumulates(const Layer &layer, const Shape4 &input) {
    Shape4 out = output_shape(layer, input);
    return out[0] * out[1] * out[2] * out[3] * (layer.in_channels / layer.groups) * layer.kernel.h * layer.kernel.w;
}

int64_t parameter_count(const Layer &layer) {
    Shape4 w = weight_shape(layer);
    return w[0] * w[1] * w[2] * w[3] + (layer.bias ? layer.out_channels : 0);
}

std::string input_shape_problem(const Layer &layer, const Shape4 &input) {
    if (input[0] < 0 || input[2] <= 0 || input[3] <= 0) {
        return "input shape " + shape_to_string(input) + " needs N >= 0 and positive H and W";
    }
    if (input[1] != layer.in_channels) {
        return "input has " + std::to_string(input[1]) + " channels but the layer expects in_channels = " +
               std::to_string(layer.in_channels);
    }
    Padding p = resolved_padding(layer);
    if (layer.padding_mode != PaddingMode::Zeros) {
        std::string problem = pad_problem(layer.padding_mode, "height", input[2], p.top, p.bottom);
        if (problem.empty()) {
            problem = pad_problem(layer.padding_mode, "width", input[3], p.left, p.right);
        }
        if (!problem.empty()) {
            return problem;
        }
    }
    int64_t padded_h = input[2] + p.top + p.bottom;
    int64_t padded_w = input[3] + p.left + p.right;
    int64_t kernel_h = dilated_extent(layer.kernel.h, layer.dilation.h);
    int64_t kernel_w = dilated_extent(layer.kernel.w, layer.dilation.w);
    if (kernel_h > padded_h || kernel_w > padded_w) {
        return "the dilated kernel (" + std::to_string(kernel_h) + "x" + std::to_string(kernel_w) +
               ") is larger than the padded input (" + std::to_string(padded_h) + "x" + std::to_string(padded_w) + ")";
    }
    return "";
}

std::string shape_to_string(const Shape4 &shape) {
    return "[" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ", " + std::to_string(shape[2]) + ", " +
           std::to_string(shape[3]) + "]";
}

}  // namespace convc
