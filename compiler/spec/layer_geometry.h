#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "spec/layer.h"

namespace convc {

// Sizes that follow from a layer and an input shape, by PyTorch's formulas.

using Shape4 = std::array<int64_t, 4>;  // N, C, H, W

// Padding on each side after resolving 'same' and 'valid'. 'same' puts the odd element
// on the bottom/right, as PyTorch does.
struct Padding {
    int64_t top = 0;
    int64_t bottom = 0;
    int64_t left = 0;
    int64_t right = 0;

    bool any() const { return top || bottom || left || right; }
};

Padding resolved_padding(const Layer &layer);

// floor((in + pads - dilation * (kernel - 1) - 1) / stride) + 1
int64_t output_extent(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_before, int64_t pad_after);

Shape4 output_shape(const Layer &layer, const Shape4 &input);
bool is_strided(const Layer &layer);  // a stride above 1 along either axis
Shape4 weight_shape(const Layer &layer);  // K, C/groups, kh, kw

// Multiply-accumulates of one call: N * K * (C/groups) * kh * kw * P * Q.
int64_t multiply_accumulates(const Layer &layer, const Shape4 &input);
int64_t parameter_count(const Layer &layer);

// What PyTorch would refuse about running `layer` on an input of this shape, or "" if it is fine.
std::string input_shape_problem(const Layer &layer, const Shape4 &input);

std::string shape_to_string(const Shape4 &shape);

}  // namespace convc
