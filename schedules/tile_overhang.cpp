#include "schedules/tile_overhang.h"

namespace convc {

using namespace Halide;

namespace {

bool may_cover(const WindowSpan &span) {
    return span.stride == 1 || span.fixed_outputs == 0;
}

}  // namespace

void cover_whole_tiles(Func staged, const Var &axis, const WindowSpan &span, const Expr &outputs, int tile) {
    if (may_cover(span)) {
        staged.bound_extent(axis, span.tiles_input_extent(outputs, tile));
    }
}

void cover_whole_tiles_sliding(Func staged, const Var &axis, const WindowSpan &span, const Expr &outputs, int tile) {
    if (may_cover(span)) {
        staged.bound(axis, -span.padding_before, span.tiles_input_extent(outputs, tile));
    }
}

}  // namespace convc
