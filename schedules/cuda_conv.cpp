#include "schedules/cuda_conv.h"

#include <algorithm>

namespace convc {

using namespace Halide;

namespace {

constexpr int64_t kSharedBudgetBytes = 32 * 1024;

// Floats of one channel of padded input a block reads for its output tile.
int64_t staged_window(const Layer &layer, const CudaConvParams &p) {
    int64_t w = (p.lanes - 1) * layer.stride.w + (layer.kernel.w - 1) * layer.dilation.w + 1;
    int64_t h = (p.rows - 1) * layer.stride.h + (layer.kernel.h - 1) * layer.dilation.h + 1;
    return w * h;
}

}  // namespace

std::string CudaConvParams::to_string() const {
    return "cuda_direct(lanes=" + std::to_string(lanes) + ", rows=" + std::to_string(rows) +
           ", tile_k=" + std::to_string(tile_k) + ", channel_chunk=" + std::to_string(channel_chunk) + ")";
}

CudaConvParams cuda_conv_params(const Layer &layer) {
    CudaConvParams p;
    p.tile_k = static_cast<int>(std::min<int64_t>(p.tile_k, layer.out_channels));
    int64_t per_channel = staged_window(layer, p) + layer.kernel.h * layer.kernel.w * p.tile_k;
    int64_t fits = std::max<int64_t>(1, kSharedBudgetBytes / (4 * per_channel));
    int64_t group_in = layer.in_channels / layer.groups;
    p.channel_chunk = static_cast<int>(std::min<int64_t>({p.channel_chunk, fits, group_in}));
    return p;
}

void schedule_cuda_conv(LoweredConv &lc, const CudaConvParams &p) {
    const Var &x = lc.x, &y = lc.y, &k = lc.k, &n = lc.n;
    Var warp("warp"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), ko("ko"), ki("ki"), tile("tile"), flat("flat"), lane("lane"),
        step("step");
    RVar rzo("rzo"), rzi("rzi");

    // Any output size: partial tiles are guarded, and the staged input is read through the
    // boundary condition, so overhanging lanes never touch memory outside the image.
    lc.output.split(x, xo, xi, p.lanes, TailStrategy::GuardWithIf)
        .split(y, yo, yi, p.rows, TailStrategy::GuardWithIf)
        .split(k, ko, ki, p.tile_k, TailStrategy::GuardWithIf)
        .split(yi, warp, yi, p.rows / 2)
        .reorder(xi, ki, yi, warp, xo, yo, ko, n)
        .fuse(ko, n, tile)
        .gpu_blocks(xo, yo, tile)
        .gpu_threads(warp)
        .gpu_lanes(xi)
        .unroll(ki)
        .unroll(yi);

    // Whole warp-wide rows, even where the output is narrower: lanes own fixed register slots.
    lc.conv.compute_at(lc.output, xo)
        .bound_extent(x, p.lanes)
        .store_in(MemoryType::Register)
        .split(y, warp, y, p.rows / 2)
        .gpu_threads(warp)
        .gpu_lanes(x)
        .unroll(k)
        .unroll(y);
    lc.conv.update()
        .split(lc.r.z, rzo, rzi, p.channel_chunk, TailStrategy::GuardWithIf)
        .split(y, warp, y, p.rows / 2)
        .reorder(x, k, y, lc.r.x, lc.r.y, rzi, warp, rzo)
        .gpu_threads(warp)
        .gpu_lanes(x)
        .unroll(k)
        .unroll(y);

    // Stage one chunk of input channels and its weights per warp, spread over the lanes.
    Func input_tile = lc.padded.in(lc.conv);
    input_tile.compute_at(lc.conv, rzo)
        .fuse(x, y, flat)
        .fuse(flat, k, flat)
        .split(flat, step, lane, p.lanes, TailStrategy::GuardWithIf)
        .gpu_lanes(lane);
    Func weight_tile = lc.weight.in(lc.conv);
    Var wx = weight_tile.args()[0], wy = weight_tile.args()[1], wc = weight_tile.args()[2], wk = weight_tile.args()[3];
    weight_tile.compute_at(lc.conv, rzo)
        .fuse(wx, wy, flat)
        .fuse(flat, wc, flat)
        .fuse(flat, wk, flat)
        .split(flat, step, lane, p.lanes, TailStrategy::GuardWithIf)
        .gpu_lanes(lane);
}

}  // namespace convc
