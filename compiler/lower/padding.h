#pragma once

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// The input seen through the layer's padding mode: a Func over (x, y, c, n) defined
// everywhere, equal to `input` inside its spatial extent. Built from Halide's own
// boundary conditions, whose semantics match torch.nn.functional.pad:
//   zeros -> constant_exterior(0), reflect -> mirror_interior,
//   replicate -> repeat_edge, circular -> repeat_image.
Halide::Func padded_input(const Halide::ImageParam &input, PaddingMode mode);
// The same over `source`, a Func holding the image `input` describes (a copy in another
// storage order).
Halide::Func padded_input(const Halide::Func &source, const Halide::ImageParam &input, PaddingMode mode);

}  // namespace convc
