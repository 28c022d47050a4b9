#include "schedules/cuda_conv.h"

#include <algorithm>

namespace convc {

using namespace Halide;

namespace {

constexpr int kLanes = 32;
constexpr int64_t kSharedBudgetBytes = 32 * 1024;

// Floats of one input channel a block stages: its output tile's padded window plus weights.
int64_t staged_per_channel(const Layer &layer, int rows, int tile_k) {
    int64_t w = (kLanes - 1) * layer.stride.w + (layer.kernel.w - 1) * layer.dilation.w + 1;
    int64_t h = (rows - 1) * layer.stride.h + (layer.kernel.h - 1) * layer.dilation.h + 1;
    return w * h + layer.kernel.h * layer.kernel.w * tile_k;
}

int largest_chunk(const Layer &layer, int rows, int tile_k) {
    int64_t fits = std::max<int64_t>(1, kSharedBudgetBytes / (4 * staged_per_channel(layer, rows, tile_k)));
    return static_cast<int>(std::min<int64_t>(fits, layer.in_channels / layer.groups));
}

// The values of `values` that divide `total` and do not exceed `limit`; {1} if none do.
// Tiles must divide their dimension: a partial tile of output channels or of a channel
// chunk would still stage (and so read) the whole tile's weights and input channels,
// beyond the tensors' ends (a real run's bounds check caught it; the boundary condition
// covers x and y only).
std::vector<int> dividing(std::vector<int> values, int64_t total, int64_t limit) {
    values.erase(std::remove_if(values.begin(), values.end(), [&](int v) { return v > limit || total % v != 0; }),
                 values.end());
    return values.empty() ? std::vector<int>{1} : values;
}

const std::vector<int> kTileK = {1, 2, 3, 4, 6, 8, 12, 16};
const std::vector<int> kChannelChunks = {1, 2, 3, 4, 6, 8, 12, 16};

int64_t group_channels(const Layer &layer) {
    return layer.in_channels / layer.groups;
}

}  // namespace

ScheduleSpace cuda_direct_space(const Layer &layer) {
    return {"cuda_direct",
            {{"rows", {2, 4, 8}},
             {"tile_k", dividing(kTileK, layer.out_channels, 16)},
             {"channel_chunk", dividing(kChannelChunks, group_channels(layer), largest_chunk(layer, 8, 16))}},
            0};
}

// Depthwise layers (one input channel per group) preferred 2 output channels per lane in
// every tuning run on an H200; other layers keep 8 where the channels allow.
ScheduleChoice cuda_direct_default(const Layer &layer) {
    int preferred_k = group_channels(layer) == 1 ? 2 : 8;
    int tile_k = dividing(kTileK, layer.out_channels, preferred_k).back();
    int chunk = dividing(kChannelChunks, group_channels(layer), std::min(8, largest_chunk(layer, 4, tile_k))).back();
    return {"cuda_direct", {{"rows", 4}, {"tile_k", tile_k}, {"channel_chunk", chunk}}};
}

void schedule_cuda_conv(LoweredConv &lc, const ScheduleChoice &choice) {
    const int rows_per_warp = choice.param("rows") / 2;
    const int tile_k = choice.param("tile_k");
    const Var &x = lc.x, &y = lc.y, &k = lc.k, &n = lc.n;
    Var warp("warp"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), ko("ko"), ki("ki"), tile("tile"), flat("flat"),
        lane("lane"), step("step");
    RVar rzo("rzo"), rzi("rzi");

    // Any output size: partial tiles of x and y are guarded, and the staged input is read
    // through the boundary condition, so overhanging lanes never touch memory outside the
    // image. Output-channel tiles and channel chunks divide their channels (`dividing`).
    lc.output.split(x, xo, xi, kLanes, TailStrategy::GuardWithIf)
        .split(y, yo, yi, 2 * rows_per_warp, TailStrategy::GuardWithIf)
        .split(k, ko, ki, tile_k, TailStrategy::GuardWithIf)
        .split(yi, warp, yi, rows_per_warp)
        .reorder(xi, ki, yi, warp, xo, yo, ko, n)
        .fuse(ko, n, tile)
        .gpu_blocks(xo, yo, tile)
        .gpu_threads(warp)
        .gpu_lanes(xi)
        .unroll(ki)
        .unroll(yi);

    // Whole warp-wide rows, even where the output is narrower: lanes own fixed register slots.
    lc.conv.compute_at(lc.output, xo)
        .bound_extent(x, kLanes)
        .bound_extent(y, 2 * rows_per_warp)
        .store_in(MemoryType::Register)
        .split(y, warp, y, rows_per_warp)
        .gpu_threads(warp)
        .gpu_lanes(x)
        .unroll(k)
        .unroll(y);
    lc.conv.update()
        .split(lc.r.z, rzo, rzi, choice.param("channel_chunk"), TailStrategy::GuardWithIf)
        .split(y, warp, y, rows_per_warp)
        .reorder(x, k, y, lc.r.x, lc.r.y, rzi, warp, rzo)
        .gpu_threads(warp)
        .gpu_lanes(x)
        .unroll(k)
        .unroll(y);

    // Stage one chunk of input channels and its weights per block, spread over the lanes.
    Func input_tile = lc.padded.in(lc.conv);
    input_tile.compute_at(lc.conv, rzo)
        .fuse(x, y, flat)
        .fuse(flat, k, flat)
        .split(flat, step, lane, kLanes, TailStrategy::GuardWithIf)
        .gpu_lanes(lane);
    Func weight_tile = lc.weight.in(lc.conv);
    Var wx = weight_tile.args()[0], wy = weight_tile.args()[1], wc = weight_tile.args()[2], wk = weight_tile.args()[3];
    weight_tile.compute_at(lc.conv, rzo)
        .fuse(wx, wy, flat)
        .fuse(flat, wc, flat)
        .fuse(flat, wk, flat)
        .split(flat, step, lane, kLanes, TailStrategy::GuardWithIf)
        .gpu_lanes(lane);
}

}  // namespace convc
