#include "lower/column_phases.h"

namespace convc {

using namespace Halide;

ColumnPhases column_phases(const ImageParam &input, const Func &padded, const Layer &layer, PlaneTile tile) {
    ColumnPhases cp;
    cp.stride = static_cast<int>(layer.stride.w);
    const int s = cp.stride;
    cp.phases = Func("column_phases");
    cp.runs_source = Func("phase_runs_source");
    cp.last_run_source = Func("phase_last_run_source");
    Var u("u"), p("p"), x("x"), y("y"), c("c"), n("n");
    Func &phases = cp.phases;
    phases(u, p, y, c, n) = undef<float>();
    cp.runs_source(x, y, c, n) = input(x, y, c, n);
    cp.last_run_source(x, y, c, n) = input(x, y, c, n);

    Expr width = input.dim(0).extent(), height = input.dim(1).extent();
    // Column groups u whose every phase lies inside the row: x = u * s + q < width.
    Expr groups = width / s;
    const RowRuns group_runs = row_runs(groups, tile.row_run);
    RDom runs(0, group_runs.whole, 0, s, 0, height, "runs");
    RDom last(group_runs.last_min, group_runs.last_extent, 0, s, 0, height, "last_run");
    phases(runs.x, runs.y, runs.z, c, n) = cp.runs_source(runs.x * s + runs.y, runs.z, c, n);
    phases(last.x, last.y, last.z, c, n) = cp.last_run_source(last.x * s + last.y, last.z, c, n);

    // The rest, column by column at each phase: the row's last columns past the whole groups,
    // the padding, the zeros past the window. Columns [x0, x0 + w) of phase q are u in
    // [ceil((x0 - q) / s), ceil((x0 + w - q) / s)); Halide's division rounds down, below zero too.
    std::vector<PlaneRect> rects = {{groups * s, width - groups * s, Expr(0), height, false}};
    for (const PlaneRect &rect : plane_border(layer, width, height, tile)) {
        rects.push_back(rect);
    }
    auto first_group = [&](const Expr &x0, int q) { return (x0 - q + s - 1) / s; };
    for (const PlaneRect &rect : rects) {
        for (int q = 0; q < s; q++) {
            Expr first = first_group(rect.x, q), end = first_group(rect.x + rect.width, q);
            RDom r(first, max(end - first, 0), rect.y, rect.height, rect.zero ? "beyond" : "border");
            write_border_once_per_slot(r, rect, c, tile);
            phases(r.x, q, r.y, c, n) = rect.zero ? Expr(0.0f) : padded(r.x * s + q, r.y, c, n);
        }
    }
    return cp;
}

bool column_phases_fit(const Layer &layer, int run) {
    return layer.stride.w > 1 && layer.input_shape && (*layer.input_shape)[3] / layer.stride.w >= run;
}

Func plane_from_phases(const ColumnPhases &cp) {
    Func plane("plane_from_phases");
    Var x("x"), y("y"), c("c"), n("n");
    plane(x, y, c, n) = cp.phases(x / cp.stride, x % cp.stride, y, c, n);
    return plane;
}

}  // namespace convc
