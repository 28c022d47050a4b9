#include "lower/padding.h"

namespace convc {

using namespace Halide;

Func padded_input(const ImageParam &input, PaddingMode mode) {
    // Only the spatial dimensions are padded; channels and batch stay unbounded.
    Region spatial = {Range(input.dim(0).min(), input.dim(0).extent()),
                      Range(input.dim(1).min(), input.dim(1).extent()), Range(), Range()};
    switch (mode) {
    case PaddingMode::Zeros:
        return BoundaryConditions::constant_exterior(input, 0.0f, spatial);
    case PaddingMode::Reflect:
        return BoundaryConditions::mirror_interior(input, spatial);
    case PaddingMode::Replicate:
        return BoundaryConditions::repeat_edge(input, spatial);
    case PaddingMode::Circular:
        return BoundaryConditions::repeat_image(input, spatial);
    }
    return BoundaryConditions::constant_exterior(input, 0.0f, spatial);
}

}  // namespace convc
