// The tuner's parts: the search never repeats or leaves the space, the database round-trips
// and keys layers by shape, schedule selection prefers the database, candidates from the
// whole space compute the right thing, and Halide's autoschedulers give correct kernels.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <fstream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>

#include "pipeline/schedule_selection.h"
#include "schedules/choose_schedule.h"
#include "schedules/cpu_blocked_conv.h"
#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_flat_pixel_conv.h"
#include "schedules/cuda_conv.h"
#include "schedules/tile_overhang.h"
#include "schedules/unrolled_taps.h"
#include "schedules/x86_conv_params.h"
#include "spec/spec_error.h"
#include "tune/candidate_search.h"
#include "tune/halide_log_filter.h"
#include "tune/host_cpu.h"
#include "tune/measure_schedule.h"
#include "tune/other_process_check.h"
#include "tune/schedule_database.h"
#include "tune/tune_module.h"

namespace {

namespace fs = std::filesystem;

convc::Layer small_layer(int64_t groups = 1) {
    convc::Layer l;
    l.name = "small";
    l.in_channels = 8;
    l.out_channels = 8;
    l.kernel = {3, 3};
    l.padding = {1, 1};
    l.groups = groups;
    l.input_shape = convc::Shape4{1, 8, 9, 37};
    return l;
}

// small_layer's 3x3 window on c input and k output channels of a width x width image.
convc::Layer square_layer(int64_t c, int64_t k, int64_t width, int64_t groups = 1) {
    convc::Layer l = small_layer(groups);
    l.in_channels = c;
    l.out_channels = k;
    l.input_shape = convc::Shape4{1, c, width, width};
    return l;
}

const Halide::Target kHost = Halide::get_host_target();

TEST(CandidateSearch, StartsWithTheDefaultAndNeverRepeats) {
    convc::Layer layer = small_layer();
    std::vector<convc::ScheduleSpace> spaces = convc::schedule_spaces(layer, kHost);
    convc::ScheduleChoice start = convc::default_schedule(layer, kHost);
    convc::CandidateSearch search(spaces, start);
    std::set<std::string> seen;
    convc::ScheduleChoice c;
    ASSERT_TRUE(search.next(c));
    EXPECT_EQ(c, start);
    seen.insert(c.to_string());
    for (int i = 0; i < 40 && search.next(c); i++) {
        EXPECT_TRUE(seen.insert(c.to_string()).second) << c.to_string();
        EXPECT_TRUE(convc::fits_any_space(c, spaces)) << c.to_string();
        search.report(c, i);
    }
    EXPECT_GT(seen.size(), 10u);
}

// While the default stays the best, three proposals in four are one-parameter steps away
// from it, until those are spent.
TEST(CandidateSearch, StepsAwayFromTheBestBeforeWandering) {
    convc::Layer layer = small_layer();
    std::vector<convc::ScheduleSpace> spaces = convc::schedule_spaces(layer, kHost);
    convc::ScheduleChoice start = convc::default_schedule(layer, kHost);
    convc::CandidateSearch search(spaces, start);
    convc::ScheduleChoice c;
    ASSERT_TRUE(search.next(c));
    search.report(c, 100.0);
    auto differences = [&](const convc::ScheduleChoice &other) {
        if (other.family != start.family) {
            return -1;
        }
        int count = 0;
        for (const auto &[name, value] : start.params) {
            count += other.params.at(name) != value;
        }
        return count;
    };
    int steps = 0;
    for (int i = 0; i < 8; i++) {
        ASSERT_TRUE(search.next(c));
        search.report(c, 1.0);
        steps += differences(c) == 1;
    }
    EXPECT_GE(steps, 6);
    EXPECT_EQ(search.best(), start);
}

// A climb from the default stays in its family; every fourth proposal climbs another family
// instead, the others in turn: here the one whose first point scores worst has the best point,
// three steps from its first and above the leader's only there. Random points alone would
// hardly find it among 15625 of each family.
TEST(CandidateSearch, ClimbsTheOtherFamiliesInTurn) {
    const std::vector<std::string> names = {"a", "b", "c", "d", "e", "f"};
    auto space = [&](const std::string &family) {
        convc::ScheduleSpace s{family, {}, 0};
        for (const std::string &name : names) {
            s.params.push_back({name, {0, 1, 2, 3, 4}});
        }
        return s;
    };
    auto point = [&](const std::string &family, int a) {
        convc::ScheduleChoice c{family, {}};
        for (const std::string &name : names) {
            c.params[name] = 0;
        }
        c.params["a"] = a;
        return c;
    };
    const convc::ScheduleChoice leader = point("leader", 0), middle = point("middle", 0), target = point("last", 3);
    auto score = [&](const convc::ScheduleChoice &c) {
        if (c == leader) {
            return 10.0;
        }
        if (c == middle) {
            return 8.0;
        }
        for (int a = 0; a <= 3; a++) {
            if (c == point("last", a)) {
                return a == 3 ? 12.0 : 5.0 + a;
            }
        }
        return 1.0;
    };
    convc::CandidateSearch search({space("leader"), space("middle"), space("last")}, leader,
                                  {middle, point("last", 0)});
    convc::ScheduleChoice c;
    for (int i = 0; i < 80 && search.next(c); i++) {
        search.report(c, score(c));
    }
    EXPECT_EQ(search.best(), target) << search.best().to_string();
}

TEST(CandidateSearch, ExhaustsASmallSpace) {
    convc::ScheduleSpace space{"x86_avx512_depthwise",
                               {{"lanes", {16}}, {"x_vectors", {1, 2}}, {"stage_input", {0, 1}}, {"unroll_taps", {0}}},
                               32};
    convc::CandidateSearch search({space},
                                  {"x86_avx512_depthwise",
                                   {{"lanes", 16}, {"x_vectors", 1}, {"stage_input", 1}, {"unroll_taps", 0}}},
                                  {{"auto:Adams2019", {}}});
    convc::ScheduleChoice c;
    std::vector<std::string> order;
    while (search.next(c)) {
        order.push_back(c.family);
    }
    ASSERT_EQ(order.size(), 5u);  // the four points of the space and the seed
    EXPECT_EQ(order[1], "auto:Adams2019");
}

TEST(CandidateSearch, LeadersAreTheBestScoredFirst) {
    convc::ScheduleSpace space{"x86_avx512_depthwise",
                               {{"lanes", {16}}, {"x_vectors", {1, 2}}, {"stage_input", {0, 1}}, {"unroll_taps", {0}}},
                               32};
    convc::CandidateSearch search({space}, {"x86_avx512_depthwise",
                                            {{"lanes", 16}, {"x_vectors", 1}, {"stage_input", 1}, {"unroll_taps", 0}}});
    std::vector<convc::ScheduleChoice> tried;
    convc::ScheduleChoice c;
    const double scores[] = {5.0, 9.0, 1.0, 7.0};
    while (search.next(c)) {
        search.report(c, scores[tried.size()]);
        tried.push_back(c);
    }
    ASSERT_EQ(tried.size(), 4u);
    std::vector<std::pair<convc::ScheduleChoice, double>> top = search.leaders(3);
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0].first, tried[1]);
    EXPECT_EQ(top[0].second, 9.0);
    EXPECT_EQ(top[1].first, tried[3]);
    EXPECT_EQ(top[2].first, tried[0]);
    EXPECT_EQ(search.leaders(10).size(), 4u);
}

// The tuner is seeded with the default's tile in its other shapes: no more accumulators, the
// widest row for each channel count, inside the space.
TEST(ScheduleSpace, RegisterTileShapesTradeChannelsForPixels) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    convc::Layer layer = square_layer(128, 128, 28);
    layer.kernel = {3, 3};
    layer.padding = {1, 1};
    layer.layout = convc::MemoryLayout::Nhwc;
    convc::ScheduleChoice start = convc::default_schedule(layer, avx512);
    ASSERT_EQ(start.family, "x86_avx512_blocked");
    const int accumulators = start.param("k_vectors") * start.param("x_pixels");
    std::set<int> channel_counts;
    for (const convc::ScheduleSpace &space : convc::schedule_spaces(layer, avx512)) {
        for (const convc::ScheduleChoice &shape : convc::register_tile_shapes(start, space)) {
            EXPECT_TRUE(convc::fits_space(shape, space)) << shape.to_string();
            EXPECT_FALSE(shape == start);
            EXPECT_LE(shape.param("k_vectors") * shape.param("x_pixels"), accumulators) << shape.to_string();
            EXPECT_TRUE(channel_counts.insert(shape.param("k_vectors")).second) << "one shape per channel count";
            convc::ScheduleChoice rest = shape;
            rest.params["k_vectors"] = start.param("k_vectors");
            rest.params["x_pixels"] = start.param("x_pixels");
            EXPECT_TRUE(rest == start) << "only the tile changes: " << shape.to_string();
        }
    }
    EXPECT_TRUE(channel_counts.count(1)) << "one channel vector along the row";
    EXPECT_FALSE(channel_counts.empty());
}

// A layer of fixed shape builds only the row tail its width takes; an open shape builds both.
TEST(ScheduleSpace, AFixedRowWidthBuildsOnlyItsTail) {
    auto built_tails = [](std::optional<int> width) {
        Halide::Func f;
        Halide::Var x, y;
        f(x, y) = x + y;
        if (width) {
            f.output_buffer().dim(0).set_extent(*width);
        }
        std::vector<Halide::TailStrategy> built;
        convc::tile_rows_by_width(f, 16,
                                  [&](Halide::Stage, Halide::TailStrategy tail) { built.push_back(tail); });
        return built;
    };
    using T = Halide::TailStrategy;
    EXPECT_EQ(built_tails(std::nullopt), (std::vector<T>{T::ShiftInwards, T::GuardWithIf}));
    EXPECT_EQ(built_tails(7), (std::vector<T>{T::GuardWithIf}));
    EXPECT_EQ(built_tails(16), (std::vector<T>{T::ShiftInwards}));
    EXPECT_EQ(built_tails(56), (std::vector<T>{T::ShiftInwards}));
}

TEST(ScheduleSpace, RegisterBudgetRejectsOversizedTiles) {
    convc::Layer layer = small_layer();
    std::vector<convc::ScheduleSpace> spaces = convc::schedule_spaces(layer, kHost);
    convc::ScheduleChoice c = convc::x86_direct_default(layer, kHost);
    c.params["x_vectors"] = 6;
    c.params["tile_k"] = 8;
    EXPECT_FALSE(convc::fits_any_space(c, spaces));
    EXPECT_TRUE(convc::fits_any_space(convc::default_schedule(layer, kHost), spaces));
}

// A blocked tile needs its sums, the operands of its smaller loop (kept live while the larger
// one runs) and one more: with 16 registers 6 pixels x 2 channel vectors and 3 x 4 fit, 7 x 2
// and 5 x 3 do not.
TEST(ScheduleSpace, BlockedRegisterBudgetCountsTheSmallerTileLoop) {
    auto tile = [](int x_pixels, int k_vectors) {
        return convc::ScheduleChoice{"x86_avx2_blocked", {{"x_pixels", x_pixels}, {"k_vectors", k_vectors}}};
    };
    EXPECT_TRUE(convc::blocked_choice_fits(tile(6, 2), 16));
    EXPECT_TRUE(convc::blocked_choice_fits(tile(3, 4), 16));
    EXPECT_TRUE(convc::blocked_choice_fits(tile(14, 1), 16));
    EXPECT_FALSE(convc::blocked_choice_fits(tile(7, 2), 16));
    EXPECT_FALSE(convc::blocked_choice_fits(tile(5, 3), 16));
    EXPECT_TRUE(convc::blocked_choice_fits(tile(6, 4), 32));
    EXPECT_FALSE(convc::blocked_choice_fits(tile(8, 4), 32));
}

// Groups of 4 to 12 output channels take the group-interleaved family by default where it was
// measured to win (channels-last; NCHW from 8 a group), with a tile that fits the register file
// and least overshoots the row.
TEST(ScheduleSpace, NarrowGroupsDefaultToTheInterleavedFamily) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    auto grouped = [](int64_t channels, int64_t width, convc::MemoryLayout layout) {
        convc::Layer l = square_layer(channels, channels, width, 32);
        l.layout = layout;
        return l;
    };
    struct Case {
        convc::Layer layer;
        Halide::Target target;
        std::string family;
        int x_pixels;  // 0: not checked
    };
    const std::vector<Case> cases = {
        {grouped(128, 56, convc::MemoryLayout::Nhwc), avx512, "x86_avx512_group_interleaved", 14},
        {grouped(256, 28, convc::MemoryLayout::Nhwc), avx512, "x86_avx512_group_interleaved", 7},
        {grouped(256, 28, convc::MemoryLayout::Nchw), avx512, "x86_avx512_group_interleaved", 7},
        {grouped(128, 56, convc::MemoryLayout::Nchw), avx512, "x86_avx512_direct", 0},
        {grouped(128, 56, convc::MemoryLayout::Nhwc), avx2, "x86_avx2_group_interleaved", 4},  // 7 x 2 does not fit
        {grouped(32, 28, convc::MemoryLayout::Nhwc), avx512, "x86_avx512_lane_blocked", 0},  // depthwise
    };
    for (const Case &c : cases) {
        convc::ScheduleChoice choice = convc::default_schedule(c.layer, c.target);
        EXPECT_EQ(choice.family, c.family) << c.layer.out_channels << " channels";
        if (c.x_pixels) {
            EXPECT_EQ(choice.param("x_pixels"), c.x_pixels) << choice.to_string();
        }
        EXPECT_TRUE(convc::fits_any_space(choice, convc::schedule_spaces(c.layer, c.target))) << choice.to_string();
    }
}

// NCHW layers whose window spans both axes take the blocked family whatever their width, and
// skip the taps in zero padding (never in another padding mode, where they are not zeros);
// 1x1 layers on wide rows keep row vectors.
TEST(ScheduleSpace, TwoAxisWindowsDefaultToTheBlockedFamily) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    auto layer = [](int64_t c, int64_t k, int64_t kernel, int64_t stride, int64_t width, convc::PaddingMode mode) {
        convc::Layer l = square_layer(c, k, width);
        l.kernel = {kernel, kernel};
        l.stride = {stride, stride};
        l.padding = {kernel / 2, kernel / 2};
        l.padding_mode = mode;
        return l;
    };
    struct Case {
        convc::Layer layer;
        std::string family;
        int trim_taps;  // -1: not checked
    };
    const std::vector<Case> cases = {
        {layer(64, 64, 3, 1, 56, convc::PaddingMode::Zeros), "x86_avx512_blocked", 1},
        {layer(3, 64, 7, 2, 224, convc::PaddingMode::Zeros), "x86_avx512_blocked", 1},
        {layer(64, 64, 3, 1, 56, convc::PaddingMode::Reflect), "x86_avx512_blocked", 0},
        {layer(64, 256, 1, 1, 56, convc::PaddingMode::Zeros), "x86_avx512_flat_pixels", -1},
        {layer(64, 256, 1, 2, 56, convc::PaddingMode::Zeros), "x86_avx512_blocked", -1},
    };
    for (const Case &c : cases) {
        convc::ScheduleChoice choice = convc::default_schedule(c.layer, avx512);
        EXPECT_EQ(choice.family, c.family) << c.layer.kernel.w << "x" << c.layer.kernel.h;
        if (c.trim_taps >= 0) {
            EXPECT_EQ(choice.param("trim_taps"), c.trim_taps) << choice.to_string();
            EXPECT_EQ(choice.param("stage_input"), 1 - c.trim_taps) << choice.to_string();
        }
        EXPECT_TRUE(convc::fits_any_space(choice, convc::schedule_spaces(c.layer, avx512))) << choice.to_string();
    }
}

// NCHW pointwise layers run over flattened pixels, two 56-pixel rows (7 vectors) or four
// 28-pixel rows by 3 output channels; channels-last ones keep channel vectors.
TEST(ScheduleSpace, PointwiseNchwLayersDefaultToFlatPixels) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    for (int64_t width : {56, 28, 14}) {
        convc::Layer pointwise = square_layer(256, 64, width);
        pointwise.kernel = {1, 1};
        pointwise.padding = {0, 0};
        convc::ScheduleChoice choice = convc::default_schedule(pointwise, avx512);
        EXPECT_EQ(choice.family, "x86_avx512_flat_pixels") << width;
        EXPECT_EQ(choice.param("x_vectors"), 7) << choice.to_string();
        EXPECT_EQ(choice.param("tile_k"), 3) << choice.to_string();
        EXPECT_EQ(choice.param("stage_input"), 1) << choice.to_string();
        EXPECT_TRUE(convc::fits_any_space(choice, convc::schedule_spaces(pointwise, avx512))) << choice.to_string();
        pointwise.layout = convc::MemoryLayout::Nhwc;
        EXPECT_NE(convc::default_schedule(pointwise, avx512).family, "x86_avx512_flat_pixels") << width;
    }
}

// AVX2's 16 registers hold no whole run of 56-pixel rows with more than one output channel. A
// stride-1 layer's runs cross rows, and its default is the direct family's 3 x 4 tile as a
// whole run, which covers the 3136-pixel plane with 3144 (row tiles: 72 columns of every
// 56), staged. A strided layer's runs stay whole rows (the flat family cuts a 14-vector run
// into tiles of 2 vectors by 6 channels, a tile its space holds and a whole-run tile does
// not) and its default stays off the family, as it does on AVX-512.
TEST(ScheduleSpace, FlatPixelRunsCrossRowsOnAvx2) {
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    convc::Layer pointwise = square_layer(256, 64, 56);
    pointwise.kernel = {1, 1};
    pointwise.padding = {0, 0};
    convc::ScheduleChoice flat = convc::x86_flat_pixel_default(pointwise, avx2);
    EXPECT_EQ(flat.param("x_vectors"), 3) << flat.to_string();
    EXPECT_EQ(flat.param("tile_vectors"), 3) << flat.to_string();
    EXPECT_EQ(flat.param("tile_k"), 4) << flat.to_string();
    EXPECT_EQ(flat.param("stage_input"), 1) << flat.to_string();
    EXPECT_TRUE(convc::fits_space(flat, convc::x86_flat_pixel_space(pointwise, avx2))) << flat.to_string();
    EXPECT_EQ(convc::default_schedule(pointwise, avx2), flat);
    EXPECT_EQ(convc::flat_pixel_plane_run(pointwise, flat), 24);

    pointwise.stride = {2, 2};
    flat = convc::x86_flat_pixel_default(pointwise, avx2);
    EXPECT_EQ(flat.param("x_vectors"), 14) << flat.to_string();
    EXPECT_EQ(flat.param("tile_vectors"), 2) << flat.to_string();
    EXPECT_EQ(flat.param("tile_k"), 6) << flat.to_string();
    EXPECT_EQ(flat.param("stage_input"), 1) << flat.to_string();
    EXPECT_EQ(convc::flat_pixel_plane_run(pointwise, flat), 0);
    const convc::ScheduleSpace space = convc::x86_flat_pixel_space(pointwise, avx2);
    EXPECT_TRUE(convc::fits_space(flat, space)) << flat.to_string();
    convc::ScheduleChoice whole_run = flat;
    whole_run.params["tile_vectors"] = 14;
    EXPECT_FALSE(convc::fits_space(whole_run, space));
    convc::ScheduleChoice uneven = flat;
    uneven.params["tile_vectors"] = 3;
    uneven.params["tile_k"] = 4;
    EXPECT_FALSE(convc::fits_space(uneven, space)) << "3 vectors do not divide a 14-vector run";
    EXPECT_NE(convc::default_schedule(pointwise, avx2).family, "x86_avx2_flat_pixels");
    EXPECT_NE(convc::default_schedule(pointwise, avx512).family, "x86_avx512_flat_pixels");
}

// Runs across rows are the default only where they cover the plane with little to spare: a
// 7x7 plane's 24-pixel runs would compute 72 pixels for 49.
TEST(ScheduleSpace, FlatPixelRunsAcrossRowsSpareLittleOfThePlane) {
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    convc::Layer pointwise = square_layer(256, 64, 28);
    pointwise.kernel = {1, 1};
    pointwise.padding = {0, 0};
    EXPECT_EQ(convc::default_schedule(pointwise, avx2).family, "x86_avx2_flat_pixels");
    pointwise = square_layer(256, 64, 7);
    pointwise.kernel = {1, 1};
    pointwise.padding = {0, 0};
    EXPECT_TRUE(convc::x86_flat_pixels_applies(pointwise, avx2));
    EXPECT_NE(convc::default_schedule(pointwise, avx2).family, "x86_avx2_flat_pixels");
}

// The AVX-512 defaults measured on the Skylake-SP host (x86_conv_params.cpp): a 14-pixel row in
// one tile of one channel vector; channel blocks halved until their weights fit 1 MB; strided
// 1x1 layers reading dense samples; row-vector tiles that cover a narrow row with fewer
// vectors and more channels.
// Every 3x3 tile of the spaces (up to 28 vectors) keeps its window rows unrolled; 5x5 and 7x7
// windows over wide tiles loop over their rows (a 5x5 lane-blocked sweep case compiled in 15 s
// instead of 55 s), and a window of unknown size never unrolls.
TEST(ScheduleSpace, WindowRowsUnrollWithinTheBudget) {
    EXPECT_TRUE(convc::unrolls_window_rows(28, Halide::RDom(0, 3, 0, 3)));
    EXPECT_TRUE(convc::unrolls_window_rows(7, Halide::RDom(0, 5, 0, 5)));
    EXPECT_FALSE(convc::unrolls_window_rows(14, Halide::RDom(0, 5, 0, 5)));
    EXPECT_FALSE(convc::unrolls_window_rows(7, Halide::RDom(0, 7, 0, 7)));
    EXPECT_TRUE(convc::unrolls_window_rows(4, Halide::RDom(0, 7, 0, 7)));
    Halide::Param<int> height;
    EXPECT_FALSE(convc::unrolls_window_rows(1, Halide::RDom(0, 3, 0, height)));
}

TEST(ScheduleSpace, AvxDefaultsFitTheRowAndTheCache) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    auto expect_fits = [&](const convc::ScheduleChoice &choice, const convc::Layer &layer) {
        EXPECT_TRUE(convc::fits_any_space(choice, convc::schedule_spaces(layer, avx512))) << choice.to_string();
    };
    convc::Layer row14 = square_layer(256, 256, 14);
    convc::ScheduleChoice whole_row = convc::default_schedule(row14, avx512);
    EXPECT_EQ(whole_row.param("x_pixels"), 14) << whole_row.to_string();
    EXPECT_EQ(whole_row.param("k_vectors"), 1) << whole_row.to_string();
    expect_fits(whole_row, row14);

    convc::Layer inception = square_layer(768, 192, 17);
    inception.kernel = {1, 7};  // 1 high, 7 wide
    inception.padding = {0, 3};
    inception.layout = convc::MemoryLayout::Nhwc;
    inception.input_shape = convc::Shape4{1, 768, 17, 17};
    convc::ScheduleChoice halved = convc::default_schedule(inception, avx512);
    EXPECT_EQ(halved.param("k_vectors"), 2) << halved.to_string();  // 4 vectors: 1.4 MB of weights
    expect_fits(halved, inception);

    // 16 registers, NCHW: the input channels a chunk at a time, 3 x 3 tiles, the 7x1's down a column.
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    for (convc::HW kernel : {convc::HW{1, 7}, convc::HW{7, 1}}) {
        convc::Layer planar = square_layer(768, 192, 17);
        planar.kernel = kernel;
        planar.padding = {kernel.h / 2, kernel.w / 2};
        convc::ScheduleChoice chunked = convc::default_schedule(planar, avx2);
        EXPECT_EQ(chunked.param("channel_chunk"), 4) << chunked.to_string();
        EXPECT_EQ(chunked.param("unroll_taps"), 0) << chunked.to_string();
        EXPECT_EQ(chunked.param("columns"), kernel.w == 1 ? 1 : 0) << chunked.to_string();
        EXPECT_TRUE(convc::fits_any_space(chunked, convc::schedule_spaces(planar, avx2))) << chunked.to_string();
    }

    // 16 registers: a 7-pixel row in one tile of one channel vector, in either layout.
    for (convc::MemoryLayout layout : {convc::MemoryLayout::Nchw, convc::MemoryLayout::Nhwc}) {
        convc::Layer row7 = square_layer(512, 512, 7);
        row7.layout = layout;
        convc::ScheduleChoice whole_row7 = convc::default_schedule(row7, avx2);
        EXPECT_EQ(whole_row7.param("x_pixels"), 7) << whole_row7.to_string();
        EXPECT_EQ(whole_row7.param("k_vectors"), 1) << whole_row7.to_string();
        EXPECT_TRUE(convc::fits_any_space(whole_row7, convc::schedule_spaces(row7, avx2))) << whole_row7.to_string();
    }

    convc::Layer strided = square_layer(256, 512, 56);
    strided.kernel = {1, 1};
    strided.padding = {0, 0};
    strided.stride = {2, 2};
    convc::ScheduleChoice sampled = convc::default_schedule(strided, avx512);
    EXPECT_EQ(sampled.param("stage_rows"), 1) << sampled.to_string();
    expect_fits(sampled, strided);
    convc::ScheduleChoice chunked_rows = sampled;  // ran 60x slower: out of the space
    chunked_rows.params["channel_chunk"] = 16;
    EXPECT_FALSE(convc::fits_any_space(chunked_rows, convc::schedule_spaces(strided, avx512)));
    convc::ScheduleChoice rows = convc::x86_direct_default(strided, avx512);  // 28-pixel rows
    EXPECT_EQ(rows.param("x_vectors"), 2) << rows.to_string();
    EXPECT_EQ(rows.param("tile_k"), 12) << rows.to_string();
    expect_fits(rows, strided);

    // Channels-last depthwise layers below the serial line: shared out in a few tasks where
    // the input outgrows a core's L2, serial where it fits.
    auto depthwise_nhwc = [](int64_t channels, int64_t size, int64_t stride) {
        convc::Layer layer = square_layer(channels, channels, size);
        layer.groups = channels;
        layer.stride = {stride, stride};
        layer.layout = convc::MemoryLayout::Nhwc;
        return layer;
    };
    convc::Layer large_input = depthwise_nhwc(144, 56, 2);  // 1.0 M multiply-adds, 1.8 MB of input
    convc::ScheduleChoice shared = convc::default_schedule(large_input, avx512);
    EXPECT_EQ(shared.param("tasks"), 4) << shared.to_string();
    expect_fits(shared, large_input);
    convc::Layer small_input = depthwise_nhwc(384, 14, 1);  // 0.68 M multiply-adds, 0.3 MB of input
    convc::ScheduleChoice serial = convc::default_schedule(small_input, avx512);
    EXPECT_EQ(serial.param("tasks"), 1) << serial.to_string();
    expect_fits(serial, small_input);
}

// A depthwise row of one to two vectors is one tile of two where the accumulators leave
// registers to spare: AVX-512 on MobileNetV2's stride-2 layer (28 wide), not AVX2 on its 14x14
// one (2 x 7 accumulators of 16 registers), nor a row of one vector or of more than two.
TEST(ScheduleSpace, DepthwiseRowsOfTwoVectorsTakeOneTile) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    auto depthwise = [](int64_t channels, int64_t width, int64_t stride) {
        convc::Layer l = square_layer(channels, channels, width, channels);
        l.stride = {stride, stride};
        return l;
    };
    auto x_vectors = [](const convc::Layer &layer, const Halide::Target &target) {
        convc::ScheduleChoice c = convc::x86_depthwise_default(layer, target);
        EXPECT_TRUE(convc::fits_any_space(c, convc::schedule_spaces(layer, target))) << c.to_string();
        return c.param("x_vectors");
    };
    EXPECT_EQ(x_vectors(depthwise(144, 56, 2), avx512), 2);  // 28 wide
    EXPECT_EQ(x_vectors(depthwise(144, 56, 2), avx2), 1);    // 3.5 vectors
    EXPECT_EQ(x_vectors(depthwise(384, 14, 1), avx512), 1);  // within one vector
    EXPECT_EQ(x_vectors(depthwise(384, 14, 1), avx2), 1);    // 7 rows: 14 accumulators
    EXPECT_EQ(x_vectors(depthwise(32, 112, 1), avx512), 1);
}

// AVX-512 channels-last depthwise: 2 vectors by 2 pixels where rows split into pairs and the
// channels into 8 or more blocks of 2 vectors; odd rows, few blocks and strides keep their tile.
TEST(ScheduleSpace, ChannelsLastDepthwisePairsPixelsWhereBlocksAbound) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    auto tile = [&](int64_t channels, int64_t width, int64_t stride) {
        convc::Layer l = square_layer(channels, channels, width, channels);
        l.layout = convc::MemoryLayout::Nhwc;
        l.stride = {stride, stride};
        convc::ScheduleChoice c = convc::default_schedule(l, avx512);
        EXPECT_EQ(c.family, "x86_avx512_lane_blocked") << c.to_string();
        EXPECT_TRUE(convc::fits_any_space(c, convc::schedule_spaces(l, avx512))) << c.to_string();
        return std::pair{c.param("k_vectors"), c.param("x_pixels")};
    };
    EXPECT_EQ(tile(384, 14, 1), (std::pair{2, 2}));  // 12 blocks
    EXPECT_EQ(tile(960, 14, 1), (std::pair{2, 2}));
    EXPECT_EQ(tile(960, 7, 1), (std::pair{1, 7}));   // odd rows
    EXPECT_EQ(tile(192, 28, 1), (std::pair{1, 7}));  // 6 blocks
    EXPECT_EQ(tile(32, 112, 1), (std::pair{2, 7}));  // one block: both vectors in the tile
    EXPECT_EQ(tile(384, 28, 2), (std::pair{1, 7}));  // stride 2
}

// NCHW depthwise planes: rows of half a vector or more on staged row tiles, narrower ones as
// flat runs; both share the channels out in 4 tasks, planes worth a task each too (not 16
// tasks, nor one a plane), and run serially below the planes' line.
TEST(ScheduleSpace, DepthwiseDefaultsTileRowsOfHalfAVectorOrMore) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    convc::Layer rows_of_14 = square_layer(384, 384, 14, 384);  // 0.68 M multiply-adds
    convc::ScheduleChoice rows = convc::default_schedule(rows_of_14, avx512);
    EXPECT_EQ(rows.family, "x86_avx512_depthwise") << rows.to_string();
    EXPECT_EQ(rows.param("tasks"), 4) << rows.to_string();
    EXPECT_TRUE(convc::fits_any_space(rows, convc::schedule_spaces(rows_of_14, avx512))) << rows.to_string();
    convc::Layer rows_of_7 = square_layer(960, 960, 7, 960);
    convc::ScheduleChoice flat = convc::default_schedule(rows_of_7, avx512);
    EXPECT_EQ(flat.family, "x86_avx512_flat_plane") << flat.to_string();
    EXPECT_EQ(flat.param("tasks"), 4) << flat.to_string();
    convc::Layer wide = square_layer(32, 32, 112, 32);  // 113 K multiply-adds a plane
    EXPECT_EQ(convc::default_schedule(wide, avx512).param("tasks"), 4);
    convc::Layer small = square_layer(16, 16, 28, 16);  // 0.11 M multiply-adds
    EXPECT_EQ(convc::default_schedule(small, avx512).param("tasks"), 1);
}

// NCHW depthwise planes past 32 KB stage their rows a row of tiles at a time (stage_input 3);
// smaller planes are staged whole, strided rows by column phase. Rows read at a stride along x
// are never staged by tile row.
TEST(ScheduleSpace, DepthwisePlanesPastL1StageTheirTileRows) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    auto staging = [](int64_t channels, int64_t width, int64_t stride, const Halide::Target &target) {
        convc::Layer l = square_layer(channels, channels, width, channels);
        l.stride = {stride, stride};
        convc::ScheduleChoice c = convc::x86_depthwise_default(l, target);
        EXPECT_TRUE(convc::fits_any_space(c, convc::schedule_spaces(l, target))) << c.to_string();
        return c.param("stage_input");
    };
    EXPECT_EQ(staging(32, 112, 1, avx512), 3);  // 49 KB planes
    EXPECT_EQ(staging(32, 112, 1, avx2), 3);
    EXPECT_EQ(staging(144, 56, 1, avx512), 1);  // 12.5 KB
    EXPECT_EQ(staging(96, 112, 2, avx512), 2);  // column phases
    convc::Layer strided = square_layer(8, 8, 40, 8);  // 13 strided columns: no column phases
    strided.stride = {1, 3};
    for (const convc::ScheduleSpace &space : convc::schedule_spaces(strided, avx512)) {
        if (space.family == "x86_avx512_depthwise") {
            const std::vector<int> &stagings = space.values("stage_input");
            EXPECT_EQ(std::count(stagings.begin(), stagings.end(), 3), 0) << "rows read at stride 3";
        }
    }
    EXPECT_NE(staging(8, 112, 3, avx512), 3);
}

// The direct family reads a grouped layer's input in place: a strip of every input channel
// staged per output row feeds only each group's few output channels.
TEST(ScheduleSpace, GroupedDirectDefaultsReadTheInputInPlace) {
    const Halide::Target avx512("x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
    convc::Layer resnext = square_layer(128, 128, 56, 32);  // 4 channels a group
    convc::ScheduleChoice grouped = convc::default_schedule(resnext, avx512);
    ASSERT_EQ(grouped.family, "x86_avx512_direct") << grouped.to_string();
    EXPECT_EQ(grouped.param("stage_input"), 0) << grouped.to_string();
    EXPECT_TRUE(convc::fits_any_space(grouped, convc::schedule_spaces(resnext, avx512))) << grouped.to_string();
    convc::Layer dense = square_layer(24, 24, 56);
    convc::ScheduleChoice staged = convc::x86_direct_default(dense, avx512);
    EXPECT_EQ(staged.param("stage_input"), 1) << staged.to_string();
}

// A CUDA block stages whole tiles of output channels and input-channel chunks, so a tile
// that overhangs its channels reads past the weight or input (seen as bounds errors on an
// H200 for K=6 with tiles of 4 and C=3 with chunks of 2). A split reduction's parts cut the
// channels evenly too, 16 or more each.
TEST(ScheduleSpace, CudaTilesDivideTheirChannels) {
    struct Shape {
        int64_t c, k, groups, kernel, stride;
    };
    for (Shape s : std::vector<Shape>{{4, 6, 2, 3, 1}, {3, 64, 1, 7, 2}, {8, 12, 4, 3, 1}, {7, 5, 1, 3, 1},
                                      {32, 32, 32, 3, 1}, {768, 192, 1, 1, 1}, {6, 18, 3, 5, 2}}) {
        convc::Layer layer = small_layer();
        layer.in_channels = s.c;
        layer.out_channels = s.k;
        layer.groups = s.groups;
        layer.kernel = {s.kernel, s.kernel};
        layer.stride = {s.stride, s.stride};
        layer.input_shape.reset();
        std::string name = "C=" + std::to_string(s.c) + " K=" + std::to_string(s.k) + " g=" + std::to_string(s.groups);
        convc::ScheduleSpace space = convc::cuda_direct_space(layer);
        std::vector<convc::ScheduleChoice> choices = {convc::cuda_direct_default(layer)};
        auto values = [&](const std::string &param) {
            for (const convc::ParamRange &range : space.params) {
                if (range.name == param) {
                    return range.values;
                }
            }
            ADD_FAILURE() << "no parameter " << param;
            return std::vector<int>{};
        };
        for (int tile_k : values("tile_k")) {
            for (int chunk : values("channel_chunk")) {
                choices.push_back({"cuda_direct",
                                   {{"rows", 2}, {"tile_k", tile_k}, {"channel_chunk", chunk}, {"reduction_split", 1}}});
            }
        }
        for (int parts : values("reduction_split")) {
            EXPECT_EQ((s.c / s.groups) % parts, 0) << name << ": " << parts << " parts";
            EXPECT_TRUE(parts == 1 || s.c / s.groups / parts >= 16) << name << ": " << parts << " parts";
        }
        for (const convc::ScheduleChoice &c : choices) {
            EXPECT_EQ(s.k % c.param("tile_k"), 0) << name << ": " << c.to_string();
            EXPECT_EQ((s.c / s.groups) % c.param("channel_chunk"), 0) << name << ": " << c.to_string();
        }
    }
}

TEST(ScheduleDatabase, RoundTripsAndKeysByShapeNotName) {
    fs::path path = fs::temp_directory_path() / ("convc_db_test_" + std::to_string(::getpid()) + ".yaml");
    convc::Layer layer = small_layer();
    convc::TunedEntry entry;
    entry.schedule = convc::default_schedule(layer, kHost);
    entry.schedule.params["x_vectors"] = 1;
    entry.gflops = 12.5;
    entry.default_gflops = 10;
    entry.threads = 2;
    entry.candidates = 7;
    {
        convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
        EXPECT_EQ(db.size(), 0u);
        db.store(layer, kHost, entry);
        db.save();
    }
    convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
    convc::Layer renamed = layer;
    renamed.name = "another_name_same_shape";
    auto found = db.find(renamed, kHost);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->schedule, entry.schedule);
    EXPECT_EQ(found->candidates, 7);
    convc::Layer other = layer;
    other.stride = {2, 2};
    EXPECT_FALSE(db.find(other, kHost).has_value());
    EXPECT_FALSE(db.find(layer, Halide::Target("x86-64-linux-sse41")).has_value());
    fs::remove(path);
}

// The tuner seeds a layer with its neighbours' entries: the same shape in the other layout
// first, then the shape that shares more of the signature, never the layer's own entry or
// one for another target.
TEST(ScheduleDatabase, NearestSchedulesPutTheOtherLayoutFirst) {
    convc::Layer layer = square_layer(16, 16, 14);
    layer.layout = convc::MemoryLayout::Nhwc;
    convc::Layer other_layout = layer;
    other_layout.layout = convc::MemoryLayout::Nchw;
    convc::Layer wider = layer;  // other channel counts and width: three fields differ
    wider.in_channels = wider.out_channels = 32;
    wider.input_shape = convc::Shape4{1, 32, 28, 28};
    convc::Layer strided = layer;  // another stride: one more field differs
    strided.stride = {2, 2};
    auto entry = [](int x_pixels) {
        return convc::TunedEntry{{"x86_avx2_blocked", {{"x_pixels", x_pixels}}}, 1, 1, 1, 1};
    };
    convc::ScheduleDatabase db = convc::ScheduleDatabase::load("/nonexistent/convc_db.yaml");
    db.store(layer, kHost, entry(1));
    db.store(wider, kHost, entry(2));
    db.store(strided, kHost, entry(3));
    db.store(other_layout, kHost, entry(4));
    db.store(other_layout, Halide::Target("x86-64-linux-sse41"), entry(5));
    std::vector<convc::ScheduleChoice> nearest = db.nearest_schedules(layer, kHost);
    ASSERT_EQ(nearest.size(), 3u);
    EXPECT_EQ(nearest[0], entry(4).schedule);
    EXPECT_EQ(nearest[1], entry(3).schedule);
    EXPECT_EQ(nearest[2], entry(2).schedule);
}

// Machines that share a Halide target string keep their own entries: this machine's first,
// then one whose processor is not recorded (a database from before the field), then another
// machine's; a save keeps the processor, and selection says whose entry it took.
TEST(ScheduleDatabase, PrefersThisProcessorsEntry) {
    fs::path path = fs::temp_directory_path() / ("convc_db_cpu_" + std::to_string(::getpid()) + ".yaml");
    convc::Layer layer = small_layer();
    auto entry = [&](int x_pixels, const std::string &cpu) {
        convc::TunedEntry e{{"x86_avx2_blocked", {{"x_pixels", x_pixels}}}, 1, 1, 1, 1};
        e.cpu = cpu;
        return e;
    };
    {
        convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
        db.set_host_cpu("Zen 5");
        db.store(layer, kHost, entry(3, "Sapphire Rapids"));
        EXPECT_EQ(db.find(layer, kHost)->cpu, "Sapphire Rapids");  // another machine's, for want of one
        db.store(layer, kHost, entry(2, ""));
        EXPECT_EQ(db.find(layer, kHost)->schedule, entry(2, "").schedule);
        db.store(layer, kHost, entry(1, "Zen 5"));
        EXPECT_EQ(db.find(layer, kHost)->schedule, entry(1, "").schedule);
        EXPECT_EQ(db.size(), 3u);
        db.save();
    }
    std::ifstream saved(path);
    std::string text((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("cpu: Zen 5"), std::string::npos) << text;
    convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
    EXPECT_EQ(db.size(), 3u);
    db.set_host_cpu("Sapphire Rapids");
    EXPECT_EQ(db.find(layer, kHost)->schedule, entry(3, "").schedule);
    db.set_host_cpu("Zen 5");
    EXPECT_EQ(db.find(layer, kHost)->schedule, entry(1, "").schedule);
    EXPECT_EQ(db.find(layer, kHost)->cpu, "Zen 5");
    // The other machines' entries hold schedules of their own, and seed no layer twice.
    convc::Layer strided = layer;
    strided.stride = {2, 2};
    EXPECT_EQ(db.nearest_schedules(strided, kHost).size(), 3u);
    db.store(layer, kHost, entry(1, "Zen 4"));
    EXPECT_EQ(db.nearest_schedules(strided, kHost).size(), 3u);
    fs::remove(path);
}

TEST(CpuName, ReadsTheFirstProcessorOfCpuinfo) {
    const std::string cpuinfo =
        "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
        "model name\t: AMD EPYC\nstepping\t: 1\n\nprocessor\t: 1\nmodel name\t: other\n";
    EXPECT_EQ(convc::cpu_name_from_cpuinfo(cpuinfo), "AMD EPYC (AuthenticAMD family 26 model 2)");
    EXPECT_EQ(convc::cpu_name_from_cpuinfo("model name\t: Some CPU\n"), "Some CPU");
    EXPECT_EQ(convc::cpu_name_from_cpuinfo(""), "");
    EXPECT_EQ(convc::host_cpu_name(), convc::host_cpu_name());  // read once, the same every time
}

TEST(ScheduleDatabase, MalformedFileIsAClearError) {
    fs::path path = fs::temp_directory_path() / ("convc_db_bad_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(path) << "entries: [ {layer: x\n";
    EXPECT_THROW(convc::ScheduleDatabase::load(path.string()), convc::SpecError);
    fs::remove(path);
}

// The host's default for `layer` with one parameter moved to another value of its space: the
// default's family (and so its parameters) depends on the host's vector extensions.
convc::ScheduleChoice another_point_of_the_default_family(const convc::Layer &layer) {
    convc::ScheduleChoice choice = convc::default_schedule(layer, kHost);
    for (const convc::ScheduleSpace &space : convc::schedule_spaces(layer, kHost)) {
        if (space.family != choice.family) {
            continue;
        }
        for (const convc::ParamRange &range : space.params) {
            for (int value : range.values) {
                convc::ScheduleChoice moved = choice;
                moved.params[range.name] = value;
                if (!(moved == choice) && convc::fits_space(moved, space)) {
                    return moved;
                }
            }
        }
    }
    ADD_FAILURE() << "no other point in the space of " << choice.to_string();
    return choice;
}

TEST(ScheduleSelection, PrefersTheDatabaseUnlessTold) {
    fs::path path = fs::temp_directory_path() / ("convc_db_sel_" + std::to_string(::getpid()) + ".yaml");
    convc::Layer layer = small_layer();
    convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
    convc::TunedEntry entry;
    entry.schedule = another_point_of_the_default_family(layer);
    db.store(layer, kHost, entry);

    convc::SelectedSchedule tuned = convc::ScheduleSelector(&db, "").select(layer, kHost);
    EXPECT_EQ(tuned.origin, "tuned (database)");
    EXPECT_EQ(tuned.choice, entry.schedule);
    convc::SelectedSchedule fallback = convc::ScheduleSelector(&db, "default").select(layer, kHost);
    EXPECT_EQ(fallback.choice, convc::default_schedule(layer, kHost));
    EXPECT_EQ(convc::ScheduleSelector(&db, "auto:Adams2019").select(layer, kHost).choice.family, "auto:Adams2019");
    EXPECT_THROW(convc::ScheduleSelector(&db, "fastest"), convc::SpecError);

    db.set_host_cpu("this machine");
    entry.cpu = "another machine";
    db.store(layer, kHost, entry);
    EXPECT_EQ(convc::ScheduleSelector(&db, "").select(layer, kHost).origin, "tuned (database)");  // unrecorded
    convc::ScheduleDatabase only_other = convc::ScheduleDatabase::load("/nonexistent/convc_db.yaml");
    only_other.set_host_cpu("this machine");
    only_other.store(layer, kHost, entry);
    EXPECT_EQ(convc::ScheduleSelector(&only_other, "").select(layer, kHost).origin,
              "tuned on another machine (database)");
}

// An entry written before its family gained a parameter (or after it lost one) is still used,
// completed from the family's default; one that cannot be completed falls back to the default.
TEST(ScheduleSelection, CompletesEntriesFromOlderFamilies) {
    fs::path path = fs::temp_directory_path() / ("convc_db_old_" + std::to_string(::getpid()) + ".yaml");
    convc::Layer layer = small_layer();
    convc::ScheduleChoice blocked = convc::x86_blocked_default(layer, kHost);
    convc::TunedEntry entry;
    entry.schedule = blocked;
    entry.schedule.params.erase("tasks");
    entry.schedule.params["x_pixels"] = 5;
    entry.schedule.params["retired_option"] = 3;
    convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
    db.store(layer, kHost, entry);

    convc::SelectedSchedule selected = convc::ScheduleSelector(&db, "").select(layer, kHost);
    EXPECT_EQ(selected.origin, "tuned (database, new parameters at defaults)");
    convc::ScheduleChoice want = blocked;
    want.params["x_pixels"] = 5;
    EXPECT_EQ(selected.choice, want);

    entry.schedule.params["x_pixels"] = 1000;  // outside the space even when completed
    db.store(layer, kHost, entry);
    EXPECT_EQ(convc::ScheduleSelector(&db, "").select(layer, kHost).origin, "default (heuristic)");
    EXPECT_FALSE(convc::complete_schedule({"x86_avx512_unknown", {}}, layer, kHost).has_value());
}

// A seed inside the space (an earlier result) is tried once, right after the default, and
// the space is still exhausted exactly.
TEST(CandidateSearch, TriesAnEarlierResultOnce) {
    convc::ScheduleSpace space{"x86_avx512_depthwise",
                               {{"lanes", {16}}, {"x_vectors", {1, 2}}, {"stage_input", {0, 1}}, {"unroll_taps", {0}}},
                               32};
    convc::ScheduleChoice earlier{"x86_avx512_depthwise",
                                  {{"lanes", 16}, {"x_vectors", 2}, {"stage_input", 0}, {"unroll_taps", 0}}};
    convc::CandidateSearch search({space},
                                  {"x86_avx512_depthwise",
                                   {{"lanes", 16}, {"x_vectors", 1}, {"stage_input", 1}, {"unroll_taps", 0}}},
                                  {earlier, {"auto:Adams2019", {}}});
    convc::ScheduleChoice c;
    std::vector<convc::ScheduleChoice> order;
    while (search.next(c)) {
        order.push_back(c);
    }
    ASSERT_EQ(order.size(), 5u);
    EXPECT_EQ(order[1], earlier);
    EXPECT_EQ(order[2].family, "auto:Adams2019");
}

// A module of small_layer on the host, its default and another schedule to store as an
// earlier tuning's entry: with next to no budget, the tuner's final is the two of them.
struct ReRun {
    convc::ModuleSpec module;
    convc::TargetPlan plan = convc::resolve_target_plan("host");
    convc::ScheduleChoice start, stored;

    explicit ReRun(const std::string &name) {
        module.name = name;
        module.layers = {small_layer()};
        start = convc::default_schedule(module.layers[0], plan.baseline());
        convc::CandidateSearch others(convc::schedule_spaces(module.layers[0], plan.baseline()), start, {}, 3);
        others.next(stored);
        others.next(stored);  // the first point after the default
    }
};

// A re-run with next to no budget still times the stored entry against the default, so it
// can never replace a tuned entry with an untimed default.
TEST(TuneModule, AShortReRunStillMeasuresTheStoredEntry) {
    fs::path path = fs::temp_directory_path() / ("convc_db_rerun_" + std::to_string(::getpid()) + ".yaml");
    ReRun rerun("rerun");
    const auto &[module, plan, start, stored] = rerun;
    const Halide::Target &target = plan.baseline();
    ASSERT_FALSE(stored == start);
    convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
    db.store(module.layers[0], target, {stored, 1e9, 1, 2, 50});  // an implausible earlier figure
    std::ostringstream log;
    convc::TuneProgress progress(log, false);
    convc::tune_module(module, plan, 1e-3, db, progress);
    auto entry = db.find(module.layers[0], target);
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->candidates, 2) << log.str();
    EXPECT_LT(entry->gflops, 1e9);  // measured in this run, not carried over
    // The default and the stored entry met in the final, and the summary shows both from it.
    EXPECT_GT(entry->default_gflops, 0);
    EXPECT_NE(log.str().find("(these threads / one)"), std::string::npos) << log.str();
    fs::remove(path);
}

// A pick is stored over the default only if it beats it in every process it was timed in:
// the slower of its scores against the slower of the default's.
TEST(OtherProcessCheck, APickMustBeatTheDefaultInEveryProcess) {
    EXPECT_TRUE(convc::beats_default_everywhere({300, 250}, {200, 240}));
    EXPECT_FALSE(convc::beats_default_everywhere({300, 100}, {200, 200}));  // fast here, slow there
    EXPECT_FALSE(convc::beats_default_everywhere({250, 300}, {260, 280}));  // its slower process loses
    EXPECT_FALSE(convc::beats_default_everywhere({200, 200}, {200, 200}));  // a tie keeps the default
    EXPECT_TRUE(convc::beats_default_everywhere({150}, {}));
    EXPECT_FALSE(convc::beats_default_everywhere({}, {150}));
    EXPECT_DOUBLE_EQ((convc::ProcessGflops{400, 100}.score()), 200);  // two threads and one weigh alike
}

// The second process has the last word: a pick that lost to the default there is not stored,
// and the summary says why. Only a pick other than the default goes there, against the
// default. A second process that failed leaves the pick of this one, and says so.
TEST(TuneModule, APickTheDefaultBeatsInASecondProcessIsNotStored) {
    fs::path path = fs::temp_directory_path() / ("convc_db_second_" + std::to_string(::getpid()) + ".yaml");
    ReRun rerun("second");
    const convc::ModuleSpec &module = rerun.module;
    const convc::TargetPlan &plan = rerun.plan;
    const convc::ScheduleChoice &start = rerun.start;
    // The stored entry is one the final is likely to pick over the default, where the space
    // has it: the default's input read in place rather than staged (on the AMD EPYC host,
    // 135 against 111 GFLOP/s in a tuning run).
    convc::ScheduleChoice stored = rerun.stored;
    if (start.params.count("stage_input")) {
        stored = start;
        stored.params["stage_input"] = 1 - start.params.at("stage_input");
    }
    const Halide::Target &target = plan.baseline();
    ASSERT_FALSE(stored == start);
    int calls = 0;
    auto second_process = [&](bool default_wins) {
        return [&, default_wins](const convc::Layer &, const Halide::Target &,
                                 const std::vector<convc::ScheduleChoice> &schedules, int rounds,
                                 double min_seconds) -> std::optional<std::vector<convc::ProcessGflops>> {
            calls++;
            EXPECT_EQ(schedules.size(), 2u);
            EXPECT_EQ(schedules.front(), start);
            EXPECT_FALSE(schedules.back() == start);
            EXPECT_TRUE(rounds > 0 && min_seconds > 0);
            if (!default_wins) {
                return std::nullopt;
            }
            return std::vector<convc::ProcessGflops>{{1e6, 1e6}, {1, 1}};
        };
    };
    // Whether the final's own pick is the default is up to the timings (about one run in four
    // on a small layer), and a second process is asked only when it is not: the tunes are run
    // again until one has gone there, so that a skipped check cannot pass unseen.
    bool went_there = false;
    for (int attempt = 0; attempt < 6 && !went_there; attempt++) {
        for (bool default_wins : {true, false}) {
            convc::ScheduleDatabase db = convc::ScheduleDatabase::load(path.string());
            db.store(module.layers[0], target, {stored, 1e9, 1, 2, 50});
            std::ostringstream log;
            convc::TuneProgress progress(log, false);
            calls = 0;
            convc::tune_module(module, plan, 1e-3, db, progress, second_process(default_wins));
            auto entry = db.find(module.layers[0], target);
            ASSERT_TRUE(entry.has_value());
            EXPECT_LE(calls, 1);
            if (default_wins) {
                EXPECT_EQ(entry->schedule, start) << log.str();
                EXPECT_DOUBLE_EQ(entry->gflops, entry->default_gflops);
            }
            if (calls == 1) {
                went_there = true;
                const char *said = default_wins ? "(the default kept: in a second process " : "it failed)";
                EXPECT_NE(log.str().find(said), std::string::npos) << log.str();
            } else {
                EXPECT_EQ(entry->schedule, start) << log.str();  // the final's own pick: no second process
            }
        }
    }
    fs::remove(path);
}

// Into a log, the status comes as whole lines, one per rise of the best: no carriage returns
// piling a layer's hundreds of updates onto one line. On a terminal it is one line rewritten.
TEST(TuneProgress, WritesWholeLinesIntoALogAndOneLiveLineOnATerminal) {
    std::ostringstream log;
    convc::TuneProgress into_log(log, false);
    const double bests[] = {10, 10, 12, 12.05, 12, 11.5, 20};  // the search's best so far never falls
    for (int i = 0; i < 7; i++) {
        into_log.candidate(1, 2, "conv", i + 1, std::max(bests[i], i ? bests[i - 1] : 0.0), 30);
    }
    into_log.layer_done("[1/2] conv summary");
    into_log.candidate(2, 2, "pool", 1, 5, 10);
    const std::string text = log.str();
    EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    ASSERT_EQ(lines.size(), 5u) << text;  // bests 10, 12 (not 12.05), 20, the summary, the next layer's first
    EXPECT_NE(lines[1].find("candidates   3  best    12.0"), std::string::npos) << text;
    EXPECT_NE(lines[2].find("best    20.0"), std::string::npos) << text;
    EXPECT_EQ(lines[3], "[1/2] conv summary");
    EXPECT_NE(lines[4].find("[2/2] pool"), std::string::npos) << text;

    std::ostringstream screen;
    convc::TuneProgress live(screen, true);
    live.candidate(1, 1, "conv", 1, 10, 30);
    live.candidate(1, 1, "conv", 2, 12, 29);
    live.note("a message");
    live.candidate(1, 1, "conv", 3, 12, 28);
    live.layer_done("[1/1] conv summary");
    const std::string shown = screen.str();
    EXPECT_EQ(std::count(shown.begin(), shown.end(), '\r'), 4) << shown;
    EXPECT_NE(shown.find(" \na message\n\r[1/1] conv"), std::string::npos) << shown;
    EXPECT_EQ(shown.substr(shown.size() - 20), "\r[1/1] conv summary\n") << shown;
}

// Every kind of point the tuner may pick must compute the convolution, not just the default.
TEST(MeasureSchedule, CandidatesAcrossTheSpaceAreCorrect) {
    for (int64_t groups : {1, 2, 8}) {
        convc::Layer layer = small_layer(groups);
        convc::LayerTrial trial = convc::make_layer_trial(layer);
        convc::CandidateSearch search(convc::schedule_spaces(layer, kHost), convc::default_schedule(layer, kHost), {}, 7);
        convc::ScheduleChoice c;
        for (int i = 0; i < 6 && search.next(c); i++) {
            convc::Measurement m = convc::measure_schedule(layer, kHost, c, trial, 0.01);
            EXPECT_TRUE(m.ok) << c.to_string() << ": " << m.failure;
            EXPECT_GT(m.gflops, 0) << c.to_string();
        }
    }
}

// The one-thread timing runs the same verified kernel with its parallel loops serialized.
TEST(MeasureSchedule, TimesOneThreadWhenAsked) {
    convc::Layer layer = small_layer();
    convc::LayerTrial trial = convc::make_layer_trial(layer);
    convc::ScheduleChoice c = convc::default_schedule(layer, kHost);
    convc::Measurement m = convc::measure_schedule(layer, kHost, c, trial, 0.01, true);
    ASSERT_TRUE(m.ok) << m.failure;
    EXPECT_GT(m.one_thread_gflops, 0);
    EXPECT_EQ(convc::measure_schedule(layer, kHost, c, trial, 0.01).one_thread_gflops, 0);
}

// The tuner's final times each finalist in turns: one compiled and checked kernel, timed again
// and again; a kernel whose output is wrong is never timed.
TEST(MeasureSchedule, ACheckedKernelIsTimedRepeatedlyAndAWrongOneNever) {
    convc::Layer layer = small_layer();
    convc::LayerTrial trial = convc::make_layer_trial(layer);
    convc::ScheduleChoice c = convc::default_schedule(layer, kHost);
    convc::CheckedKernel kernel(layer, kHost, c, trial);
    ASSERT_TRUE(kernel.ok()) << kernel.failure();
    for (int turn = 0; turn < 2; turn++) {
        convc::Measurement m = kernel.time(0.01, true);
        ASSERT_TRUE(m.ok) << m.failure;
        EXPECT_GT(m.gflops, 0);
        EXPECT_GT(m.one_thread_gflops, 0);
    }
    trial.reference[0] += 1.0;
    convc::CheckedKernel wrong(layer, kHost, c, trial);
    EXPECT_FALSE(wrong.ok());
    EXPECT_NE(wrong.failure().find("wrong result"), std::string::npos) << wrong.failure();
    convc::Measurement m = wrong.time(0.01, true);
    EXPECT_FALSE(m.ok);
    EXPECT_EQ(m.gflops, 0);
    EXPECT_EQ(m.failure, wrong.failure());
}

// The final's turns: every accepted schedule once a round, in the order given, each keeping its
// best; a schedule whose output is wrong is never timed.
TEST(MeasureSchedule, TimesSchedulesInTurnsAndNeverAWrongOne) {
    convc::Layer layer = small_layer();
    convc::LayerTrial trial = convc::make_layer_trial(layer);
    convc::ScheduleChoice c = convc::default_schedule(layer, kHost);
    std::vector<std::pair<int, size_t>> turns;
    std::vector<convc::Contender> timed = convc::time_in_turns(
        layer, kHost, {c, c}, trial, 2, 0.01,
        [&](int round, size_t i, const convc::Contender &, const convc::Measurement &m) {
            EXPECT_TRUE(m.ok) << m.failure;
            turns.emplace_back(round, i);
        });
    EXPECT_EQ(turns, (std::vector<std::pair<int, size_t>>{{1, 0}, {1, 1}, {2, 0}, {2, 1}}));
    ASSERT_EQ(timed.size(), 2u);
    for (const convc::Contender &t : timed) {
        EXPECT_GT(t.gflops, 0);
        EXPECT_GT(t.one_thread_gflops, 0);
    }
    trial.reference[0] += 1.0;
    turns.clear();
    timed = convc::time_in_turns(layer, kHost, {c}, trial, 2, 0.01,
                                 [&](int round, size_t i, const convc::Contender &, const convc::Measurement &) {
                                     turns.emplace_back(round, i);
                                 });
    EXPECT_TRUE(turns.empty());
    EXPECT_FALSE(timed[0].kernel->ok());
    EXPECT_EQ(timed[0].gflops, 0);
}

// The search compiles a batch of candidates at once, a thread each: every kernel comes back
// checked as it would be alone, an autoscheduler's among them (compiled alone).
TEST(MeasureSchedule, ChecksSchedulesTogetherAsAlone) {
    convc::Layer layer = small_layer(2);
    convc::LayerTrial trial = convc::make_layer_trial(layer);
    convc::CandidateSearch search(convc::schedule_spaces(layer, kHost), convc::default_schedule(layer, kHost), {}, 11);
    std::vector<convc::ScheduleChoice> schedules;
    convc::ScheduleChoice c;
    for (int i = 0; i < 5 && search.next(c); i++) {
        schedules.push_back(c);
    }
    schedules.insert(schedules.begin() + 2, {"auto:Mullapudi2016", {}});
    std::vector<std::unique_ptr<convc::CheckedKernel>> kernels =
        convc::check_together(layer, kHost, schedules, trial);
    ASSERT_EQ(kernels.size(), schedules.size());
    for (size_t i = 0; i < schedules.size(); i++) {
        EXPECT_TRUE(kernels[i]->ok()) << schedules[i].to_string() << ": " << kernels[i]->failure();
        EXPECT_GT(kernels[i]->time(0.01, false).gflops, 0) << schedules[i].to_string();
    }
    trial.reference[0] += 1.0;
    for (const auto &kernel : convc::check_together(layer, kHost, schedules, trial)) {
        EXPECT_FALSE(kernel->ok());
        EXPECT_NE(kernel->failure().find("wrong result"), std::string::npos) << kernel->failure();
    }
}

TEST(MeasureSchedule, HalideAutoschedulersGiveCorrectKernels) {
    convc::Layer layer = small_layer();
    convc::LayerTrial trial = convc::make_layer_trial(layer);
    for (const char *name : {"auto:Adams2019", "auto:Mullapudi2016", "auto:Li2018"}) {
        convc::Measurement m = convc::measure_schedule(layer, kHost, {name, {}}, trial, 0.01);
        EXPECT_TRUE(m.ok) << name << ": " << m.failure;
    }
}

// Halide's autoscheduler log and warnings are held back from `convc tune`'s status line; every
// other line written to stderr meanwhile reaches the real stderr, and the status line too.
TEST(HalideLogFilter, HoldsBackHalidesLogAndPassesTheRest) {
    fs::path captured = fs::temp_directory_path() / ("convc-log-filter-" + std::to_string(::getpid()));
    std::fflush(stderr);
    int saved = ::dup(STDERR_FILENO);
    int file = ::open(captured.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    ASSERT_GE(file, 0);
    ::dup2(file, STDERR_FILENO);
    ::close(file);
    std::vector<std::string> held;
    {
        convc::HalideLogFilter filter;
        filter.terminal() << "[1/2] layer  candidates 3\n";
        std::fprintf(stderr, "generate_schedule for target=x86-64-linux\nPass 0 of 1, cost: 1.6, time (ms): 283\n");
        std::cerr << "Cache (block) hits: 0\nan error of our own\n";
        std::fprintf(stderr, "Warning: Not folding Func padded$54 along dimension k\n");
        std::fflush(stderr);
        held = filter.finish();
    }
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::ifstream in(captured);
    std::stringstream text;
    text << in.rdbuf();
    fs::remove(captured);
    EXPECT_EQ(text.str(), "[1/2] layer  candidates 3\nan error of our own\n");
    EXPECT_EQ(held, (std::vector<std::string>{"generate_schedule for target=x86-64-linux",
                                              "Pass 0 of 1, cost: 1.6, time (ms): 283", "Cache (block) hits: 0",
                                              "Warning: Not folding Func padded$54 along dimension k"}));
}

}  // namespace
