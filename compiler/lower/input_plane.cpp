#include "lower/input_plane.h"

#include <vector>

#include "lower/layer_io.h"
#include "spec/layer_geometry.h"

namespace convc {

using namespace Halide;

namespace {

// A rectangle of the plane's border, in input coordinates.
struct BorderStrip {
    Expr x, width, y, height;
};

std::vector<BorderStrip> border_strips(const Padding &pad, const Expr &width, const Expr &height) {
    auto i = [](int64_t v) { return static_cast<int>(v); };
    Expr left = i(pad.left), right = i(pad.right), top = i(pad.top), bottom = i(pad.bottom);
    Expr full_width = width + left + right;
    std::vector<BorderStrip> strips;
    if (pad.top) {
        strips.push_back({-left, full_width, -top, top});
    }
    if (pad.bottom) {
        strips.push_back({-left, full_width, height, bottom});
    }
    if (pad.left) {
        strips.push_back({-left, left, Expr(0), height});
    }
    if (pad.right) {
        strips.push_back({width, right, Expr(0), height});
    }
    return strips;
}

// The input positions past the window, up to where tiles of `tile` outputs read: the first and
// last it reads, on an axis of `size` inputs.
struct Overhang {
    Expr first, end;
};

Overhang overhang(const WindowSpan &span, const Expr &size, int padding_after, int tile) {
    Expr outputs = (size + span.padding_before + padding_after - (span.taps - 1) * span.dilation - 1) / span.stride + 1;
    // Where either axis is narrower than a tile, both are cut into whole tiles (the guarded path).
    return {size + padding_after, span.tiles_input_extent(outputs, tile) - span.padding_before};
}

std::vector<BorderStrip> overhang_strips(const Layer &layer, const Expr &width, const Expr &height, PlaneTile tile) {
    const Padding pad = resolved_padding(layer);
    Overhang right = overhang(column_span(layer), width, static_cast<int>(pad.right), tile.columns);
    Overhang below = overhang(row_span(layer), height, static_cast<int>(pad.bottom), tile.rows);
    Expr left = -static_cast<int>(pad.left), top = -static_cast<int>(pad.top);
    return {{right.first, max(right.end - right.first, 0), top, max(below.end - top, 0)},
            {left, right.first - left, below.first, max(below.end - below.first, 0)}};
}

}  // namespace

Func input_plane(const ImageParam &input, const Func &padded, const Layer &layer, PlaneTile tile) {
    Func plane("input_plane");
    Var x("x"), y("y"), c("c"), n("n");
    Expr width = input.dim(0).extent(), height = input.dim(1).extent();
    plane(x, y, c, n) = undef<float>();
    const RowRuns runs = row_runs(width, tile.row_run);
    RDom interior(0, runs.whole, 0, height, "interior");
    RDom row_end(runs.last_min, runs.last_extent, 0, height, "row_end");
    // Through `padded`, although every element is inside: a vectorized row whose last vector
    // overhangs the row must not load past the input's end (Halide 14 predicates the stores of a
    // guarded vector loop but not its loads); the boundary condition clamps that vector's lanes.
    plane(interior.x, interior.y, c, n) = padded(interior.x, interior.y, c, n);
    plane(row_end.x, row_end.y, c, n) = padded(row_end.x, row_end.y, c, n);
    for (const PlaneRect &rect : plane_border(layer, width, height, tile)) {
        RDom border(rect.x, rect.width, rect.y, rect.height, rect.zero ? "beyond" : "border");
        write_border_once_per_slot(border, rect, c, tile);
        plane(border.x, border.y, c, n) = rect.zero ? Expr(0.0f) : padded(border.x, border.y, c, n);
    }
    return plane;
}

RowRuns row_runs(const Expr &count, int run) {
    return {max(count - 1, 0) / run * run, max(count - run, 0), min(count, run)};
}

std::vector<PlaneRect> plane_border(const Layer &layer, const Expr &width, const Expr &height, PlaneTile tile) {
    std::vector<PlaneRect> rects;
    const bool zeros = layer.padding_mode == PaddingMode::Zeros;
    for (const BorderStrip &strip : border_strips(resolved_padding(layer), width, height)) {
        rects.push_back({strip.x, strip.width, strip.y, strip.height, zeros});
    }
    for (const BorderStrip &strip : overhang_strips(layer, width, height, tile)) {
        rects.push_back({strip.x, strip.width, strip.y, strip.height, true});
    }
    return rects;
}

void write_border_once_per_slot(RDom &domain, const PlaneRect &rect, const Var &c, PlaneTile tile) {
    if (rect.zero && tile.channels_per_task > 2) {
        domain.where(c % tile.channels_per_task < 2);
    }
}

}  // namespace convc
