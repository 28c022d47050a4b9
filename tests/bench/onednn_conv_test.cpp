// The benchmark harness checked against things that do not share its code: oneDNN's
// answers against the double-precision reference, so that a fast rival is also a correct
// one; the chart and the FMA peak only for sanity, since their consumers are people.

#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "bench/bench_report.h"
#include "bench/fma_peak.h"
#include "bench/huge_page_floats.h"
#include "bench/onednn_conv.h"
#include "bench/svg_chart.h"
#include "bench/timing.h"
#include "reference/layer_reference.h"
#include "reference/reference_check.h"
#include "support/conv_check.h"

namespace convc {
namespace {

Layer conv(int64_t c, int64_t k, HW kernel, HW padding, bool bias) {
    return convc_test::conv_layer(c, k, kernel, {1, 1}, padding, {1, 1}, 1, bias);
}

int64_t count(const Shape4 &s) {
    return s[0] * s[1] * s[2] * s[3];
}

struct Case {
    const char *name;
    Layer layer;
    Shape4 input;
};

// Each case isolates one way the Layer -> oneDNN mapping could go wrong.
std::vector<Case> cases() {
    std::vector<Case> all;
    all.push_back({"plain_3x3_pad1", conv(3, 4, {3, 3}, {1, 1}, true), {2, 3, 8, 8}});

    Layer strided = conv(4, 5, {3, 3}, {1, 1}, false);
    strided.stride = {2, 2};
    all.push_back({"stride2_odd_input", strided, {1, 4, 9, 9}});

    // An even kernel under 'same' pads one more on the bottom/right: asymmetric padding_l/r.
    Layer same = conv(3, 4, {4, 2}, {0, 0}, true);
    same.padding_kind = PaddingKind::Same;
    all.push_back({"same_even_kernel", same, {1, 3, 7, 6}});

    Layer dilated = conv(3, 4, {3, 3}, {2, 2}, false);
    dilated.dilation = {2, 2};
    all.push_back({"dilation2", dilated, {1, 3, 10, 9}});

    Layer grouped = conv(4, 6, {3, 3}, {1, 1}, true);
    grouped.groups = 2;
    all.push_back({"groups2", grouped, {2, 4, 6, 6}});

    Layer depthwise = conv(8, 8, {3, 3}, {1, 1}, false);
    depthwise.groups = 8;
    all.push_back({"depthwise", depthwise, {1, 8, 7, 7}});

    // Rectangular everything, grouped: catches swapped h/w in the 5-D weights as well.
    Layer mixed = conv(16, 8, {1, 3}, {0, 1}, true);
    mixed.stride = {2, 1};
    mixed.dilation = {1, 2};
    mixed.groups = 4;
    all.push_back({"rectangular_grouped", mixed, {1, 16, 9, 11}});
    return all;
}

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const Case &c, std::ostream *os) {
    *os << c.name;
}

class OnednnVsReference : public ::testing::TestWithParam<Case> {};

TEST_P(OnednnVsReference, MatchesDoublePrecisionReference) {
    const Case &c = GetParam();
    std::vector<float> x = convc_reference::seeded_values(count(c.input), 1);
    std::vector<float> w = convc_reference::seeded_values(count(weight_shape(c.layer)), 2);
    std::vector<float> b = convc_reference::seeded_values(c.layer.out_channels, 3);
    const float *bias = c.layer.bias ? b.data() : nullptr;

    std::vector<float> got = run_onednn_conv(c.layer, c.input, x.data(), w.data(), bias);

    std::array<int64_t, 4> ref_shape{};
    std::vector<double> want =
        convc_reference::conv2d(reference_params(c.layer), x.data(), c.input, w.data(), bias, ref_shape);
    ASSERT_EQ(ref_shape, output_shape(c.layer, c.input));
    ASSERT_EQ(got.size(), want.size());
    double scale = 0;
    for (double v : want) {
        scale = std::max(scale, std::abs(v));
    }
    for (size_t i = 0; i < want.size(); i++) {
        ASSERT_NEAR(got[i], want[i], 1e-4 * scale) << "at flat index " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Layers, OnednnVsReference, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &info) { return std::string(info.param.name); });

TEST(OnednnTiming, TimesAResNetLayer) {
    Layer layer = conv(64, 64, {3, 3}, {1, 1}, true);
    std::string why;
    std::unique_ptr<OnednnRival> rival = OnednnRival::create(layer, {1, 64, 28, 28}, &why);
    ASSERT_TRUE(rival) << why;
    for (Timing timing : {rival->time(0.01), rival->time_on_plain(0.01)}) {
        EXPECT_GT(timing.median_s, 0);
        EXPECT_GT(timing.min_s, 0);
        EXPECT_LE(timing.min_s, timing.median_s);
        EXPECT_GE(timing.runs, 10);
    }
    EXPECT_FALSE(rival->implementation().empty());
}

TEST(OnednnTiming, RefusesReflectPadding) {
    Layer layer = conv(4, 4, {3, 3}, {1, 1}, true);
    layer.padding_mode = PaddingMode::Reflect;
    std::string why;
    EXPECT_FALSE(OnednnRival::create(layer, {1, 4, 8, 8}, &why));
    EXPECT_NE(why.find("reflect"), std::string::npos) << why;
}

TEST(Timing, RunsAtLeastTheMinimumAndOrdersStatistics) {
    int calls = 0;
    Timing t = time_repeated([&] { calls++; }, 7, 0.0);
    EXPECT_EQ(t.runs, 7);
    EXPECT_EQ(calls, 8);  // one warm-up
    EXPECT_LE(t.min_s, t.median_s);
}

TEST(SvgChart, IsCompleteEscapedAndSurvivesNaN) {
    double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::string> categories{"resnet.conv1", "a<b>&c", "depthwise_3x3"};
    std::vector<std::string> series{"convc 1 thread", "oneDNN 1 thread"};
    std::string svg = grouped_bar_chart_svg("GFLOP/s & more", "GFLOP/s", categories, series,
                                            {{10.5, 20, nan}, {12, nan, 3.25}});
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    ASSERT_GE(svg.size(), 7u);
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
    for (const std::string &name : {std::string("resnet.conv1"), std::string("depthwise_3x3"), series[0], series[1]}) {
        EXPECT_NE(svg.find(name), std::string::npos) << name;
    }
    EXPECT_NE(svg.find("a&lt;b&gt;&amp;c"), std::string::npos);
    EXPECT_NE(svg.find("GFLOP/s &amp; more"), std::string::npos);
    EXPECT_EQ(svg.find("a<b>"), std::string::npos);
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg, grouped_bar_chart_svg("GFLOP/s & more", "GFLOP/s", categories, series,
                                         {{10.5, 20, nan}, {12, nan, 3.25}}));
}

// The rows `bench` lists as tuned entries slower than their default: a, at two threads only.
TEST(BenchTable, NamesTunedEntriesSlowerThanTheirDefault) {
    auto row = [](const std::string &layer, int threads, double convc, double fallback) {
        BenchRow r;
        r.layer = layer;
        r.threads = threads;
        r.convc_gflops = convc;
        r.default_gflops = fallback;
        r.onednn_gflops = r.onednn_nchw_gflops = r.peak_gflops = 100;
        r.convc_spread = r.onednn_spread = 1;
        return r;
    };
    std::vector<BenchRow> rows = {row("a", 1, 200, 190), row("b", 1, 50, NAN), row("a", 2, 100, 200),
                                  row("b", 2, 100, NAN), row("c", 2, 95, 100)};
    std::string table = bench_table(rows);
    const std::string flag = "tuned entries slower than their heuristic default here";
    size_t first = table.find(flag), second_section = table.find("threads 2");
    ASSERT_NE(first, std::string::npos) << table;
    EXPECT_GT(first, second_section) << "listed at one thread, where a beats its default:\n" << table;
    EXPECT_EQ(table.find(flag, first + 1), std::string::npos) << table;
    std::string line = table.substr(first, table.find('\n', first) - first);
    EXPECT_NE(line.find("a (0.50x)"), std::string::npos) << line;
    EXPECT_EQ(line.find("b ("), std::string::npos) << "no default timed: " << line;
    EXPECT_EQ(line.find("c ("), std::string::npos) << "within the noise: " << line;
}

TEST(SvgChart, RejectsMismatchedValues) {
    EXPECT_THROW(grouped_bar_chart_svg("t", "y", {"a", "b"}, {"s"}, {{1.0}}), std::invalid_argument);
}

// Whether Linux grants 2 MB pages is its business; the alignment that lets it, the zeroing and
// the ownership are ours.
TEST(HugePageFloats, IsAlignedZeroedAndMovesWithoutCopying) {
    const size_t count = (size_t(3) << 20) / sizeof(float) + 5;  // spans two 2 MB pages
    HugePageFloats a(count);
    ASSERT_NE(a.data(), nullptr);
    EXPECT_EQ(a.size(), count);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % (uintptr_t(2) << 20), 0u);
    EXPECT_EQ(a.data()[0], 0.0f);
    EXPECT_EQ(a.data()[count - 1], 0.0f);
    a.data()[count - 1] = 7.0f;
    float *where = a.data();
    HugePageFloats b = std::move(a);
    EXPECT_EQ(b.data(), where);
    EXPECT_EQ(b.data()[count - 1], 7.0f);
    EXPECT_EQ(HugePageFloats(0).data(), nullptr);
}

TEST(FmaPeak, MeasuresSomething) {
    EXPECT_GT(measure_fma_peak_gflops(Halide::get_host_target(), 1), 1.0);
}

}  // namespace
}  // namespace convc
