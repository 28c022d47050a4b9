// Checks the reference convolution two ways: against arrays PyTorch computed (tests/golden, written
// by make_golden.py) and against tiny examples worked out by hand. Together they make the reference
// trustworthy enough to judge generated kernels on shapes the golden set does not hold.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "io/npy.h"
#include "reference/conv2d_reference.h"
#include "reference/reference_check.h"

#ifndef CONVC_GOLDEN_DIR
#error "CONVC_GOLDEN_DIR must name the tests/golden folder"
#endif

namespace {

using convc_reference::Conv2dParams;
using convc_reference::Padding;

const std::string kGoldenDir = CONVC_GOLDEN_DIR;

struct GoldenCase {
    std::string name;
    std::array<int64_t, 4> input_shape{};
    Conv2dParams params;
    bool bias = false;
};

Padding parse_mode(const std::string &mode) {
    if (mode == "zeros") return Padding::Zeros;
    if (mode == "reflect") return Padding::Reflect;
    if (mode == "replicate") return Padding::Replicate;
    if (mode == "circular") return Padding::Circular;
    throw std::runtime_error("unknown padding mode '" + mode + "' in cases.txt");
}

// Runs during test registration, where a throw would abort the binary with no test report; a missing
// or malformed file instead yields fewer cases, which GoldenSet.HasAllCases reports.
std::vector<GoldenCase> load_cases() {
    std::vector<GoldenCase> cases;
    std::ifstream in(kGoldenDir + "/cases.txt");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        GoldenCase c;
        Conv2dParams &p = c.params;
        int64_t K = 0;
        int bias = 0;
        std::string mode;
        if (!(fields >> c.name >> c.input_shape[0] >> c.input_shape[1] >> c.input_shape[2] >> c.input_shape[3] >> K >>
              p.kernel_h >> p.kernel_w >> p.stride_h >> p.stride_w >> p.pad_top >> p.pad_bottom >> p.pad_left >>
              p.pad_right >> p.dilation_h >> p.dilation_w >> p.groups >> bias >> mode)) {
            continue;
        }
        p.in_channels = c.input_shape[1];
        p.out_channels = K;
        c.bias = bias != 0;
        try {
            p.padding = parse_mode(mode);
        } catch (const std::exception &) {
            continue;
        }
        cases.push_back(c);
    }
    return cases;
}

const std::vector<GoldenCase> &golden_cases() {
    static const std::vector<GoldenCase> cases = load_cases();
    return cases;
}

std::array<int64_t, 4> shape4(const convc::NpyArray &a) {
    std::array<int64_t, 4> s{-1, -1, -1, -1};
    for (size_t i = 0; i < 4 && i < a.shape.size(); ++i) {
        s[i] = a.shape[i];
    }
    return s;
}

TEST(GoldenSet, HasAllCases) {
    std::ifstream in(kGoldenDir + "/cases.txt");
    ASSERT_TRUE(in) << "cannot open " << kGoldenDir << "/cases.txt; run /usr/bin/python3 tests/golden/make_golden.py";
    int64_t lines = 0;
    std::string line;
    while (std::getline(in, line)) {
        lines += line.empty() ? 0 : 1;
    }
    // Every non-empty line must have parsed, or some case would silently go unchecked.
    EXPECT_EQ(static_cast<int64_t>(golden_cases().size()), lines);
    EXPECT_GE(golden_cases().size(), 30u);
}

class ReferenceVsGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ReferenceVsGolden, MatchesPyTorch) {
    const GoldenCase &c = GetParam();
    const std::string prefix = kGoldenDir + "/data/" + c.name;
    convc::NpyArray input = convc::read_npy(prefix + ".input.npy");
    convc::NpyArray weight = convc::read_npy(prefix + ".weight.npy");
    convc::NpyArray expected = convc::read_npy(prefix + ".output.npy");
    convc::NpyArray bias;
    if (c.bias) {
        bias = convc::read_npy(prefix + ".bias.npy");
        ASSERT_EQ(bias.shape, std::vector<int64_t>{c.params.out_channels});
    }
    ASSERT_EQ(input.shape.size(), 4u);
    ASSERT_EQ(shape4(input), c.input_shape) << "cases.txt and " << c.name << ".input.npy disagree";
    const Conv2dParams &p = c.params;
    ASSERT_EQ(weight.shape,
              (std::vector<int64_t>{p.out_channels, p.in_channels / p.groups, p.kernel_h, p.kernel_w}));

    std::array<int64_t, 4> out_shape{};
    std::vector<double> actual = convc_reference::conv2d(p, input.data.data(), c.input_shape, weight.data.data(),
                                                         c.bias ? bias.data.data() : nullptr, out_shape);
    ASSERT_EQ(expected.shape.size(), 4u);
    ASSERT_EQ(out_shape, shape4(expected));
    ASSERT_EQ(actual.size(), expected.data.size());

    double max_abs_expected = 0.0, max_error = 0.0;
    size_t worst = 0;
    for (size_t i = 0; i < actual.size(); ++i) {
        max_abs_expected = std::max(max_abs_expected, std::abs(double(expected.data[i])));
        double error = std::abs(actual[i] - double(expected.data[i]));
        if (!(error <= max_error)) {  // NaN too: it fails the check below and stays the worst
            max_error = error;
            worst = i;
            if (std::isnan(error)) {
                break;
            }
        }
    }
    EXPECT_LE(max_error, 1e-4 * (1.0 + max_abs_expected))
        << "worst at flat index " << worst << ": reference " << actual[worst] << ", PyTorch " << expected.data[worst];
}

// Every check of a kernel against the reference goes through max_relative_error: a NaN in
// the output (a read of scratch memory the kernel never wrote) must fail it.
TEST(ReferenceCheck, ANanOutputIsAnInfiniteError) {
    const std::vector<double> want = {1.0, -2.0, 3.0};
    EXPECT_EQ(convc_reference::max_relative_error({1.0f, -2.0f, 3.0f}, want), 0.0);
    EXPECT_EQ(convc_reference::max_relative_error({1.0f, NAN, 3.0f}, want), INFINITY);
    EXPECT_EQ(convc_reference::max_relative_error({NAN, -2.0f, 3.0f}, want), INFINITY);
    EXPECT_EQ(convc_reference::max_relative_error({1.0f, -2.0f}, want), INFINITY);
}

INSTANTIATE_TEST_SUITE_P(Golden, ReferenceVsGolden, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase> &info) { return info.param.name; });
// An unreadable cases.txt leaves the suite empty; HasAllCases is the test that reports it.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReferenceVsGolden);

// ---- Hand-computed examples -------------------------------------------------------------------

// Single image, single channel, no bias: the shape of every hand example below.
std::vector<double> conv_1x1(const Conv2dParams &p, const std::vector<float> &x, int64_t h, int64_t w,
                             const std::vector<float> &weight, std::array<int64_t, 4> &out_shape) {
    return convc_reference::conv2d(p, x.data(), {1, 1, h, w}, weight.data(), nullptr, out_shape);
}

Conv2dParams square(int64_t kernel, int64_t pad, Padding mode = Padding::Zeros) {
    Conv2dParams p;
    p.kernel_h = p.kernel_w = kernel;
    p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = pad;
    p.padding = mode;
    return p;
}

// x is 5x5 with every row [1 2 3 4 5]; w is 3x3 with every row [1 2 3].
const std::vector<float> kRamp5x5 = {1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5};
const std::vector<float> kRamp3x3Kernel = {1, 2, 3, 1, 2, 3, 1, 2, 3};

TEST(ReferenceByHand, TextbookPaddingOne) {
    // Rows of x are all equal, so an output element is (number of kernel rows that land inside x)
    // times one horizontal dot product of [1 2 3] with three neighbouring columns (0 outside):
    //   x=0: 1*0 + 2*1 + 3*2 =  8     x=1: 1*1 + 2*2 + 3*3 = 14     x=2: 1*2 + 2*3 + 3*4 = 20
    //   x=3: 1*3 + 2*4 + 3*5 = 26     x=4: 1*4 + 2*5 + 3*0 = 14
    // The first and last output rows see 2 kernel rows inside x, the middle rows all 3:
    //   first row = 2 * [8 14 20 26 14] = [16 28 40 52 28]; middle rows = [24 42 60 78 42].
    // Because this is cross-correlation (PyTorch does not flip the kernel), the row is not symmetric.
    std::array<int64_t, 4> out_shape{};
    std::vector<double> y = conv_1x1(square(3, 1), kRamp5x5, 5, 5, kRamp3x3Kernel, out_shape);
    ASSERT_EQ(out_shape, (std::array<int64_t, 4>{1, 1, 5, 5}));
    const std::vector<double> expected = {16, 28, 40, 52, 28,  //
                                          24, 42, 60, 78, 42,  //
                                          24, 42, 60, 78, 42,  //
                                          24, 42, 60, 78, 42,  //
                                          16, 28, 40, 52, 28};
    EXPECT_EQ(y[0], 16.0);
    EXPECT_EQ(y, expected);
}

TEST(ReferenceByHand, TextbookValid) {
    // No padding: 3x3 output, all three kernel rows always inside, so each element is 3 times
    //   x=0: 1*1 + 2*2 + 3*3 = 14 -> 42;  x=1: 1*2 + 2*3 + 3*4 = 20 -> 60;  x=2: 1*3 + 2*4 + 3*5 = 26 -> 78.
    // Only the first column is 42; the window moves right onto larger values.
    std::array<int64_t, 4> out_shape{};
    std::vector<double> y = conv_1x1(square(3, 0), kRamp5x5, 5, 5, kRamp3x3Kernel, out_shape);
    ASSERT_EQ(out_shape, (std::array<int64_t, 4>{1, 1, 3, 3}));
    EXPECT_EQ(y, (std::vector<double>{42, 60, 78, 42, 60, 78, 42, 60, 78}));
}

// x = [[1 2 3] [4 5 6] [7 8 9]]; with padding 1 each mode builds a different 5x5 padded image:
//   reflect           replicate         circular          zeros
//   5 4 5 6 5         1 1 2 3 3         9 7 8 9 7         0 0 0 0 0
//   2 1 2 3 2         1 1 2 3 3         3 1 2 3 1         0 1 2 3 0
//   5 4 5 6 5         4 4 5 6 6         6 4 5 6 4         0 4 5 6 0
//   8 7 8 9 8         7 7 8 9 9         9 7 8 9 7         0 7 8 9 0
//   5 4 5 6 5         7 7 8 9 9         3 1 2 3 1         0 0 0 0 0
const std::vector<float> k3x3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

std::vector<double> pad1_3x3(Padding mode, const std::vector<float> &weight) {
    std::array<int64_t, 4> out_shape{};
    std::vector<double> y = conv_1x1(square(3, 1, mode), k3x3, 3, 3, weight, out_shape);
    EXPECT_EQ(out_shape, (std::array<int64_t, 4>{1, 1, 3, 3}));
    return y;
}

const std::vector<float> kOnes3x3 = {1, 1, 1, 1, 1, 1, 1, 1, 1};
// A kernel with a single 1 at tap (0,0) copies the padded image shifted: out(y,x) = padded(y-1, x-1),
// i.e. the top-left 3x3 block of the pictures above. Tap (2,2) gives the bottom-right block.
const std::vector<float> kTopLeftTap = {1, 0, 0, 0, 0, 0, 0, 0, 0};
const std::vector<float> kBottomRightTap = {0, 0, 0, 0, 0, 0, 0, 0, 1};

TEST(ReferenceByHand, ReflectPadding) {
    // Sums of 3x3 windows of the reflect picture, e.g. top-left (5+4+5) + (2+1+2) + (5+4+5) = 33.
    EXPECT_EQ(pad1_3x3(Padding::Reflect, kOnes3x3), (std::vector<double>{33, 36, 39, 42, 45, 48, 51, 54, 57}));
    EXPECT_EQ(pad1_3x3(Padding::Reflect, kTopLeftTap), (std::vector<double>{5, 4, 5, 2, 1, 2, 5, 4, 5}));
    EXPECT_EQ(pad1_3x3(Padding::Reflect, kBottomRightTap), (std::vector<double>{5, 6, 5, 8, 9, 8, 5, 6, 5}));
}

TEST(ReferenceByHand, ReplicatePadding) {
    // Top-left window: (1+1+2) + (1+1+2) + (4+4+5) = 21.
    EXPECT_EQ(pad1_3x3(Padding::Replicate, kOnes3x3), (std::vector<double>{21, 27, 33, 39, 45, 51, 57, 63, 69}));
    EXPECT_EQ(pad1_3x3(Padding::Replicate, kTopLeftTap), (std::vector<double>{1, 1, 2, 1, 1, 2, 4, 4, 5}));
    EXPECT_EQ(pad1_3x3(Padding::Replicate, kBottomRightTap), (std::vector<double>{5, 6, 6, 8, 9, 9, 8, 9, 9}));
}

TEST(ReferenceByHand, CircularPadding) {
    // On a 3x3 torus every 3x3 window holds each element exactly once, so every sum is 1+...+9 = 45;
    // the single-tap kernels check the wrap direction.
    EXPECT_EQ(pad1_3x3(Padding::Circular, kOnes3x3), std::vector<double>(9, 45.0));
    EXPECT_EQ(pad1_3x3(Padding::Circular, kTopLeftTap), (std::vector<double>{9, 7, 8, 3, 1, 2, 6, 4, 5}));
    EXPECT_EQ(pad1_3x3(Padding::Circular, kBottomRightTap), (std::vector<double>{5, 6, 4, 8, 9, 7, 2, 3, 1}));
}

TEST(ReferenceByHand, ZeroPadding) {
    EXPECT_EQ(pad1_3x3(Padding::Zeros, kTopLeftTap), (std::vector<double>{0, 0, 0, 0, 1, 2, 0, 4, 5}));
    EXPECT_EQ(pad1_3x3(Padding::Zeros, kBottomRightTap), (std::vector<double>{5, 6, 0, 8, 9, 0, 0, 0, 0}));
}

TEST(ReferenceByHand, EmptyBatch) {
    std::array<int64_t, 4> out_shape{-1, -1, -1, -1};
    Conv2dParams p = square(3, 1);
    p.out_channels = 2;
    std::vector<double> y = convc_reference::conv2d(p, nullptr, {0, 1, 5, 5}, nullptr, nullptr, out_shape);
    EXPECT_TRUE(y.empty());
    EXPECT_EQ(out_shape, (std::array<int64_t, 4>{0, 2, 5, 5}));
}

TEST(ReferenceByHand, RejectsWhatPyTorchRejects) {
    std::array<int64_t, 4> out_shape{};
    const std::vector<float> w(9, 1.0f);
    // Reflect padding must be smaller than the input (3 here); circular may equal it.
    EXPECT_THROW(conv_1x1(square(3, 3, Padding::Reflect), k3x3, 3, 3, w, out_shape), std::invalid_argument);
    EXPECT_NO_THROW(conv_1x1(square(3, 3, Padding::Circular), k3x3, 3, 3, w, out_shape));
    EXPECT_THROW(conv_1x1(square(3, 4, Padding::Circular), k3x3, 3, 3, w, out_shape), std::invalid_argument);
    // A kernel larger than the padded input.
    EXPECT_THROW(conv_1x1(square(5, 0), k3x3, 3, 3, std::vector<float>(25, 1.0f), out_shape),
                 std::invalid_argument);
    // in_channels not divisible by groups.
    Conv2dParams p = square(1, 0);
    p.in_channels = 3;
    p.out_channels = 2;
    p.groups = 2;
    std::vector<float> x(3, 1.0f);
    EXPECT_THROW(convc_reference::conv2d(p, x.data(), {1, 3, 1, 1}, w.data(), nullptr, out_shape),
                 std::invalid_argument);
    // Input channel count that contradicts in_channels.
    EXPECT_THROW(convc_reference::conv2d(square(1, 0), x.data(), {1, 3, 1, 1}, w.data(), nullptr, out_shape),
                 std::invalid_argument);
}

}  // namespace
