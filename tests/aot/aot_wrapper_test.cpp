// Calls kernels generated at build time by convc_add_library through their C++ wrappers,
// exactly as a user program does, and checks them against the reference.
#include <gtest/gtest.h>

#include "aot_mix.h"
#include "seed_example.h"
#include "io/memory_layout.h"
#include "support/conv_check.h"

namespace {

void expect_layer_matches_reference(const aot_mix::LayerInfo &layer, std::array<int64_t, 4> in_shape) {
    SCOPED_TRACE(std::string(layer.name) + " on " + convc::shape_to_string(in_shape));
    std::array<int64_t, 4> w_shape = {layer.out_channels, layer.in_channels / layer.groups, layer.kernel_h,
                                      layer.kernel_w};
    std::vector<float> input = convc_test::random_values(convc_test::element_count(in_shape), 11);
    std::vector<float> weight = convc_test::random_values(convc_test::element_count(w_shape), 12);
    std::vector<float> bias = convc_test::random_values(layer.out_channels, 13);
    std::array<int64_t, 4> out_shape = aot_mix::output_shape(layer, in_shape);
    std::vector<float> output(convc_test::element_count(out_shape));

    // A channels-last layer takes and returns NHWC memory under the same NCHW shapes.
    convc::MemoryLayout layout = layer.channels_last ? convc::MemoryLayout::Nhwc : convc::MemoryLayout::Nchw;
    std::vector<float> x = convc::nchw_to_layout(input.data(), in_shape, layout);
    aot_mix::ConstTensorView b{bias.data(), {layer.out_channels}};
    layer.call({x.data(), {in_shape.begin(), in_shape.end()}}, {weight.data(), {w_shape.begin(), w_shape.end()}},
               layer.has_bias ? &b : nullptr, {output.data(), {out_shape.begin(), out_shape.end()}});
    output = convc::layout_to_nchw(output.data(), out_shape, layout);

    std::array<int64_t, 4> ref_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_reference::params_of(layer), input.data(), in_shape, weight.data(),
                                                       layer.has_bias ? bias.data() : nullptr, ref_shape);
    ASSERT_EQ(ref_shape, out_shape);
    EXPECT_LE(convc_test::max_relative_error(output, want), convc_test::kTolerance);
}

TEST(AotWrapper, TextbookThroughTypedEntryPoint) {
    std::vector<float> x(25), w(9), y(25);
    for (int i = 0; i < 25; i++) {
        x[i] = static_cast<float>(i % 5 + 1);
    }
    for (int i = 0; i < 9; i++) {
        w[i] = static_cast<float>(i % 3 + 1);
    }
    seed_example::conv_pad1::forward({x.data(), {1, 1, 5, 5}}, {w.data(), {1, 1, 3, 3}}, {y.data(), {1, 1, 5, 5}});
    EXPECT_EQ(y[0], 16.0f);
    EXPECT_EQ(y[12], 60.0f);
    static_assert(seed_example::conv_valid::output_shape({1, 1, 5, 5})[2] == 3, "valid shrinks 5 to 3");
    static_assert(seed_example::conv_pad1::flops({1, 1, 5, 5}) == 2 * 225, "2 FLOPs per MAC");
}

TEST(AotWrapper, EveryLayerMatchesReference) {
    for (const aot_mix::LayerInfo *layer : aot_mix::layers) {
        if (layer->fixes_input_shape) {
            expect_layer_matches_reference(*layer, layer->input_shape);
        } else {
            expect_layer_matches_reference(*layer, {1, layer->in_channels, 9, 13});
            expect_layer_matches_reference(*layer, {3, layer->in_channels, 20, 41});
        }
    }
}

TEST(AotWrapper, PackedWeightsAreReusedAndTiedToTheirLayer) {
    const aot_mix::LayerInfo &layer = aot_mix::blocked_dynamic::info;
    std::array<int64_t, 4> in = {2, 12, 9, 21};
    std::vector<float> x = convc_test::random_values(2 * 12 * 9 * 21, 21), w = convc_test::random_values(32 * 12 * 9, 22),
                       b = convc_test::random_values(32, 23);
    std::array<int64_t, 4> out = aot_mix::blocked_dynamic::output_shape(in);
    std::vector<float> y1(convc_test::element_count(out)), y2(y1.size());
    aot_mix::ConstTensorView weight{w.data(), {32, 12, 3, 3}};
    aot_mix::blocked_dynamic::forward({x.data(), {in.begin(), in.end()}}, weight, {b.data(), {32}},
                                      {y1.data(), {out.begin(), out.end()}});
    aot_mix::PackedWeights packed = aot_mix::blocked_dynamic::pack_weights(weight);
    for (int repeat = 0; repeat < 2; repeat++) {
        aot_mix::blocked_dynamic::forward_packed({x.data(), {in.begin(), in.end()}}, packed, {b.data(), {32}},
                                                 {y2.data(), {out.begin(), out.end()}});
        EXPECT_EQ(y1, y2);
    }
    std::array<int64_t, 4> ref_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_reference::params_of(layer), x.data(), in, w.data(),
                                                       b.data(), ref_shape);
    EXPECT_LE(convc_test::max_relative_error(y2, want), convc_test::kTolerance);

    std::vector<float> wn(48 * 16 * 9), xn(2 * 16 * 49), yn(2 * 48 * 49);
    aot_mix::PackedWeights other = aot_mix::blocked_narrow::pack_weights({wn.data(), {48, 16, 3, 3}});
    EXPECT_THROW(aot_mix::blocked_dynamic::forward_packed({x.data(), {in.begin(), in.end()}}, other, {b.data(), {32}},
                                                          {y2.data(), {out.begin(), out.end()}}),
                 aot_mix::Error);
    EXPECT_NO_THROW(aot_mix::blocked_narrow::forward_packed({xn.data(), {2, 16, 7, 7}}, other, {yn.data(), {2, 48, 7, 7}}));
    EXPECT_THROW(aot_mix::blocked_dynamic::pack_weights({w.data(), {32, 12, 3, 2}}), aot_mix::Error);
}

TEST(AotWrapper, EmptyBatchIsANoOp) {
    std::vector<float> w(6 * 1 * 3 * 3, 1.0f);
    EXPECT_NO_THROW(aot_mix::depthwise_strided::forward({nullptr, {0, 6, 8, 8}}, {w.data(), {6, 1, 3, 3}},
                                                        {nullptr, {0, 6, 4, 4}}));
}

TEST(AotWrapper, MismatchedBuffersThrowClearErrors) {
    std::vector<float> x(2 * 8 * 11 * 37), w(12 * 2 * 3 * 3), b(12), y(2 * 12 * 11 * 37);
    auto call = [&](std::vector<int64_t> in, std::vector<int64_t> ws, std::vector<int64_t> out) {
        aot_mix::grouped_fixed::forward({x.data(), in}, {w.data(), ws}, {b.data(), {12}}, {y.data(), out});
    };
    EXPECT_NO_THROW(call({2, 8, 11, 37}, {12, 2, 3, 3}, {2, 12, 11, 37}));
    auto expect_error = [&](std::vector<int64_t> in, std::vector<int64_t> ws, std::vector<int64_t> out,
                            const std::string &text) {
        try {
            call(in, ws, out);
            ADD_FAILURE() << "no error for " << text;
        } catch (const aot_mix::Error &e) {
            EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
        }
    };
    expect_error({2, 8, 11, 36}, {12, 2, 3, 3}, {2, 12, 11, 36}, "shape the spec fixes");
    expect_error({2, 7, 11, 37}, {12, 2, 3, 3}, {2, 12, 11, 37}, "channels");
    expect_error({2, 8, 11, 37}, {12, 8, 3, 3}, {2, 12, 11, 37}, "weight must have shape [12, 2, 3, 3]");
    expect_error({2, 8, 11, 37}, {12, 2, 3, 3}, {2, 12, 11, 38}, "output must have shape [2, 12, 11, 37]");
    expect_error({8, 11, 37}, {12, 2, 3, 3}, {2, 12, 11, 37}, "4-D");
}

TEST(AotWrapper, RuntimePaddingRulesOfDynamicLayers) {
    // reflect needs padding < input size: 'same' with a 3x5 kernel at dilation 2 pads 2 x 4.
    std::vector<float> x(3 * 3 * 4), w(5 * 3 * 3 * 5), b(5), y(5 * 3 * 4);
    EXPECT_THROW(aot_mix::reflect_dilated::forward({x.data(), {1, 3, 3, 4}}, {w.data(), {5, 3, 3, 5}},
                                                   {b.data(), {5}}, {y.data(), {1, 5, 3, 4}}),
                 aot_mix::Error);
}

}  // namespace
