// Random layers under random points of every schedule space that applies to them on this
// host: what `convc tune` may pick must compile and match the double-precision reference.
// The family sweeps (jit_sweep_test.cpp) choose their shapes and tiles by hand; this test
// draws them, from a fixed seed so that a failure names a reproducible case. A stand-alone
// harness of this kind (fourth session) found a Halide 14 compiler crash on taps unrolled over a
// circular plane (docs/performance-history.md); this test found a 19 s compile (cpu_conv_space.cpp).
#include <gtest/gtest.h>

#include "io/memory_layout.h"
#include "jit/jit_layer.h"
#include "schedules/choose_schedule.h"
#include "schedules/cpu_conv_space.h"
#include "support/conv_check.h"

namespace {

using convc::Layer;
using convc::PaddingMode;

// A portable generator (the standard distributions differ between libraries).
class Draw {
public:
    explicit Draw(uint64_t seed) : state_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
    int64_t below(int64_t n) {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<int64_t>((state_ >> 33) % static_cast<uint64_t>(n));
    }
    template <typename T>
    const T &pick(const std::vector<T> &values) {
        return values[below(static_cast<int64_t>(values.size()))];
    }

private:
    uint64_t state_;
};

struct StressCase {
    std::string name;
    Layer layer;
    convc::Shape4 input;
    std::vector<convc::ScheduleChoice> choices;
};

void PrintTo(const StressCase &c, std::ostream *os) {
    *os << c.name << " on " << convc::shape_to_string(c.input);
}

// Groups from every family's range: dense, narrow groups (2-12 channels), depthwise with and
// without a channel multiplier. Channel counts cover whole, half and partial vectors.
Layer random_layer(Draw &draw) {
    Layer l;
    l.name = "stress";
    const int64_t group_in = draw.pick<int64_t>({1, 1, 2, 3, 4, 8, 12});
    const int64_t group_out = draw.pick<int64_t>({1, 2, 4, 8, 12, 16, 32});
    const int64_t groups = draw.pick<int64_t>({1, 1, 2, 4, 8, 16});
    l.in_channels = group_in * groups;
    l.out_channels = group_out * groups;
    l.groups = groups;
    l.kernel = {draw.pick<int64_t>({1, 2, 3, 3, 5}), draw.pick<int64_t>({1, 3, 3, 4, 7})};
    l.stride = {draw.pick<int64_t>({1, 1, 2, 3}), draw.pick<int64_t>({1, 1, 2})};
    l.dilation = {draw.pick<int64_t>({1, 1, 2}), draw.pick<int64_t>({1, 1, 3})};
    l.padding = {draw.below(l.kernel.h + 1), draw.below(l.kernel.w + 1)};
    l.padding_mode = draw.pick<PaddingMode>(
        {PaddingMode::Zeros, PaddingMode::Zeros, PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Circular});
    l.bias = draw.below(2) == 1;
    l.layout = draw.below(2) == 1 ? convc::MemoryLayout::Nhwc : convc::MemoryLayout::Nchw;
    return l;
}

// A point of `space` drawn at random among those its register budget admits.
std::optional<convc::ScheduleChoice> random_point(Draw &draw, const convc::ScheduleSpace &space) {
    for (int attempt = 0; attempt < 100; attempt++) {
        convc::ScheduleChoice choice{space.family, {}};
        for (const convc::ParamRange &range : space.params) {
            choice.params[range.name] = draw.pick(range.values);
        }
        if (convc::fits_space(choice, space)) {
            return choice;
        }
    }
    return std::nullopt;
}

std::vector<StressCase> stress_cases() {
    constexpr int kCases = 24;
    Draw draw(20261126);
    Halide::Target host = Halide::get_host_target();
    std::vector<StressCase> cases;
    while (static_cast<int>(cases.size()) < kCases) {
        Layer layer = random_layer(draw);
        convc::Shape4 input{1 + draw.below(2), layer.in_channels, 4 + draw.below(14), 1 + draw.below(17)};
        if (!convc::input_shape_problem(layer, input).empty()) {
            continue;  // an impossible shape for this window and padding: draw again
        }
        if (draw.below(2) == 1) {
            layer.input_shape = input;  // compiled for exactly this shape, as `input_shape` does
        }
        StressCase c{"case" + std::to_string(cases.size()), layer, input, {convc::default_schedule(layer, host)}};
        for (const convc::ScheduleSpace &space : convc::schedule_spaces(layer, host)) {
            if (auto point = random_point(draw, space)) {
                c.choices.push_back(*point);
            }
        }
        cases.push_back(c);
    }
    return cases;
}

class SpaceStress : public ::testing::TestWithParam<StressCase> {};

TEST_P(SpaceStress, RandomPointsOfEverySpaceMatchReference) {
    const StressCase &c = GetParam();
    const Layer &layer = c.layer;
    convc::Shape4 w = convc::weight_shape(layer);
    std::vector<float> input = convc_test::random_values(convc_test::element_count(c.input), 7);
    std::vector<float> weight = convc_test::random_values(convc_test::element_count(w), 8);
    std::vector<float> bias = convc_test::random_values(layer.out_channels, 9);
    std::array<int64_t, 4> out{};
    std::vector<double> want = convc_reference::conv2d(convc_test::reference_params(layer), input.data(), c.input,
                                                       weight.data(), layer.bias ? bias.data() : nullptr, out);
    std::optional<convc::TensorRef> b;
    if (layer.bias) {
        b = convc::TensorRef{bias.data(), {layer.out_channels}};
    }
    std::vector<float> x = convc::nchw_to_layout(input.data(), c.input, layer.layout);
    for (const convc::ScheduleChoice &choice : c.choices) {
        SCOPED_TRACE(choice.to_string());
        convc::JitLayer kernel(layer, Halide::get_host_target(), choice);
        std::vector<float> y(convc_test::element_count(out), -12345.0f);
        kernel.run({x.data(), {c.input.begin(), c.input.end()}}, {weight.data(), {w.begin(), w.end()}}, b, y.data());
        EXPECT_LE(convc_test::max_relative_error(convc::layout_to_nchw(y.data(), out, layer.layout), want),
                  convc_test::kTolerance);
    }
}

INSTANTIATE_TEST_SUITE_P(Conv2d, SpaceStress, ::testing::ValuesIn(stress_cases()),
                         [](const ::testing::TestParamInfo<StressCase> &info) { return info.param.name; });

}  // namespace
