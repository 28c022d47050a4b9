// Sweeps layer configurations through the JIT path (the same pipeline and schedule
// `generate` emits) and compares each against the double-precision reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

#include "io/memory_layout.h"
#include "jit/jit_layer.h"
#include "lower/column_phases.h"
#include "pipeline/layer_pipeline.h"
#include "schedules/cpu_blocked_conv.h"
#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_depthwise_conv.h"
#include "schedules/x86_conv_params.h"
#include "support/conv_check.h"

namespace {

using convc::HW;
using convc::Layer;
using convc::PaddingKind;
using convc::PaddingMode;
using convc_test::conv_layer;

struct SweepCase {
    std::string name;
    Layer layer;
    convc::Shape4 input;
    bool fix_shape = false;  // compile for exactly this shape, as input_shape does
};

void PrintTo(const SweepCase &c, std::ostream *os) {
    *os << c.name << " on " << convc::shape_to_string(c.input);
}

Layer with_padding(Layer l, PaddingKind kind) {
    l.padding_kind = kind;
    return l;
}

Layer channels_last(Layer l) {
    l.layout = convc::MemoryLayout::Nhwc;
    return l;
}

// Runs the kernel on `input` (NCHW) in the layer's own memory layout; returns NCHW.
std::vector<float> run_in_layout(convc::JitLayer &kernel, const Layer &layer, const std::vector<float> &input,
                                 const convc::Shape4 &in, const convc::TensorRef &weight,
                                 const std::optional<convc::TensorRef> &bias, const convc::Shape4 &out) {
    std::vector<float> x = convc::nchw_to_layout(input.data(), in, layer.layout);
    std::vector<float> y(convc_test::element_count(out), -12345.0f);
    kernel.run({x.data(), {in.begin(), in.end()}}, weight, bias, y.data());
    return convc::layout_to_nchw(y.data(), out, layer.layout);
}

std::vector<SweepCase> sweep_cases() {
    std::vector<SweepCase> cases;
    auto add = [&](const std::string &name, Layer l, convc::Shape4 in, bool fix = false) {
        cases.push_back({name, l, in, fix});
    };
    // Kernel sizes 1..7, square and not.
    for (int64_t k = 1; k <= 7; k++) {
        add("kernel" + std::to_string(k), conv_layer(3, 5, {k, k}, {1, 1}, {k / 2, k / 2}), {1, 3, 13, 11});
    }
    add("kernel_1x7", conv_layer(4, 6, {1, 7}, {1, 1}, {0, 3}), {1, 4, 9, 17});
    add("kernel_7x1", conv_layer(4, 6, {7, 1}, {1, 1}, {3, 0}), {1, 4, 17, 9});
    add("kernel_2x4", conv_layer(3, 3, {2, 4}), {2, 3, 7, 5});
    // Strides 1..3, with padding pairs that are not symmetric between h and w.
    for (int64_t s = 1; s <= 3; s++) {
        add("stride" + std::to_string(s), conv_layer(5, 7, {3, 3}, {s, s}, {1, 1}), {1, 5, 13, 11});
    }
    add("stride_2x1_pad_0x2", conv_layer(3, 4, {3, 5}, {2, 1}, {0, 2}), {1, 3, 11, 13});
    add("stride_3x2_pad_2x1", conv_layer(2, 3, {4, 3}, {3, 2}, {2, 1}), {3, 2, 13, 11});
    // Dilations 1..3.
    for (int64_t d = 1; d <= 3; d++) {
        add("dilation" + std::to_string(d), conv_layer(4, 4, {3, 3}, {1, 1}, {d, d}, {d, d}), {1, 4, 13, 11});
    }
    add("dilation_2x3_stride2", conv_layer(3, 5, {3, 3}, {2, 2}, {1, 2}, {2, 3}), {1, 3, 15, 17});
    // 'same' with even kernels and dilation: the odd padding element goes bottom/right.
    add("same_k4", with_padding(conv_layer(3, 4, {4, 4}), PaddingKind::Same), {1, 3, 9, 7});
    add("same_k2x5_d3", with_padding(conv_layer(2, 3, {2, 5}, {1, 1}, {0, 0}, {3, 1}), PaddingKind::Same), {1, 2, 11, 9});
    add("same_k3_d2", with_padding(conv_layer(4, 4, {3, 3}, {1, 1}, {0, 0}, {2, 2}), PaddingKind::Same), {2, 4, 8, 10});
    add("valid_k3_s2", with_padding(conv_layer(3, 6, {3, 3}, {2, 2}), PaddingKind::Valid), {1, 3, 12, 13});
    // Groups 1, 2, 4; depthwise; depthwise with a channel multiplier.
    add("groups2", conv_layer(4, 6, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 2), {1, 4, 9, 9});
    add("groups4", conv_layer(8, 12, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4), {1, 8, 11, 7});
    add("groups4_stride2", conv_layer(12, 8, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 4), {2, 12, 13, 13});
    add("depthwise", conv_layer(6, 6, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 6), {1, 6, 13, 11});
    add("depthwise_stride2", conv_layer(5, 5, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 5), {1, 5, 14, 15});
    add("depthwise_multiplier2", conv_layer(3, 6, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 3), {1, 3, 9, 9});
    add("depthwise_k5_d2", conv_layer(4, 4, {5, 5}, {1, 1}, {4, 4}, {2, 2}, 4, false), {1, 4, 12, 12});
    // Bias off.
    add("no_bias", conv_layer(3, 5, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 1, false), {1, 3, 7, 5});
    // Every padding mode, with square and unequal padding, strides and dilation.
    for (PaddingMode mode : {PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Circular}) {
        std::string m = convc::padding_mode_name(mode);
        add(m + "_k3_p1", conv_layer(3, 4, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 1, true, mode), {1, 3, 7, 5});
        add(m + "_k5_p2x1_s2", conv_layer(2, 3, {5, 3}, {2, 2}, {2, 1}, {1, 1}, 1, true, mode), {1, 2, 13, 11});
        add(m + "_k3_p3_d2", conv_layer(2, 2, {3, 3}, {1, 1}, {3, 3}, {2, 2}, 2, false, mode), {2, 2, 9, 8});
        add(m + "_same_k4", with_padding(conv_layer(3, 3, {4, 4}, {1, 1}, {0, 0}, {1, 1}, 3, true, mode), PaddingKind::Same),
            {1, 3, 8, 9});
    }
    add("reflect_pad_size_minus_1", conv_layer(1, 2, {3, 3}, {1, 1}, {4, 4}, {1, 1}, 1, true, PaddingMode::Reflect),
        {1, 1, 5, 5});
    add("circular_pad_equals_size", conv_layer(1, 2, {3, 3}, {1, 1}, {5, 4}, {1, 1}, 1, true, PaddingMode::Circular),
        {1, 1, 5, 4});
    add("replicate_pad_larger_than_size", conv_layer(2, 2, {3, 3}, {1, 1}, {6, 6}, {1, 1}, 1, true, PaddingMode::Replicate),
        {1, 2, 4, 3});
    // Batches 0, 1, 3.
    add("batch0", conv_layer(3, 4, {3, 3}, {1, 1}, {1, 1}), {0, 3, 7, 7});
    add("batch3", conv_layer(3, 4, {3, 3}, {1, 1}, {1, 1}), {3, 3, 7, 7});
    // Odd sizes and channel counts that are no multiple of any vector width, wide enough to
    // take the vectorized path (output width >= 32) as well as its tail.
    add("wide_odd_channels", conv_layer(5, 19, {3, 3}, {1, 1}, {1, 1}), {1, 5, 7, 45});
    add("wide_grouped", conv_layer(6, 9, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 3), {2, 6, 5, 67});
    add("wide_depthwise", conv_layer(7, 7, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 7), {1, 7, 6, 71});
    add("wide_reflect_stride2", conv_layer(3, 17, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 1, true, PaddingMode::Reflect),
        {1, 3, 9, 83});
    add("wide_1x1", conv_layer(33, 10, {1, 1}), {1, 33, 3, 64});
    add("narrow_13x11", conv_layer(3, 3, {3, 3}, {1, 1}, {1, 1}), {1, 3, 13, 11});
    // Shapes fixed at compile time, as `input_shape` in a spec does.
    add("fixed_shape", conv_layer(4, 8, {3, 3}, {1, 1}, {1, 1}), {2, 4, 10, 40}, true);
    // Strided taps at constant indices into a staged row, read past the output by whole tiles:
    // sized for those tiles, Halide 14 mis-aligned a load and crashed (tile_overhang.h).
    add("fixed_shape_strided_1x3", conv_layer(1, 4, {1, 3}, {2, 3}, {2, 3}, {3, 2}, 1, false), {2, 1, 20, 7}, true);
    add("fixed_shape_depthwise", conv_layer(4, 4, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 4), {1, 4, 9, 9}, true);
    // Channels-last memory (layout: nhwc) under each family's default.
    add("nhwc_k3", channels_last(conv_layer(5, 7, {3, 3}, {1, 1}, {1, 1})), {2, 5, 9, 11});
    add("nhwc_blocked", channels_last(conv_layer(8, 32, {3, 3}, {2, 1}, {1, 1}, {1, 1}, 1, true, PaddingMode::Reflect)),
        {1, 8, 10, 13}, true);
    add("nhwc_grouped", channels_last(conv_layer(8, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 2)), {1, 8, 7, 40});
    add("nhwc_depthwise", channels_last(conv_layer(32, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 32)), {2, 32, 9, 37}, true);
    add("nhwc_depthwise_odd", channels_last(conv_layer(7, 7, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 7)), {1, 7, 11, 9});
    add("nhwc_circular_d2", channels_last(conv_layer(4, 16, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 1, false, PaddingMode::Circular)),
        {1, 4, 8, 9}, true);
    return cases;
}

class JitSweep : public ::testing::TestWithParam<SweepCase> {};

TEST_P(JitSweep, MatchesReference) {
    SweepCase c = GetParam();
    if (c.fix_shape) {
        c.layer.input_shape = c.input;
    }
    convc::Shape4 w = convc::weight_shape(c.layer);
    std::vector<float> input = convc_test::random_values(convc_test::element_count(c.input), 1);
    std::vector<float> weight = convc_test::random_values(convc_test::element_count(w), 2);
    std::vector<float> bias = convc_test::random_values(c.layer.out_channels, 3);

    convc::JitLayer kernel(c.layer, Halide::get_host_target());
    convc::Shape4 out_shape = kernel.output_shape_for({c.input.begin(), c.input.end()});
    std::optional<convc::TensorRef> b;
    if (c.layer.bias) {
        b = convc::TensorRef{bias.data(), {c.layer.out_channels}};
    }
    std::vector<float> output =
        run_in_layout(kernel, c.layer, input, c.input, {weight.data(), {w.begin(), w.end()}}, b, out_shape);

    std::array<int64_t, 4> ref_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_test::reference_params(c.layer), input.data(), c.input,
                                                       weight.data(), c.layer.bias ? bias.data() : nullptr, ref_shape);
    ASSERT_EQ(ref_shape, out_shape);
    ASSERT_EQ(want.size(), output.size());
    EXPECT_LE(convc_test::max_relative_error(output, want), convc_test::kTolerance) << kernel.schedule();
}

INSTANTIATE_TEST_SUITE_P(Conv2d, JitSweep, ::testing::ValuesIn(sweep_cases()),
                         [](const ::testing::TestParamInfo<SweepCase> &info) { return info.param.name; });

}  // namespace

namespace {

// Runs the layer under each schedule choice and compares every output with the reference.
void expect_every_choice_matches(const Layer &layer, const convc::Shape4 &in,
                                 const std::vector<convc::ScheduleChoice> &choices) {
    convc::Shape4 w = convc::weight_shape(layer);
    std::vector<float> input = convc_test::random_values(convc_test::element_count(in), 4);
    std::vector<float> weight = convc_test::random_values(convc_test::element_count(w), 5);
    std::vector<float> bias = convc_test::random_values(layer.out_channels, 6);
    std::array<int64_t, 4> ref_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_test::reference_params(layer), input.data(), in,
                                                       weight.data(), layer.bias ? bias.data() : nullptr, ref_shape);
    std::optional<convc::TensorRef> b;
    if (layer.bias) {
        b = convc::TensorRef{bias.data(), {layer.out_channels}};
    }
    for (const convc::ScheduleChoice &choice : choices) {
        convc::JitLayer kernel(layer, Halide::get_host_target(), choice);
        std::vector<float> output =
            run_in_layout(kernel, layer, input, in, {weight.data(), {w.begin(), w.end()}}, b, ref_shape);
        EXPECT_LE(convc_test::max_relative_error(output, want), convc_test::kTolerance) << choice.to_string();
    }
}

// A layer and an input shape for a family that is swept over several schedule choices.
struct FamilyCase {
    std::string name;
    Layer layer;
    convc::Shape4 input;
};

void PrintTo(const FamilyCase &c, std::ostream *os) {
    *os << c.name;
}

// The blocked (channel-vector) family computes on packed weights with its own algorithm;
// sweep it over shapes with output channels in whole vectors, with several tiles each, NCHW
// ones also on transposed I/O, zero-padded ones with and without their padded taps skipped,
// strided 1x1 ones with and without their rows staged dense, and with each tile's sums taken
// over the whole reduction or a row's sums over chunks of input channels.
std::vector<FamilyCase> blocked_cases() {
    Layer same4 = with_padding(conv_layer(6, 32, {4, 4}), PaddingKind::Same);
    Layer fixed = conv_layer(16, 48, {3, 3}, {1, 1}, {1, 1});
    fixed.input_shape = convc::Shape4{1, 16, 7, 7};
    // Rows narrower than a vector: the staged rows are copied unvectorized.
    Layer fixed_k1_s2 = conv_layer(24, 32, {1, 1}, {2, 2});
    fixed_k1_s2.input_shape = convc::Shape4{1, 24, 13, 11};
    return {
        // Padding wider than the window: the first and last output rows have no tap inside
        // the input, only the bias.
        {"k3_p3_empty_rows", conv_layer(4, 16, {3, 3}, {1, 1}, {3, 3}), {1, 4, 5, 8}},
        {"k3_d4_p4", conv_layer(8, 32, {3, 3}, {1, 1}, {4, 4}, {4, 4}, 1, false), {1, 8, 6, 11}},
        {"k1_s2", conv_layer(8, 32, {1, 1}, {2, 2}), {2, 8, 9, 37}},
        {"k1_s2_fixed_narrow", fixed_k1_s2, {1, 24, 13, 11}},
        {"k1_s3x2_p1", conv_layer(5, 16, {1, 1}, {3, 2}, {1, 1}), {1, 5, 10, 35}},
        {"k1_s2_p1_reflect", conv_layer(6, 16, {1, 1}, {2, 2}, {1, 1}, {1, 1}, 1, false, PaddingMode::Reflect), {1, 6, 9, 20}},
        {"k3_p1", conv_layer(8, 32, {3, 3}, {1, 1}, {1, 1}), {1, 8, 9, 20}},
        {"k1_wide", conv_layer(16, 64, {1, 1}), {2, 16, 3, 45}},
        {"k3_s2_reflect", conv_layer(5, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 1, true, PaddingMode::Reflect), {1, 5, 11, 13}},
        {"k3_d2_circular", conv_layer(4, 16, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 1, false, PaddingMode::Circular), {1, 4, 8, 9}},
        {"groups2", conv_layer(8, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 2), {1, 8, 6, 17}},
        {"same_k4", same4, {1, 6, 9, 8}},
        {"narrow_fixed_7x7", fixed, {1, 16, 7, 7}},
        {"width_1", conv_layer(3, 16, {3, 1}, {1, 1}, {1, 0}), {1, 3, 5, 1}},
        // Groups of 8 output channels: half-width vectors on AVX-512.
        {"groups_of_8", conv_layer(16, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4), {1, 16, 7, 10}},
        {"nhwc_k3_s2", channels_last(conv_layer(6, 32, {3, 3}, {2, 2}, {1, 1})), {2, 6, 11, 9}},
        {"nhwc_groups_of_8", channels_last(conv_layer(16, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4)), {1, 16, 5, 13}},
        // Column kernels: their default tiles run down columns, in NCHW on transposed I/O (odd
        // heights: tails).
        {"k7x1_p3x0", conv_layer(12, 32, {7, 1}, {1, 1}, {3, 0}), {2, 12, 17, 9}},
        {"k5x1_s2_replicate", conv_layer(5, 16, {5, 1}, {2, 1}, {2, 0}, {1, 1}, 1, true, PaddingMode::Replicate), {1, 5, 19, 6}},
        // With 16 registers their NCHW defaults take the input channels a chunk at a time.
        {"k1x7_p0x3_chunked", conv_layer(8, 24, {1, 7}, {1, 1}, {0, 3}), {1, 8, 9, 17}},
        {"k7x1_p3x0_chunked", conv_layer(8, 24, {7, 1}, {1, 1}, {3, 0}), {2, 8, 17, 9}},
        {"nhwc_k7x1_p3x0", channels_last(conv_layer(12, 32, {7, 1}, {1, 1}, {3, 0})), {1, 12, 17, 9}},
        {"nhwc_k5x1_s2_reflect", channels_last(conv_layer(5, 48, {5, 1}, {2, 1}, {2, 0}, {1, 1}, 1, true, PaddingMode::Reflect)),
         {2, 5, 19, 6}},
    };
}

class BlockedSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(BlockedSweep, EveryTileMatchesReference) {
    const FamilyCase &c = GetParam();
    Halide::Target host = Halide::get_host_target();
    convc::ScheduleChoice base = convc::x86_blocked_default(c.layer, host);
    std::vector<convc::ScheduleChoice> choices = {base};
    // chunk: the smallest chunk of input channels the layer offers (0 where it offers none).
    const std::vector<int> &chunks = convc::x86_blocked_space(c.layer, host).values("channel_chunk");
    const int chunk = chunks.size() > 1 ? chunks[1] : 0;
    for (auto [x_pixels, k_vectors, stage, unroll, tasks, columns, transpose, trim, rows, chunked] :
         {std::tuple{3, 1, 0, 0, 2, 0, 0, 0, 1, 0}, std::tuple{12, 2, 1, 1, 1, 0, 1, 1, 1, 1},
          std::tuple{5, 2, 0, 1, 0, 1, 1, 1, 0, 1}, std::tuple{2, 4, 1, 1, 0, 0, 0, 1, 0, 1}}) {
        convc::ScheduleChoice v = base;
        v.params["channel_chunk"] = chunked ? chunk : 0;
        v.params["columns"] = columns;
        v.params["trim_taps"] = convc::pads_with_zeros(c.layer) ? trim : 0;
        v.params["stage_rows"] = convc::strided_pointwise(c.layer) ? rows : 0;
        // NCHW layers may be computed channels-last between two copies.
        v.params["transpose_io"] = c.layer.channels_last() ? 0 : transpose;
        // Whole channel blocks per task and taps outside the channel loop on one tile, the
        // defaults on the other.
        v.params["row_tasks"] = stage;
        v.params["channels_inner"] = 1 - stage;
        v.params["x_pixels"] = x_pixels;
        int block = base.param("lanes");
        v.params["k_vectors"] = (c.layer.out_channels / c.layer.groups) % (block * k_vectors) == 0 ? k_vectors : 1;
        v.params["stage_input"] = stage;
        v.params["unroll_taps"] = unroll;
        v.params["tasks"] = tasks;
        choices.push_back(v);
    }
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, BlockedSweep, ::testing::ValuesIn(blocked_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

}  // namespace

namespace {

// The depthwise family (row vectors): tiles of rows and vectors on each channel's plane, the
// plane staged (border through the padding mode, interior copied) or read in place; swept over
// padding modes, strides, dilations, a channel multiplier and rows narrower than a vector.
std::vector<FamilyCase> depthwise_cases() {
    Layer fixed = conv_layer(24, 24, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 24);
    fixed.input_shape = convc::Shape4{1, 24, 14, 14};
    Layer fixed_s2 = conv_layer(6, 6, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 6, false, PaddingMode::Reflect);
    fixed_s2.input_shape = convc::Shape4{1, 6, 23, 35};
    Layer fixed_s3 = conv_layer(4, 8, {5, 5}, {2, 3}, {2, 2}, {1, 1}, 4, true, PaddingMode::Circular);
    fixed_s3.input_shape = convc::Shape4{1, 4, 13, 11};
    // Circular rows of 4 pixels: unrolled taps read in place crashed Halide 14's compiler.
    Layer circular_4 = conv_layer(5, 10, {5, 3}, {2, 2}, {2, 2}, {2, 2}, 5, false, PaddingMode::Circular);
    circular_4.input_shape = convc::Shape4{1, 5, 22, 4};
    Layer same4 = with_padding(conv_layer(5, 5, {4, 4}, {1, 1}, {0, 0}, {1, 1}, 5), PaddingKind::Same);
    Layer valid = with_padding(conv_layer(3, 3, {3, 3}, {2, 2}, {0, 0}, {1, 1}, 3), PaddingKind::Valid);
    // A staged plane read at stride 2 in a last tile of constant indices: with one plane per
    // task Halide 14 emitted an aligned move at an unaligned address here (4 vectors, 7 rows).
    Layer fixed_s2_k5 = conv_layer(8, 8, {5, 5}, {2, 2}, {2, 2}, {1, 1}, 8);
    fixed_s2_k5.input_shape = convc::Shape4{1, 8, 57, 57};
    // MobileNetV2's stride-2 shape, rows of whole column-phase runs (stage_input 2).
    Layer fixed_s2_56 = conv_layer(6, 6, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 6);
    fixed_s2_56.input_shape = convc::Shape4{1, 6, 17, 56};
    // Planes past 32 KB (sliding rows by default, stage_input 3), one of them strided down the
    // rows and reflect-padded.
    Layer fixed_big = conv_layer(3, 3, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 3, true);
    fixed_big.input_shape = convc::Shape4{2, 3, 91, 101};
    Layer fixed_big_s2x1 = conv_layer(2, 4, {5, 3}, {2, 1}, {2, 1}, {1, 1}, 2, false, PaddingMode::Reflect);
    fixed_big_s2x1.input_shape = convc::Shape4{1, 2, 97, 90};
    return {
        {"k3_p1", conv_layer(8, 8, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 8), {1, 8, 19, 37}},
        {"k3_s2_zeros", conv_layer(6, 6, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 6, false), {2, 6, 23, 35}},
        {"k3_s2_reflect", conv_layer(4, 4, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 4, true, PaddingMode::Reflect), {1, 4, 11, 13}},
        {"k3_d2_replicate", conv_layer(4, 4, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 4, false, PaddingMode::Replicate),
         {1, 4, 10, 21}},
        {"k5_circular", conv_layer(3, 3, {5, 5}, {1, 1}, {2, 1}, {1, 1}, 3, true, PaddingMode::Circular), {1, 3, 8, 7}},
        {"multiplier2", conv_layer(4, 8, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4), {1, 4, 6, 17}},
        {"same_k4", same4, {1, 5, 9, 8}},
        {"valid_s2", valid, {1, 3, 12, 13}},
        {"fixed_14x14", fixed, {1, 24, 14, 14}},
        {"fixed_s2_reflect", fixed_s2, {1, 6, 23, 35}},
        {"fixed_s3_circular", fixed_s3, {1, 4, 13, 11}},
        {"fixed_circular_rows_of_4", circular_4, {1, 5, 22, 4}},
        {"fixed_s2_k5_57", fixed_s2_k5, {1, 8, 57, 57}},
        {"narrow_3", conv_layer(2, 2, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 2), {1, 2, 5, 3}},
        {"fixed_s2_56", fixed_s2_56, {1, 6, 17, 56}},
        {"fixed_big", fixed_big, {2, 3, 91, 101}},
        {"fixed_big_s2x1_reflect", fixed_big_s2x1, {1, 2, 97, 90}},
    };
}

class DepthwiseSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(DepthwiseSweep, EveryTileMatchesReference) {
    const FamilyCase &c = GetParam();
    convc::ScheduleChoice base = convc::x86_depthwise_default(c.layer, Halide::get_host_target());
    std::vector<convc::ScheduleChoice> choices = {base};
    for (auto [x_vectors, y_rows, stage, unroll, tasks] : {std::tuple{2, 7, 1, 0, 2}, std::tuple{1, 2, 0, 1, 0},
                                                            std::tuple{4, 1, 1, 1, 16}, std::tuple{4, 7, 1, 1, 1}}) {
        convc::ScheduleChoice v = base;
        v.params["x_vectors"] = x_vectors;
        v.params["y_rows"] = y_rows;
        v.params["stage_input"] = stage;
        v.params["unroll_taps"] = base.param("unroll_taps") ? unroll : 0;
        v.params["tasks"] = tasks;
        choices.push_back(v);
    }
    // Column phases where they fit: fixed widths of 16 strided columns and more (odd ones too).
    if (convc::column_phases_fit(c.layer, base.param("lanes"))) {
        for (auto [x_vectors, y_rows, tasks] : {std::tuple{1, 4, 16}, std::tuple{2, 2, 0}, std::tuple{4, 7, 1}}) {
            convc::ScheduleChoice v = base;
            v.params["x_vectors"] = x_vectors;
            v.params["y_rows"] = y_rows;
            v.params["stage_input"] = 2;
            v.params["tasks"] = tasks;
            choices.push_back(v);
        }
    }
    // Rows staged per row of tiles where rows are read at stride 1, tails shifted inward or
    // guarded. Slid from tile to tile in a folded buffer instead, heights that are not a multiple
    // of the tile's rows failed Halide 14's fold check here.
    if (c.layer.stride.w == 1) {
        for (auto [x_vectors, y_rows, unroll, tasks] : {std::tuple{1, 7, 1, 16}, std::tuple{4, 2, 0, 2}}) {
            convc::ScheduleChoice v = base;
            v.params["x_vectors"] = x_vectors;
            v.params["y_rows"] = y_rows;
            v.params["stage_input"] = 3;
            v.params["unroll_taps"] = base.param("unroll_taps") ? unroll : 0;
            v.params["tasks"] = tasks;
            choices.push_back(v);
        }
    }
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, DepthwiseSweep, ::testing::ValuesIn(depthwise_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

// The fixed_s2_k5_57 crash again, with two planes but a channel per task: the task's channel
// loop vanished and the plane's indices were constants (found by SpaceStress: SIGSEGV). A task
// now takes two channels at least where a staged plane is read at a stride.
TEST(DepthwiseFamily, StridedStagedPlaneWithAChannelPerTaskMatchesReference) {
    Layer layer = conv_layer(4, 16, {5, 7}, {3, 2}, {4, 4}, {1, 1}, 4);
    convc::Shape4 input{2, 4, 14, 9};
    layer.input_shape = input;
    convc::ScheduleChoice base = convc::x86_depthwise_default(layer, Halide::get_host_target());
    convc::ScheduleChoice v = base;
    v.params["x_vectors"] = 1;
    v.params["y_rows"] = 4;
    v.params["stage_input"] = 1;
    v.params["unroll_taps"] = 1;
    v.params["tasks"] = 0;
    expect_every_choice_matches(layer, input, {base, v});
}

// The same crash in a task's last channel alone: 13 channels in tasks of 4 left the last task
// one (SIGSEGV in Halide 14's code with these tiles, twenty-ninth session). Tasks grow until
// the last keeps two channels.
TEST(DepthwiseFamily, StridedStagedPlaneKeepsTwoChannelsInTheLastTask) {
    Layer layer = conv_layer(13, 13, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 13, false);
    convc::ScheduleChoice v = convc::x86_depthwise_default(layer, Halide::get_host_target());
    v.params["stage_input"] = 1;
    const std::pair<int, int> tasks_and_channels_a_task[] = {{4, 5}, {16, 5}, {2, 7}, {1, 13}};
    for (auto [tasks, per_task] : tasks_and_channels_a_task) {
        v.params["tasks"] = tasks;
        EXPECT_EQ(convc::depthwise_plane_tile(layer, v).channels_per_task, per_task) << tasks << " tasks";
    }
    for (int channels : {13, 17}) {
        Layer wide = conv_layer(channels, channels, {3, 3}, {2, 2}, {1, 1}, {1, 1}, channels, false);
        convc::Shape4 input{2, channels, 11, 40};
        wide.input_shape = input;
        convc::ScheduleChoice crashed = convc::x86_depthwise_default(wide, Halide::get_host_target());
        crashed.params["stage_input"] = 1;
        crashed.params["x_vectors"] = 2;
        crashed.params["y_rows"] = 7;
        crashed.params["unroll_taps"] = 1;
        crashed.params["tasks"] = 16;
        convc::ScheduleChoice in_four = crashed;
        in_four.params["tasks"] = 4;
        expect_every_choice_matches(wide, input, {crashed, in_four});
    }
}

// A staged plane's zero border is written by a task's first two channels only (both slots of
// its storage): tasks of 4 channels over 13 (the last one short), two images, the plane
// whole or by column phases, and a channel multiplier, whose planes straddle tasks and so
// write their border every time. A checked run's scratch starts as NaN, so a border left
// unwritten shows in the output.
TEST(DepthwiseFamily, StagedZeroBorderWrittenOncePerTaskSlotMatchesReference) {
    Layer same = conv_layer(13, 13, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 13);
    Layer strided = conv_layer(13, 13, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 13, true);
    Layer multiplier = conv_layer(5, 10, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 5);
    for (auto [layer, input, stage] : {std::tuple{same, convc::Shape4{2, 13, 9, 21}, 1},
                                       std::tuple{strided, convc::Shape4{2, 13, 11, 40}, 2},
                                       std::tuple{strided, convc::Shape4{2, 13, 11, 40}, 1},
                                       std::tuple{multiplier, convc::Shape4{2, 5, 9, 21}, 1}}) {
        layer.input_shape = input;
        convc::ScheduleChoice v = convc::x86_depthwise_default(layer, Halide::get_host_target());
        v.params["stage_input"] = stage;
        v.params["tasks"] = 4;
        convc::ScheduleChoice serial = v;
        serial.params["tasks"] = 1;
        expect_every_choice_matches(layer, input, {v, serial});
    }
}

// A staged plane's rows are copied in whole vectors, the last one shifted inward: with a
// guarded vector tail, which became masked stores (vmaskmovps), the rows' copy took about half
// of the 384-channel 14x14 layer's time on AMD's Zen 3 (twenty-first session). Checked in the
// code LLVM emits for an AVX2 target, whatever the host, on rows not a multiple of 8 wide.
TEST(DepthwiseFamily, StagedPlaneRowsAreCopiedWithoutMaskedStores) {
    const Halide::Target avx2("x86-64-linux-avx-avx2-f16c-fma-sse41");
    for (int width : {14, 23}) {
        Layer layer = conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16);
        layer.input_shape = convc::Shape4{1, 16, 14, width};
        convc::ScheduleChoice choice = convc::x86_depthwise_default(layer, avx2);
        choice.params["stage_input"] = 1;
        convc::LayerPipeline lp = convc::build_layer_pipeline(layer, avx2, choice);
        std::string path = ::testing::TempDir() + "staged_plane_" + std::to_string(width) + ".s";
        lp.pipeline.compile_to_assembly(path, lp.arguments, "staged_plane", avx2);
        std::ifstream file(path);
        std::string assembly((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::remove(path.c_str());
        ASSERT_NE(assembly.find("vfmadd"), std::string::npos) << "no kernel in " << path;
        EXPECT_EQ(assembly.find("vmaskmov"), std::string::npos) << "rows " << width << " wide: " << choice.to_string();
    }
}

// Taps unrolled over reflect-padded rows of 3 pixels, read in place at stride 2, killed Halide
// 14's compiler with SIGFPE on an AVX2 host (found by SpaceStress). The direct space keeps such
// layers' tap loops; the crashing point, but for its unrolled taps, must run.
TEST(DirectFamily, NarrowReflectRowsKeepTheirTapLoops) {
    Layer layer = conv_layer(96, 128, {2, 4}, {2, 2}, {0, 1}, {1, 1}, 8, true, PaddingMode::Reflect);
    convc::Shape4 input{2, 96, 5, 3};
    layer.input_shape = input;
    const Halide::Target host = Halide::get_host_target();
    convc::ScheduleSpace space = convc::x86_direct_space(layer, host);
    for (const convc::ParamRange &range : space.params) {
        if (range.name == "unroll_taps") {
            EXPECT_EQ(range.values, std::vector<int>{0});
        }
    }
    convc::ScheduleChoice base = convc::x86_direct_default(layer, host);
    EXPECT_EQ(base.param("unroll_taps"), 0);
    convc::ScheduleChoice v = base;
    v.params["stage_input"] = 0;
    v.params["tile_k"] = 6;
    v.params["x_vectors"] = 1;
    v.params["tasks"] = 2;
    expect_every_choice_matches(layer, input, {base, v});
}

}  // namespace

namespace {

// The lane-blocked family (depthwise and narrow groups) packs the input channel-innermost
// inside the pipeline; sweep it over padding modes, strides, dilations, multipliers, groups
// and narrow or odd rows, in both layouts.
std::vector<FamilyCase> lane_blocked_cases() {
    Layer fixed = conv_layer(32, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 32);
    fixed.input_shape = convc::Shape4{1, 32, 7, 7};
    Layer same4 = with_padding(conv_layer(16, 16, {4, 4}, {1, 1}, {0, 0}, {1, 1}, 16), PaddingKind::Same);
    return {
        {"k3_p1", conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16), {1, 16, 9, 13}},
        {"k3_s2_reflect", conv_layer(32, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 32, true, PaddingMode::Reflect), {2, 32, 11, 14}},
        {"k3_d2_replicate", conv_layer(16, 16, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 16, false, PaddingMode::Replicate),
         {1, 16, 10, 9}},
        {"k5_circular", conv_layer(16, 16, {5, 5}, {1, 1}, {2, 2}, {1, 1}, 16, true, PaddingMode::Circular), {1, 16, 8, 7}},
        {"multiplier2", conv_layer(8, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 8), {1, 8, 6, 17}},
        {"same_k4", same4, {1, 16, 9, 8}},
        {"fixed_7x7", fixed, {1, 32, 7, 7}},
        {"width_1", conv_layer(16, 16, {3, 1}, {1, 1}, {1, 0}, {1, 1}, 16), {1, 16, 5, 1}},
        {"nhwc_k3_p1", channels_last(conv_layer(32, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 32)), {2, 32, 9, 13}},
        // Groups narrower than a vector: 4 and 8 channels per group.
        {"groups_of_4", conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4), {1, 16, 9, 11}},
        {"nhwc_groups_of_8_s2", channels_last(conv_layer(32, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 4, false)), {1, 32, 10, 9}},
        {"nhwc_multiplier2_d2_reflect",
         channels_last(conv_layer(8, 16, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 8, true, PaddingMode::Reflect)),
         {1, 8, 9, 10}},
        {"nhwc_s2_replicate", channels_last(conv_layer(16, 16, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 16, false,
                                                 PaddingMode::Replicate)),
         {1, 16, 12, 11}},
    };
}

class LaneBlockedSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(LaneBlockedSweep, EveryTileMatchesReference) {
    const FamilyCase &c = GetParam();
    Halide::Target host = Halide::get_host_target();
    convc::ScheduleChoice base = convc::x86_lane_blocked_default(c.layer, host);
    std::vector<convc::ScheduleChoice> choices = {base};
    for (auto [x_pixels, k_vectors, strips, store, tasks] :
         {std::tuple{2, 1, 4, 4, 16}, std::tuple{7, 2, 2, 16, 1}}) {
        convc::ScheduleChoice v = base;
        v.params["x_pixels"] = x_pixels;
        v.params["k_vectors"] = c.layer.out_channels % (base.param("lanes") * k_vectors) == 0 ? k_vectors : 1;
        v.params["row_strips"] = strips;
        v.params["store_lanes"] = store;
        v.params["tasks"] = tasks;
        // Channels-last input may also be read in place by the taps.
        v.params["pack_input"] = c.layer.channels_last() && strips == 4 ? 0 : 1;
        v.params["register_tile"] = 0;
        choices.push_back(v);
        // Channels-last layers may keep the tile in registers instead of a row buffer.
        if (c.layer.channels_last()) {
            v.params["register_tile"] = 1;
            v.params["pack_input"] = strips == 2 ? 0 : 1;
            v.params["tasks"] = tasks == 1 ? 4 : 0;
            choices.push_back(v);
        }
    }
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, LaneBlockedSweep, ::testing::ValuesIn(lane_blocked_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

}  // namespace

namespace {

// The group-interleaved family (groups of 4 to 12 output channels, lanes across 4 groups):
// swept over padding modes, strides, dilations, bias, batches, input groups narrower than the
// output ones and rows narrower than a tile, in both layouts (NCHW tiles are stored as row
// vectors, channels-last ones as channel vectors).
std::vector<FamilyCase> interleaved_cases() {
    return {
        {"groups_of_4", conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4), {1, 16, 9, 11}},
        {"groups_of_4_s2_replicate_bias",
         conv_layer(32, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 8, true, PaddingMode::Replicate), {2, 32, 11, 13}},
        {"in2_out4_d2_circular", conv_layer(8, 16, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 4, false, PaddingMode::Circular),
         {1, 8, 9, 10}},
        {"groups_of_4_width_3", conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4), {1, 16, 5, 3}},
        {"nhwc_groups_of_8", channels_last(conv_layer(32, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4)), {2, 32, 7, 10}},
        {"nhwc_groups_of_4_s2_reflect",
         channels_last(conv_layer(32, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 8, true, PaddingMode::Reflect)), {1, 32, 11, 13}},
        {"nhwc_groups_of_8_d2_circular",
         channels_last(conv_layer(64, 64, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 8, false, PaddingMode::Circular)), {1, 64, 9, 6}},
        {"nhwc_in2_out4_replicate",
         channels_last(conv_layer(8, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4, true, PaddingMode::Replicate)), {1, 8, 5, 17}},
        {"nhwc_groups_of_12", channels_last(conv_layer(48, 48, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4)), {1, 48, 6, 5}},
        {"nhwc_width_1", channels_last(conv_layer(16, 16, {3, 1}, {1, 1}, {1, 0}, {1, 1}, 4)), {1, 16, 5, 1}},
    };
}

class InterleavedSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(InterleavedSweep, EveryTileMatchesReference) {
    const FamilyCase &c = GetParam();
    Halide::Target host = Halide::get_host_target();
    if (!convc::x86_interleaved_applies(c.layer, host)) {
        // 8 and 12 channels a group across 4 groups take 4-6 AVX2 vectors a pixel: no tile fits 16
        // registers. Every case applies where there are 32.
        ASSERT_FALSE(host.has_feature(Halide::Target::AVX512)) << "the family does not apply on this host";
        GTEST_SKIP() << "too few vector registers on this host for this case";
    }
    convc::ScheduleChoice base = convc::x86_interleaved_default(c.layer, host);
    std::vector<convc::ScheduleChoice> choices = {base};
    for (auto [x_pixels, tasks] : {std::pair{2, 4}, std::pair{6, 1}, std::pair{8, 0}}) {
        convc::ScheduleChoice v = base;
        v.params["x_pixels"] = x_pixels;
        v.params["tasks"] = tasks;
        choices.push_back(v);
    }
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, InterleavedSweep, ::testing::ValuesIn(interleaved_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

}  // namespace

namespace {

// The flat-plane family (depthwise on planes flattened into runs of vectors, fixed shapes):
// swept over plane sizes from under two vectors to several runs, kernels of 1 to 5 rows and
// columns, dilation, asymmetric 'same' padding, bias and batches; every chunk count of the
// space with several channel blocks and task groupings.
Layer fixed_shape(Layer l, convc::Shape4 input) {
    l.input_shape = input;
    return l;
}

// Runs each choice on the layer's input placed against an inaccessible page, first before it and
// then after it: a read past the tensor kills the test with SIGSEGV. The input must fit a page.
void expect_matches_against_inaccessible_pages(const Layer &layer, const std::vector<convc::ScheduleChoice> &choices) {
    const long page = sysconf(_SC_PAGESIZE);
    const convc::Shape4 in = *layer.input_shape, w = convc::weight_shape(layer);
    const int64_t count = convc_test::element_count(in);
    ASSERT_LE(count * int64_t(sizeof(float)), page);
    char *pages = static_cast<char *>(mmap(nullptr, 3 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(pages, MAP_FAILED);
    ASSERT_EQ(mprotect(pages + page, page, PROT_READ | PROT_WRITE), 0);
    std::vector<float> values = convc_test::random_values(count, 4), weight = convc_test::random_values(
                                                                          convc_test::element_count(w), 5);
    std::array<int64_t, 4> out_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_test::reference_params(layer), values.data(), in,
                                                       weight.data(), nullptr, out_shape);
    for (const convc::ScheduleChoice &choice : choices) {
        convc::JitLayer kernel(layer, Halide::get_host_target(), choice);
        for (char *at : {pages + page, pages + 2 * page - count * int64_t(sizeof(float))}) {
            float *input = reinterpret_cast<float *>(at);
            std::copy(values.begin(), values.end(), input);
            std::vector<float> output(want.size());
            kernel.run({input, {in.begin(), in.end()}}, {weight.data(), {w.begin(), w.end()}}, std::nullopt,
                       output.data());
            EXPECT_LE(convc_test::max_relative_error(output, want), convc_test::kTolerance) << choice.to_string();
        }
    }
    munmap(pages, 3 * page);
}

std::vector<FamilyCase> flat_plane_cases() {
    auto c = [](std::string name, Layer l, convc::Shape4 in) { return FamilyCase{name, fixed_shape(l, in), in}; };
    Layer same4 = with_padding(conv_layer(16, 16, {4, 4}, {1, 1}, {0, 0}, {1, 1}, 16), PaddingKind::Same);
    return {
        c("k3_7x7", conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16), {1, 16, 7, 7}),
        c("k3_14x14_bias_batch2", conv_layer(24, 24, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 24, true), {2, 24, 14, 14}),
        c("k5_9x6_bias", conv_layer(8, 8, {5, 5}, {1, 1}, {2, 2}, {1, 1}, 8, true), {1, 8, 9, 6}),
        c("k3_d2_11x5", conv_layer(12, 12, {3, 3}, {1, 1}, {2, 2}, {2, 2}, 12), {1, 12, 11, 5}),
        c("k3x1_unpadded_rows", conv_layer(4, 4, {3, 1}, {1, 1}, {0, 0}, {1, 1}, 4), {1, 4, 10, 3}),
        c("k3_p2x1_taller_output", conv_layer(8, 8, {3, 3}, {1, 1}, {2, 1}, {1, 1}, 8), {1, 8, 6, 7}),
        c("k1x3_2x13", conv_layer(8, 8, {1, 3}, {1, 1}, {0, 1}, {1, 1}, 8), {1, 8, 2, 13}),
        c("same_k4_9x8", same4, {1, 16, 9, 8}),
        c("k3_28x28_runs", conv_layer(8, 8, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 8), {1, 8, 28, 28}),
    };
}

class FlatPlaneSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(FlatPlaneSweep, EveryRunAndBlockMatchesReference) {
    const FamilyCase &c = GetParam();
    Halide::Target host = Halide::get_host_target();
    ASSERT_TRUE(convc::x86_flat_plane_applies(c.layer, host)) << "the family does not apply on this host";
    convc::ScheduleSpace space = convc::x86_flat_plane_space(c.layer, host);
    const std::vector<int> &chunks = space.params[1].values, &blocks = space.params[2].values;
    ASSERT_EQ(space.params[1].name, "chunks");
    ASSERT_EQ(space.params[2].name, "block");
    std::vector<convc::ScheduleChoice> choices = {convc::x86_flat_plane_default(c.layer, host)};
    const int tasks[] = {1, 4, 0, 16};
    for (size_t i = 0; i < chunks.size(); i++) {
        convc::ScheduleChoice v = choices.front();
        v.params["chunks"] = chunks[i];
        v.params["block"] = blocks[i % blocks.size()];
        v.params["tasks"] = tasks[i % 4];
        choices.push_back(v);
    }
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, FlatPlaneSweep, ::testing::ValuesIn(flat_plane_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

// The blocks away from the tensor's ends read their taps in place, reaching into neighbouring
// planes; the first and last blocks read a staged copy, since before the first plane and after
// the last there may be no memory at all.
TEST(FlatPlaneFamily, EndBlocksReadNothingPastTheTensor) {
    Layer layer = fixed_shape(conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16, false), {1, 16, 7, 7});
    convc::ScheduleChoice choice = convc::x86_flat_plane_default(layer, Halide::get_host_target());
    choice.params["block"] = 4;  // two blocks between the ends
    std::vector<convc::ScheduleChoice> choices;
    for (int tasks : {1, 4}) {
        choice.params["tasks"] = tasks;
        choices.push_back(choice);
    }
    expect_matches_against_inaccessible_pages(layer, choices);
}

// Where the flat runs would be wrong or the staging read out of bounds, the family is absent.
TEST(FlatPlaneFamily, AppliesOnlyWhereTheRunsAreExact) {
    Halide::Target host = Halide::get_host_target();
    convc::Shape4 in{1, 16, 14, 14};
    auto applies = [&](Layer l) { return convc::x86_flat_plane_applies(fixed_shape(l, in), host); };
    EXPECT_TRUE(applies(conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16)));
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 16)));  // stride
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16, false, PaddingMode::Reflect)));
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {1, 1}, {0, 0}, {1, 1}, 16)));  // narrower output
    EXPECT_FALSE(applies(conv_layer(16, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16)));  // channel multiplier
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 4)));   // groups of 4
    EXPECT_FALSE(applies(channels_last(conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16))));
    EXPECT_FALSE(convc::x86_flat_plane_applies(conv_layer(16, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 16), host));  // no shape
    EXPECT_FALSE(convc::x86_flat_plane_applies(fixed_shape(conv_layer(6, 6, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 6), {1, 6, 7, 7}),
                                               host));  // no channel block divides 6
}

}  // namespace

namespace {

// The deinterleaved family (depthwise 3x3 at stride 2 on NCHW planes read in place): rows of
// one run and a bit (17 outputs), of whole runs (32) and of runs that overlap (40), a single
// body row, bias and batches; every tile height of the space with task groupings.
std::vector<FamilyCase> deinterleaved_cases() {
    auto c = [](std::string name, Layer l, convc::Shape4 in) { return FamilyCase{name, fixed_shape(l, in), in}; };
    auto dw = [](int64_t channels, bool bias = false) {
        return conv_layer(channels, channels, {3, 3}, {2, 2}, {1, 1}, {1, 1}, channels, bias);
    };
    return {
        c("c144_56x56", dw(144), {1, 144, 56, 56}),
        c("c16_34x34", dw(16), {1, 16, 34, 34}),
        c("c8_40x64_bias_batch2", dw(8, true), {2, 8, 40, 64}),
        c("c12_6x80_runs_overlap", dw(12), {1, 12, 6, 80}),
        c("c4_4x36_one_body_row_bias", dw(4, true), {1, 4, 4, 36}),
    };
}

class DeinterleavedSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(DeinterleavedSweep, EveryTileHeightMatchesReference) {
    const FamilyCase &c = GetParam();
    Halide::Target host = Halide::get_host_target();
    ASSERT_TRUE(convc::x86_deinterleaved_applies(c.layer, host)) << "the family does not apply on this host";
    convc::ScheduleSpace space = convc::x86_deinterleaved_space(c.layer, host);
    ASSERT_EQ(space.params[1].name, "y_rows");
    std::vector<convc::ScheduleChoice> choices = {convc::x86_deinterleaved_default(c.layer, host)};
    const int tasks[] = {1, 4, 0, 16};
    for (size_t i = 0; i < space.params[1].values.size(); i++) {
        convc::ScheduleChoice v = choices.front();
        v.params["y_rows"] = space.params[1].values[i];
        v.params["tasks"] = tasks[i % 4];
        choices.push_back(v);
    }
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, DeinterleavedSweep, ::testing::ValuesIn(deinterleaved_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

// The body's first run reads one element before each row, the previous row's last; the top
// row's runs start a column later and its padding row is read clamped, since before the first
// plane there may be no memory at all. Tiles past the last row read it clamped.
TEST(DeinterleavedFamily, ReadsNothingPastTheTensor) {
    Layer layer = fixed_shape(conv_layer(4, 4, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 4, false), {1, 4, 6, 36});
    Halide::Target host = Halide::get_host_target();
    convc::ScheduleChoice choice = convc::x86_deinterleaved_default(layer, host);
    std::vector<convc::ScheduleChoice> choices;
    const convc::ScheduleSpace space = convc::x86_deinterleaved_space(layer, host);
    for (int rows : space.values("y_rows")) {
        choice.params["y_rows"] = rows;
        choices.push_back(choice);
    }
    expect_matches_against_inaccessible_pages(layer, choices);
}

// Where a run would read padding after the image or the taps would not be the three of a
// stride-2 row, the family is absent.
TEST(DeinterleavedFamily, AppliesOnlyToStride2WindowsInsideTheImage) {
    Halide::Target host = Halide::get_host_target();
    convc::Shape4 in{1, 16, 56, 56};
    auto applies = [&](Layer l, convc::Shape4 shape) { return convc::x86_deinterleaved_applies(fixed_shape(l, shape), host); };
    auto dw = [](HW stride, HW pad) { return conv_layer(16, 16, {3, 3}, stride, pad, {1, 1}, 16); };
    EXPECT_TRUE(applies(dw({2, 2}, {1, 1}), in));
    EXPECT_FALSE(applies(dw({1, 1}, {1, 1}), in));                  // stride 1
    EXPECT_FALSE(applies(dw({2, 2}, {0, 0}), in));                  // no padding before the image
    EXPECT_FALSE(applies(dw({2, 2}, {1, 1}), {1, 16, 56, 55}));     // odd width: the last window reads padding
    EXPECT_FALSE(applies(dw({2, 2}, {1, 1}), {1, 16, 55, 56}));     // odd height
    EXPECT_FALSE(applies(dw({2, 2}, {1, 1}), {1, 16, 56, 16}));     // 8 outputs a row: less than a run and one
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 16, false, PaddingMode::Reflect), in));
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {2, 2}, {1, 1}, {2, 2}, 16), in));  // dilation
    EXPECT_FALSE(applies(conv_layer(16, 16, {5, 5}, {2, 2}, {2, 2}, {1, 1}, 16), in));  // 5x5
    EXPECT_FALSE(applies(conv_layer(16, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 16), in));  // channel multiplier
    EXPECT_FALSE(applies(conv_layer(16, 16, {3, 3}, {2, 2}, {1, 1}, {1, 1}, 4), in));   // groups of 4
    EXPECT_FALSE(applies(channels_last(dw({2, 2}, {1, 1})), in));
    EXPECT_FALSE(convc::x86_deinterleaved_applies(dw({2, 2}, {1, 1}), host));  // no shape
}

}  // namespace

namespace {

// The flat-pixel family (pointwise NCHW layers as a matrix product over flattened pixels):
// swept over rows of 8, 24, 16, 56 and 7 pixels, planes that runs across rows do not divide
// (the last run shifted back), output channel counts no channel tile divides, bias and
// batches, and strided layers whose samples make the run (stride 2 and 3, rows of 7-14
// samples, odd input sizes, a stride that differs between the axes); every run length, register tile,
// channel tile, chunk of input channels and block of channel tiles of the space with task
// groupings, staged and in place.
std::vector<FamilyCase> flat_pixel_cases() {
    auto c = [](std::string name, Layer l, convc::Shape4 in) { return FamilyCase{name, fixed_shape(l, in), in}; };
    return {
        c("c5_k7_8x8", conv_layer(5, 7, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1), {1, 5, 8, 8}),
        c("c3_k5_13x24_bias", conv_layer(3, 5, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1, true), {1, 3, 13, 24}),
        c("c16_k9_7x16_batch2", conv_layer(16, 9, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1), {2, 16, 7, 16}),
        c("c24_k10_5x56_bias", conv_layer(24, 10, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1, true), {1, 24, 5, 56}),
        c("c128_k20_6x16_bias", conv_layer(128, 20, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1, true), {1, 128, 6, 16}),
        c("c10_k9_7x7_batch3", conv_layer(10, 9, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1), {3, 10, 7, 7}),
        c("c64_k13_stride2_28x28", conv_layer(64, 13, {1, 1}, {2, 2}, {0, 0}, {1, 1}, 1), {1, 64, 28, 28}),
        c("c6_k10_stride2_13x15_bias", conv_layer(6, 10, {1, 1}, {2, 2}, {0, 0}, {1, 1}, 1, true), {1, 6, 13, 15}),
        c("c9_k7_stride3_12x24_batch2", conv_layer(9, 7, {1, 1}, {3, 3}, {0, 0}, {1, 1}, 1), {2, 9, 12, 24}),
        c("c8_k12_stride2x1_16x16", conv_layer(8, 12, {1, 1}, {2, 1}, {0, 0}, {1, 1}, 1), {1, 8, 16, 16}),
    };
}

class FlatPixelSweep : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(FlatPixelSweep, EveryRunAndChannelTileMatchesReference) {
    const FamilyCase &c = GetParam();
    Halide::Target host = Halide::get_host_target();
    ASSERT_TRUE(convc::x86_flat_pixels_applies(c.layer, host)) << "the family does not apply on this host";
    convc::ScheduleSpace space = convc::x86_flat_pixel_space(c.layer, host);
    std::vector<convc::ScheduleChoice> choices = {convc::x86_flat_pixel_default(c.layer, host)};
    const std::vector<int> runs = space.values("x_vectors"), widths = space.values("tile_vectors"),
                           tiles = space.values("tile_k"), chunks = space.values("channel_chunk"),
                           blocks = space.values("channel_blocks"), staging = space.values("stage_input");
    const int tasks[] = {1, 2, 0, 16};
    const size_t sweep = std::max({runs.size() * widths.size(), tiles.size(), chunks.size() + 1, blocks.size()});
    for (size_t i = 0; i < sweep; i++) {
        convc::ScheduleChoice v = choices.front();
        v.params["x_vectors"] = runs[i % runs.size()];
        v.params["tile_vectors"] = widths[(i / runs.size()) % widths.size()];
        v.params["tile_k"] = tiles[i % tiles.size()];
        v.params["channel_chunk"] = chunks[(i + 1) % chunks.size()];
        v.params["channel_blocks"] = blocks[i % blocks.size()];
        v.params["tasks"] = tasks[i % 4];
        v.params["stage_input"] = staging[i % staging.size()];
        if (convc::fits_space(v, space) && std::find(choices.begin(), choices.end(), v) == choices.end()) {
            choices.push_back(v);
        }
    }
    // AVX2's 16 registers leave a 56-pixel row few run lengths and channel tiles.
    ASSERT_GE(choices.size(), 3u);
    expect_every_choice_matches(c.layer, c.input, choices);
}

INSTANTIATE_TEST_SUITE_P(Conv2d, FlatPixelSweep, ::testing::ValuesIn(flat_pixel_cases()),
                         [](const ::testing::TestParamInfo<FamilyCase> &info) { return info.param.name; });

// Where a pixel reads more than one input point, or a strided layer's runs could not be whole
// rows of whole vectors, the family is absent; a strided pointwise layer's samples make its
// run, and a stride-1 layer's runs cross rows, whatever its width.
TEST(FlatPixelFamily, AppliesToPointwiseNchwLayers) {
    Halide::Target host = Halide::get_host_target();
    convc::Shape4 in{1, 16, 14, 56};
    auto applies = [&](Layer l) { return convc::x86_flat_pixels_applies(fixed_shape(l, in), host); };
    EXPECT_TRUE(applies(conv_layer(16, 32, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1)));
    EXPECT_TRUE(applies(conv_layer(16, 32, {1, 1}, {2, 2}, {0, 0}, {1, 1}, 1)));   // 7 x 28 samples
    EXPECT_FALSE(applies(conv_layer(16, 32, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 1)));  // padding
    EXPECT_FALSE(applies(conv_layer(16, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1}, 1)));  // a window
    EXPECT_FALSE(applies(conv_layer(16, 32, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 4)));  // groups
    EXPECT_FALSE(applies(channels_last(conv_layer(16, 32, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1))));
    EXPECT_FALSE(convc::x86_flat_pixels_applies(conv_layer(16, 32, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1), host));  // no shape
    const Layer pointwise = conv_layer(16, 32, {1, 1}, {1, 1}, {0, 0}, {1, 1}, 1);
    EXPECT_TRUE(convc::x86_flat_pixels_applies(fixed_shape(pointwise, {1, 16, 7, 7}), host));
    // 7 samples a row take 16 rows to make whole vectors: a 14x14 input at stride 2 has too few.
    const Layer strided = conv_layer(16, 32, {1, 1}, {2, 2}, {0, 0}, {1, 1}, 1);
    EXPECT_FALSE(convc::x86_flat_pixels_applies(fixed_shape(strided, {1, 16, 14, 14}), host));
}

}  // namespace
