#include "schedules/cuda_conv.h"

#include <algorithm>
#include <numeric>

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

// Splitting the reduction over input channels pays only where each part keeps enough of it.
constexpr int64_t kMinChannelsPerPart = 16;

std::vector<int> reduction_splits(const Layer &layer) {
    return dividing({1, 2, 4, 8, 16}, group_channels(layer), group_channels(layer) / kMinChannelsPerPart);
}

ScheduleSpace cuda_direct_space(const Layer &layer) {
    return {"cuda_direct",
            {{"rows", {2, 4, 8}},
             {"tile_k", dividing(kTileK, layer.out_channels, 16)},
             {"channel_chunk", dividing(kChannelChunks, group_channels(layer), largest_chunk(layer, 8, 16))},
             {"reduction_split", reduction_splits(layer)}},
            0};
}

// From tuning runs on an H200 and an H100: depthwise layers (one input channel per group)
// preferred 2 output channels per lane, and each of the 10 layers with 64 or more input
// channels split its reduction, into parts of 16-48 channels (3-15x faster than unsplit). The
// default takes the most parts that keep 16 channels each. Staging 4 input channels per step
// beat 8 on most dense 3x3 layers of both suites when tuned on the H100.
constexpr int kDefaultChannelChunk = 4;

ScheduleChoice cuda_direct_default(const Layer &layer) {
    int preferred_k = group_channels(layer) == 1 ? 2 : 8;
    int tile_k = dividing(kTileK, layer.out_channels, preferred_k).back();
    int chunk = dividing(kChannelChunks, group_channels(layer),
                         std::min(kDefaultChannelChunk, largest_chunk(layer, 4, tile_k)))
                    .back();
    int parts = reduction_splits(layer).back();
    return {"cuda_direct", {{"rows", 4}, {"tile_k", tile_k}, {"channel_chunk", chunk}, {"reduction_split", parts}}};
}

namespace {

struct RegisterTiles {
    int rows_per_warp, tile_k, channel_chunk;
};

// One kernel: `store`'s loops become blocks (of two warps), warps and lanes, and `acc`, the
// reduction over `rz` (input channels) with r.x and r.y, is computed per block in registers.
// `block_dims` are the pure dimensions folded into the blocks besides x, y and k.
void tile_warps_over_rows(Func store, Func acc, const RVar &rz, LoweredConv &lc, const RegisterTiles &t,
                          const std::vector<Var> &block_dims) {
    const Var &x = lc.x, &y = lc.y, &k = lc.k;
    Var warp("warp"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), ko("ko"), ki("ki"), tile("tile"), flat("flat"),
        lane("lane"), step("step");
    RVar rzo("rzo"), rzi("rzi");

    // Any output size: partial tiles of x and y are guarded, and the staged input is read
    // through the boundary condition, so overhanging lanes never touch memory outside the
    // image. Output-channel tiles and channel chunks divide their channels (`dividing`).
    std::vector<VarOrRVar> order = {xi, ki, yi, warp, xo, yo, ko};
    order.insert(order.end(), block_dims.begin(), block_dims.end());
    store.split(x, xo, xi, kLanes, TailStrategy::GuardWithIf)
        .split(y, yo, yi, 2 * t.rows_per_warp, TailStrategy::GuardWithIf)
        .split(k, ko, ki, t.tile_k, TailStrategy::GuardWithIf)
        .split(yi, warp, yi, t.rows_per_warp)
        .reorder(order);
    Var blocks = ko;
    for (const Var &d : block_dims) {
        store.fuse(blocks, d, tile);
        blocks = tile;
    }
    store.gpu_blocks(xo, yo, blocks).gpu_threads(warp).gpu_lanes(xi).unroll(ki).unroll(yi);

    // Whole warp-wide rows, even where the output is narrower: lanes own fixed register slots.
    acc.compute_at(store, xo)
        .bound_extent(x, kLanes)
        .bound_extent(y, 2 * t.rows_per_warp)
        .store_in(MemoryType::Register)
        .split(y, warp, y, t.rows_per_warp)
        .gpu_threads(warp)
        .gpu_lanes(x)
        .unroll(k)
        .unroll(y);
    acc.update()
        .split(rz, rzo, rzi, t.channel_chunk, TailStrategy::GuardWithIf)
        .split(y, warp, y, t.rows_per_warp)
        .reorder(x, k, y, lc.r.x, lc.r.y, rzi, warp, rzo)
        .gpu_threads(warp)
        .gpu_lanes(x)
        .unroll(k)
        .unroll(y);

    // Stage one chunk of input channels and its weights per block, spread over the lanes (a
    // 1x1 kernel's taps read `sampled`, its input at the output pixels). Neighbouring lanes
    // load neighbouring addresses: along x, or along a chunk's channels where they are
    // innermost (H100, NHWC suite side by side: 1.06x tuned, 1.12x default; up to 1.64x on
    // the 1x1 layers. Depthwise layers, one channel a chunk, ran 0.90-0.98x and keep x).
    Func input_tile = (lc.samples_input ? lc.sampled : lc.padded).in(acc);
    input_tile.compute_at(acc, rzo);
    if (lc.channels_last && t.channel_chunk > 1) {
        input_tile.reorder(k, x, y).fuse(k, x, flat).fuse(flat, y, flat);
    } else {
        input_tile.fuse(x, y, flat).fuse(flat, k, flat);
    }
    input_tile.split(flat, step, lane, kLanes, TailStrategy::GuardWithIf).gpu_lanes(lane);
    // Stored output channel innermost, a tap's weights for the tile's channels are adjacent, and
    // LLVM merges the lanes' broadcast loads of them into 128-bit ones: 6 ld.shared.v4 instead of
    // 24 ld.shared for the 48 FMAs of a 3x3 row (tile_k 8). H100, the stored entries, old and new
    // build in alternate turns: 1.05x (NCHW suite) and 1.01-1.03x (NHWC) geometric mean,
    // 0.91-1.22x a layer. The copy into shared memory still reads the weights in their own
    // order, coalesced.
    Func weight_tile = lc.weight.in(acc);
    Var wx = weight_tile.args()[0], wy = weight_tile.args()[1], wc = weight_tile.args()[2], wk = weight_tile.args()[3];
    weight_tile.compute_at(acc, rzo)
        .reorder_storage(wk, wx, wy, wc)
        .fuse(wx, wy, flat)
        .fuse(flat, wc, flat)
        .fuse(flat, wk, flat)
        .split(flat, step, lane, kLanes, TailStrategy::GuardWithIf)
        .gpu_lanes(lane);
}

}  // namespace

void schedule_cuda_conv(LoweredConv &lc, const ScheduleChoice &choice) {
    const int parts = choice.param("reduction_split");
    RegisterTiles tiles{choice.param("rows") / 2, choice.param("tile_k"), choice.param("channel_chunk")};
    if (parts == 1) {
        tile_warps_over_rows(lc.output, lc.conv, lc.r.z, lc, tiles, {lc.n});
        return;
    }
    // Deep layers on small images give too few blocks to fill a GPU: a first kernel computes
    // `parts` partial sums over slices of the input channels, each in blocks of its own, and
    // a second adds them up per output element.
    const int channels = static_cast<int>(*Internal::as_const_int(Internal::simplify(lc.r.z.extent())));
    const int per_part = channels / parts;
    tiles.channel_chunk = std::gcd(tiles.channel_chunk, per_part);
    RVar part_index("part_index"), rz_in_part("rz_in_part");
    Var part("part"), xo("xo"), xi("xi"), kn("kn");
    lc.conv.update().split(lc.r.z, part_index, rz_in_part, per_part);
    Func partial = lc.conv.update().rfactor(part_index, part);
    Func partials = partial.in(lc.conv);
    partials.compute_root();
    tile_warps_over_rows(partials, partial, rz_in_part, lc, tiles, {lc.n, part});

    lc.output.split(lc.x, xo, xi, kLanes, TailStrategy::GuardWithIf)
        .fuse(lc.k, lc.n, kn)
        .gpu_blocks(xo, lc.y, kn)
        .gpu_threads(xi);
    lc.conv.compute_at(lc.output, xi);
}

}  // namespace convc
