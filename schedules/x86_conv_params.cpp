#include "schedules/x86_conv_params.h"

#include <algorithm>

#include "lower/column_phases.h"
#include "lower/conv2d_blocked.h"
#include "spec/layer_geometry.h"

#include "schedules/cpu_blocked_conv.h"
#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_deinterleaved_conv.h"
#include "schedules/cpu_direct_conv.h"
#include "schedules/cpu_flat_pixel_conv.h"
#include "schedules/cpu_flat_plane_conv.h"
#include "schedules/cpu_interleaved_conv.h"
#include "schedules/cpu_lane_blocked_conv.h"

namespace convc {

using Halide::Target;

namespace {

struct X86Isa {
    const char *name;
    int lanes;
    int registers;
};

X86Isa isa_of(const Target &target) {
    if (target.has_feature(Target::AVX512)) {
        return {"x86_avx512", 16, 32};
    }
    if (target.has_feature(Target::AVX2)) {
        return {"x86_avx2", 8, 16};
    }
    return {"x86_sse41", 4, 16};
}

// Families are named by ISA and kind: x86_avx512_direct, x86_avx2_lane_blocked, ...
std::string family(const X86Isa &isa, const char *kind) {
    return std::string(isa.name) + "_" + kind;
}

}  // namespace

ScheduleSpace x86_direct_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_direct_space(family(isa, "direct"), isa.lanes, isa.registers, layer);
}

namespace {

// A row narrower than the 4-vector tile would take the guarded path, every tile computing 64
// columns. Fewer vectors cover it, and the registers they free hold more channels: the most
// the space offers that fit. On the Skylake-SP host, side by side (2026-11-26), ResNet-50's
// 1x1 stride-2 layer (28-wide rows, staged samples) ran 166 / 86 GFLOP/s at two threads / one
// with 2 x 12, 128 / 61 with 4 x 4.
struct RowTile {
    int x_vectors, tile_k;
};
RowTile x86_direct_row_tile(const Layer &layer, const ScheduleSpace &space, int lanes) {
    const RowTile wide_row = {4, 4};
    if (!layer.input_shape) {
        return wide_row;
    }
    int64_t width = output_shape(layer, *layer.input_shape)[3];
    int x_vectors = static_cast<int>((width + lanes - 1) / lanes);
    if (x_vectors >= wide_row.x_vectors) {
        return wide_row;
    }
    RowTile tile = {x_vectors, 1};
    for (int tile_k : space.values("tile_k")) {
        if (direct_tile_fits(x_vectors, tile_k, space.register_budget)) {
            tile.tile_k = std::max(tile.tile_k, tile_k);
        }
    }
    return tile;
}

}  // namespace

// Measured on the tuning suite in earlier sessions' runs: with 32 registers a wide row of 4
// vectors by 4 channels, x taps unrolled, won on most layers; 16 registers hold 2 x 6.
ScheduleChoice x86_direct_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    bool wide = isa.registers >= 32;
    RowTile tile = wide ? x86_direct_row_tile(layer, x86_direct_space(layer, target), isa.lanes) : RowTile{2, 6};
    ScheduleChoice c = cpu_direct_choice(family(isa, "direct"), isa.lanes, tile.x_vectors, tile.tile_k, layer);
    c.params["unroll_taps"] = wide && layer.kernel.w <= 7 && !unrolled_taps_crash_halide(layer, isa.lanes) ? 1 : 0;
    // The strip staged per output row holds every input channel, and in a grouped layer each
    // staged value feeds only its group's output channels: the copy costs more than the
    // boundary condition it saves. AVX-512, side by side, two threads / one (Zen 5 host,
    // 2026-11-29), reading the input in place against staging it: ResNeXt's 4 channels a group
    // at 56x56 256.7 / 140.2 GFLOP/s against 169.6 / 93.0; 4 a group at 28x28 127.5 / 95.4
    // against 65.3 / 43.8, at 14x14 99.8 / 85.7 against 46.6 / 32.3; 2 groups of 32 -> 24 at
    // 28x28 333.9 / 192.8 against 238.8 / 128.0. The first machine's tuned entry for the first
    // read in place too. Dense layers keep the strip (24 -> 24 at 56x56: 290.4 / 168.7 staged
    // against 249.1 / 164.8).
    if (layer.groups > 1) {
        c.params["stage_input"] = 0;
    }
    return c;
}

int x86_channel_block(const Target &target) {
    return isa_of(target).lanes;
}

int x86_group_channel_block(const Layer &layer, const Target &target) {
    // Half-width vectors still beat row vectors when a group has too few output channels
    // to fill a whole one (ResNeXt's 8 per group on AVX-512).
    for (int block : {isa_of(target).lanes, isa_of(target).lanes / 2}) {
        if (blocked_layout_applies(layer, block)) {
            return block;
        }
    }
    return 0;
}

ScheduleSpace x86_blocked_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_blocked_space(family(isa, "blocked"), x86_group_channel_block(layer, target),
                             isa.registers, layer);
}

namespace {

struct PixelTile {
    int x_pixels;
    int k_vectors;
};

// Of `tiles`, the one whose pixels least overshoot the output row (the column's height for a
// tile down columns); ties: the first.
PixelTile least_overshoot_tile(const Layer &layer, const std::vector<PixelTile> &tiles, bool columns) {
    if (!layer.input_shape) {
        return tiles[0];
    }
    int64_t length = output_shape(layer, *layer.input_shape)[columns ? 2 : 3];
    PixelTile best = tiles[0];
    int64_t best_waste = -1;
    for (const PixelTile &t : tiles) {
        int64_t waste = (length + t.x_pixels - 1) / t.x_pixels * t.x_pixels - length;
        if (best_waste < 0 || waste < best_waste) {
            best = t;
            best_waste = waste;
        }
    }
    return best;
}

// A row of 14 pixels in one tile of one channel vector (14 accumulators, as 7 x 2 has) halves
// the weights each pixel loads. On the Skylake-SP host, side by side (2026-11-26), against
// 7 x 2: 3x3 256@14 1.14-1.17x, the same at batch 8 1.21-1.22x, channels-last 1.04-1.18x;
// on 28-wide rows 14 x 1 lost (0.70-0.93x). Other widths were not measured.
constexpr int kWholeRowPixels = 14;
// With 16 registers, a row of 7 in one tile of one channel vector. On an AMD EPYC (Zen 3),
// side by side (2026-11-28, best of 5-6 rounds, two threads / one), 3x3 512@7 against 4 x 2:
// NCHW 123.6 / 65.2 GFLOP/s against 108.9 / 57.8, channels-last 101.5 / 57.3 against
// 88.5 / 57.1 (and in that layer's tune 122.4 / 59.7 for 8 x 1 against 101.8 / 50.9).
constexpr int kNarrowWholeRowPixels = 7;

// Every tile of a task reads all the weights of its channel block, which stay in the core's L2
// between tiles only if they fit: 1 MB, the Skylake-SP host's L2 a core.
// There, side by side (2026-11-26), Inception's channels-last 1x7 layer (768 inputs x 7 taps)
// ran 259 / 130 GFLOP/s at two threads / one with 6 x 2 tiles (688 KB of weights a block)
// against 179 / 71 with 6 x 4 (1.4 MB).
constexpr int64_t kWeightBlockBudget = int64_t(1) << 20;

int64_t task_weight_bytes(const Layer &layer, int channels) {
    return layer.in_channels / layer.groups * layer.kernel.h * layer.kernel.w * channels * int64_t(sizeof(float));
}

bool whole_row_fits_a_tile(const Layer &layer, bool columns, int pixels) {
    return !columns && layer.input_shape && output_shape(layer, *layer.input_shape)[3] == pixels;
}

// Channels-last tiles that fill 29-31 of 32 registers. 4 x 4 won 5 of the 9 dense layers of the
// first NHWC tuning run, all 56 or 28 wide; on 7 and 14 wide layers 7 x 2 ran 1.1-2.1x faster
// than 4 x 4, side by side (docs/performance-history.md); 17 wide takes 6 x 4.
const std::vector<PixelTile> kChannelsLastTiles = {{4, 4}, {7, 2}, {5, 4}, {6, 4}};
// NCHW: of 8 x 2, 7 x 2 (the tuner's most frequent winner) and 6 x 2, the one that least
// overshoots the row, 8 on a tie. Side by side on the Skylake-SP host (2026-11-27, one thread /
// two), 8 x 2 against 7 x 2: 3x3 64@56 123.7 / 246.3 against 116.1 / 232.0 GFLOP/s, the same at
// batch 8 124.6 / 247.2 against 112.1 / 235.8, the 7x7 stem (112 wide) 123.8 / 249.1 against
// 121.9 / 241.6. Inception's 17-wide rows take 6 x 2 (1x7: 208-215 against 161-162 for 7 x 2).
const std::vector<PixelTile> kPlanarTiles = {{8, 2}, {7, 2}, {6, 2}};

// A window along one axis only, of many taps: Inception's 1x7 and 7x1.
bool long_one_axis_window(const Layer &layer) {
    return (layer.kernel.h == 1) != (layer.kernel.w == 1) && std::max(layer.kernel.h, layer.kernel.w) >= 5;
}

// With 16 registers, NCHW, such a layer over 768 input channels ran 1.3-1.6x faster with its
// sums in memory, taking the input channels 4 at a time (channel_chunk), the taps a loop and
// 3 pixels x 3 channel vectors a tile, the 7x1's tile down a column. Side by side on an AMD
// EPYC (Zen 3), 2026-11-28, two threads / one: 1x7 143-156 / 76-78 GFLOP/s against the
// default's 116-126 / 41-66 (6 rounds), 7x1 134 / 68 against 89 / 46 (best of 5). Not on 3x3
// layers (256@14, 512@7, the dilated 256@28): chunked 4 x 2 tiles ran 0.70-1.17x of their
// defaults there.
void chunk_long_one_axis_window(ScheduleChoice &c, const Layer &layer, int block) {
    constexpr int kChunk = 4, kTileVectors = 3, kTilePixels = 3;
    const int64_t channels = layer.in_channels / layer.groups;
    if (channels <= kChunk || channels % kChunk != 0 ||
        (layer.out_channels / layer.groups) % (block * kTileVectors) != 0) {
        return;
    }
    c.params["channel_chunk"] = kChunk;
    c.params["unroll_taps"] = 0;
    c.params["k_vectors"] = kTileVectors;
    c.params["x_pixels"] = kTilePixels;
    c.params["columns"] = layer.kernel.w == 1 ? 1 : 0;
}

}  // namespace

// 32 registers, NCHW: 8, 7 or 6 pixels by 2 channel vectors (up to 16 accumulators, 2 weights,
// 1 broadcast), whichever fits the row best; 16 registers: 4 by 2, or a 7-pixel row whole.
ScheduleChoice x86_blocked_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    bool wide = isa.registers >= 32;
    // A window only in y (Inception's 7x1): the tile runs down a column with the taps
    // unrolled, so neighbouring outputs share their input loads. One thread, side by side,
    // channels last: 6 x 2 columns 209-230 GFLOP/s, 6 x 4 columns 194-199, 6 x 4 rows with
    // the channel loop inside the taps (the former default) 162-165. In NCHW a column's loads
    // are strided across planes: such a layer is computed channels-last between two copies
    // (transpose_io), 220 against 150 GFLOP/s for its best NCHW tile (2026-11-26).
    bool column_kernel = layer.kernel.w == 1 && layer.kernel.h > 1;
    bool transpose_io = wide && !layer.channels_last() && column_kernel;
    bool channels_last = layer.channels_last() || transpose_io;
    bool columns = channels_last && column_kernel;
    const int whole_row = wide ? kWholeRowPixels : kNarrowWholeRowPixels;
    PixelTile tile = whole_row_fits_a_tile(layer, columns, whole_row) ? PixelTile{whole_row, 1}
                     : !wide                                          ? PixelTile{4, 2}
                     : channels_last ? least_overshoot_tile(layer, kChannelsLastTiles, columns)
                                     : least_overshoot_tile(layer, kPlanarTiles, false);
    if (columns) {
        tile.k_vectors = 2;
    }
    const int block = x86_group_channel_block(layer, target);
    while (tile.k_vectors > 1 && task_weight_bytes(layer, block * tile.k_vectors) > kWeightBlockBudget) {
        tile.k_vectors /= 2;
    }
    ScheduleChoice c = cpu_blocked_choice(family(isa, "blocked"), block, tile.x_pixels, tile.k_vectors, layer);
    // NCHW: whole channel blocks per task, rows a plain loop inside (row_tasks 0): 12 of the 14
    // NCHW blocked entries of an earlier session's tuning runs took it. The input is staged only
    // for windows in both x and y: a 1x1 kernel reads each staged element once per channel
    // block, as it would read the input; on Inception's 1x7 layer staging cost 12-14% (side by
    // side, 6 x 2 tiles: 183-190 against 208-215 GFLOP/s at one thread), on its 7x1 nothing.
    // Where the window reaches into zero padding, its rows there are skipped instead (trim_taps)
    // and the input read in place: side by side, one thread, 3x3 512@7 180 GFLOP/s staged,
    // 191 trimmed and staged, 227 trimmed in place; dilation 4 180, 197 and 225 (2026-11-26).
    bool trim_taps = pads_with_zeros(layer);
    c.params["trim_taps"] = trim_taps ? 1 : 0;
    c.params["stage_input"] = channels_last || trim_taps || layer.kernel.h == 1 || layer.kernel.w == 1 ? 0 : 1;
    if (!channels_last) {
        c.params["row_tasks"] = 0;
    }
    c.params["unroll_taps"] = layer.kernel.w <= 7 ? 1 : 0;
    c.params["columns"] = columns ? 1 : 0;
    c.params["transpose_io"] = transpose_io ? 1 : 0;
    // A strided 1x1 layer reads a dense copy of each output row's samples. On the Skylake-SP
    // host, side by side (2026-11-26), ResNet-50's 1x1 stride-2 layer ran 1.24-1.49x faster
    // than reading every other input value in place; on the earlier host it was even (176-180
    // against 177-178 GFLOP/s at one thread).
    c.params["stage_rows"] = strided_pointwise(layer) ? 1 : 0;
    if (!wide && !channels_last && long_one_axis_window(layer)) {
        chunk_long_one_axis_window(c, layer, block);
    }
    return c;
}

ScheduleSpace x86_depthwise_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_depthwise_space(family(isa, "depthwise"), isa.lanes, isa.registers, layer);
}

namespace {

// Of 4 and 7 rows, the tile height that least overshoots the output (ties: `ties`). Side by side
// on MobileNetV2's 14x14 layer, one thread: 7 rows 53-59 GFLOP/s, 4 rows 36-54.
int depthwise_tile_rows(const Layer &layer, int ties) {
    if (!layer.input_shape) {
        return ties;
    }
    int64_t height = output_shape(layer, *layer.input_shape)[2];
    auto overshoot = [&](int rows) { return (height + rows - 1) / rows * rows - height; };
    return overshoot(7) == overshoot(4) ? ties : overshoot(7) < overshoot(4) ? 7 : 4;
}

// A row wider than one vector and no wider than two in one tile of two, where its accumulators
// leave registers to spare: the shifted second tile of one vector computes as many columns,
// with half the accumulators to share each loaded weight and input. MobileNetV2's stride-2
// 144-channel layer (28-wide rows, AVX-512), side by side, two threads / one (2026-11-29):
// 56.4 / 37.2 GFLOP/s against 47.9 / 37.4; its entries tuned on the Zen 5 and Skylake-SP
// hosts hold 2 vectors too. AVX2's 16 registers do not spare 2 x 7: on the 384-channel 14x14
// layer, AVX2 code on the Zen 5 host, 52.5-55.4 / 47.3-51.0 against 59.1-63.3 / 41.0-48.2.
int depthwise_tile_vectors(const Layer &layer, const X86Isa &isa, int rows) {
    constexpr int kSpareRegisters = 4;  // the broadcast weight and the loaded input vectors
    if (!layer.input_shape || 2 * rows + kSpareRegisters > isa.registers) {
        return 1;
    }
    int64_t width = output_shape(layer, *layer.input_shape)[3];
    return width > isa.lanes && width <= 2 * isa.lanes ? 2 : 1;
}

// A channel's input plane past 32 KB (the L1 data cache of the smallest core here): each row of
// tiles stages its own rows instead of the plane being staged whole (stage_tile_rows,
// cpu_depthwise_conv.cpp), 7 rows a tile where 4 fit as well, since each tile copies its
// window's extra rows again. MobileNetV2's 112x112 planes are 49 KB; its 56x56 ones, 12.5 KB,
// ran slower on tile rows at one thread (144 channels: 65-66 GFLOP/s against 79, though 115-118
// against 98-99 at two), 192@28 (54 against 114) and 384@14 (28 against 84) more so.
bool input_plane_outgrows_l1(const Layer &layer) {
    constexpr int64_t kL1Bytes = int64_t(32) << 10;
    return layer.input_shape && (*layer.input_shape)[2] * (*layer.input_shape)[3] * int64_t(sizeof(float)) > kL1Bytes;
}

}  // namespace

// One vector wide, on the channel's staged plane, taps unrolled: the rows' windows overlap, so
// each loaded input vector serves up to 3 rows of a 3x3 window. Against the previous default
// (one row of 4 vectors, padding evaluated per tap), one thread, side by side: MobileNetV2's
// 112x112 layer 79-93 GFLOP/s against 42 (docs/performance-history.md). Strided layers too: the
// stride-2 56x56 layer ran at 30-37 GFLOP/s on the two alternating planes, against 23-24 for 2
// vectors read in place, the previous default (one thread, 2026-11-26, ninth session). Where
// the rows hold whole runs of column phases the taps read those instead of strided vectors:
// the same layer 33.9 / 17.1 GFLOP/s against 27.3 / 14.3 on the plane (AVX2, two threads /
// one, side by side, twenty-first session).
ScheduleChoice x86_depthwise_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    const bool phases = column_phases_fit(layer, isa.lanes);
    const bool tile_rows = !phases && layer.stride.w == 1 && input_plane_outgrows_l1(layer);
    const int rows = depthwise_tile_rows(layer, tile_rows ? 7 : 4);
    ScheduleChoice choice = cpu_depthwise_choice(family(isa, "depthwise"), isa.lanes,
                                                 depthwise_tile_vectors(layer, isa, rows), rows, layer);
    choice.params["stage_input"] = phases ? 2 : tile_rows ? 3 : 1;
    return choice;
}

ScheduleSpace x86_lane_blocked_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_lane_blocked_space(family(isa, "lane_blocked"), isa.lanes, isa.registers, layer);
}

ScheduleChoice x86_lane_blocked_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_lane_blocked_choice(family(isa, "lane_blocked"), isa.lanes, layer);
}

bool x86_flat_pixels_applies(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return flat_pixels_fits(layer, isa.lanes);
}

ScheduleSpace x86_flat_pixel_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_flat_pixel_space(family(isa, "flat_pixels"), isa.lanes, isa.registers, layer);
}

ScheduleChoice x86_flat_pixel_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_flat_pixel_choice(family(isa, "flat_pixels"), isa.lanes, isa.registers, layer);
}

bool x86_flat_plane_applies(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return flat_plane_fits(layer, isa.lanes, isa.registers);
}

ScheduleSpace x86_flat_plane_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_flat_plane_space(family(isa, "flat_plane"), isa.lanes, isa.registers, layer);
}

ScheduleChoice x86_flat_plane_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_flat_plane_choice(family(isa, "flat_plane"), isa.lanes, isa.registers, layer);
}

bool x86_deinterleaved_applies(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return deinterleaved_fits(layer, isa.lanes, isa.registers);
}

ScheduleSpace x86_deinterleaved_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_deinterleaved_space(family(isa, "deinterleaved"), isa.lanes, isa.registers, layer);
}

ScheduleChoice x86_deinterleaved_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_deinterleaved_choice(family(isa, "deinterleaved"), isa.lanes, isa.registers, layer);
}

bool x86_interleaved_applies(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_interleaved_applies(layer, isa.lanes, isa.registers);
}

bool x86_interleaved_preferred(const Layer &layer, const Target &target) {
    return x86_interleaved_applies(layer, target) && cpu_interleaved_preferred(layer, isa_of(target).lanes);
}

ScheduleSpace x86_interleaved_space(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_interleaved_space(family(isa, "group_interleaved"), isa.lanes, isa.registers, layer);
}

ScheduleChoice x86_interleaved_default(const Layer &layer, const Target &target) {
    X86Isa isa = isa_of(target);
    return cpu_interleaved_choice(family(isa, "group_interleaved"), isa.lanes, isa.registers, layer);
}

}  // namespace convc
