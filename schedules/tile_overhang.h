#pragma once

#include <functional>

#include "Halide.h"

#include "lower/layer_io.h"

namespace convc {

// Tiles are computed whole where they overhang the output, and read the staged input past what
// the stored outputs need (docs/architecture.md). These size a staged copy, computed at `staged`'s
// current level, for what whole tiles of `tile` outputs along `axis` read, so that no lane reads
// memory nothing wrote: the results would be discarded, but stale bits that happen to be denormal
// floats cost an Intel core a microcode assist per multiply-add.
//
// Not on a strided axis of a fixed shape: there the taps read the copy with strided vectors at
// constant indices, and with the copy sized this way Halide 14 loads some of them as dense
// vectors marked 64-byte aligned at addresses that are not (`load <48 x float> ... align 64` at
// a 12-byte offset of a stride-3 layer's staged row: SIGSEGV, found by tests/torch). The copy
// keeps the size Halide infers there, and the overhanging lanes may read stale values.
void cover_whole_tiles(Halide::Func staged, const Halide::Var &axis, const WindowSpan &span,
                       const Halide::Expr &outputs, int tile);
// The same for a copy that slides along another axis (stored outside the loop it is computed
// in): Halide 14 sizes such a copy by its consumers and ignores bound_extent, so its min is
// pinned too.
void cover_whole_tiles_sliding(Halide::Func staged, const Halide::Var &axis, const WindowSpan &span,
                               const Halide::Expr &outputs, int tile);

// Applies `schedule` to `func`'s rows of `tile` outputs along x: with ShiftInwards where the
// row (dimension 0 of its output buffer) holds a whole tile, with GuardWithIf where it is narrower. A
// layer of fixed shape (its extent set on the buffer) takes one of the two, and only that one is
// built: Halide 14 lowers a specialization whose condition the constraint makes false too, and
// warns that it "is guaranteed to fail an assertion at runtime" where a tile wider than the row
// would shift to before its start (16-lane stores on MobileNetV2's 7x7 layer, in `convc tune`).
void tile_rows_by_width(Halide::Func func, int tile,
                        const std::function<void(Halide::Stage, Halide::TailStrategy)> &schedule);

}  // namespace convc
