#include "lower/padding.h"

namespace convc {

using namespace Halide;

namespace {

// Only the spatial dimensions are padded; channels and batch stay unbounded.
Region spatial_extent(const ImageParam &input) {
    return {Range(input.dim(0).min(), input.dim(0).extent()), Range(input.dim(1).min(), input.dim(1).extent()),
            Range(), Range()};
}

template <typename Source>
Func pad(const Source &source, const Region &spatial, PaddingMode mode) {
    switch (mode) {
    case PaddingMode::Zeros:
        return BoundaryConditions::constant_exterior(source, 0.0f, spatial);
    case PaddingMode::Reflect:
        return BoundaryConditions::mirror_interior(source, spatial);
    case PaddingMode::Replicate:
        return BoundaryConditions::repeat_edge(source, spatial);
    case PaddingMode::Circular:
        return BoundaryConditions::repeat_image(source, spatial);
    }
    return BoundaryConditions::constant_exterior(source, 0.0f, spatial);
}

}  // namespace

Func padded_input(const ImageParam &input, PaddingMode mode) {
    return pad(input, spatial_extent(input), mode);
}

Func padded_input(const Func &source, const ImageParam &input, PaddingMode mode) {
    return pad(source, spatial_extent(input), mode);
}

}  // namespace convc
