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

void tile_rows_by_width(Func func, int tile, const std::function<void(Stage, TailStrategy)> &schedule) {
    OutputImageParam buffer = func.output_buffer();
    Expr fixed = buffer.parameter().extent_constraint(0);
    const int64_t *width = fixed.defined() ? Internal::as_const_int(fixed) : nullptr;
    if (width != nullptr) {
        schedule(func, *width >= tile ? TailStrategy::ShiftInwards : TailStrategy::GuardWithIf);
        return;
    }
    schedule(func.specialize(buffer.dim(0).extent() >= tile), TailStrategy::ShiftInwards);
    schedule(func, TailStrategy::GuardWithIf);
}

}  // namespace convc
