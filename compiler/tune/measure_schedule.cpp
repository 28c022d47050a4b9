#include "tune/measure_schedule.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "jit/jit_layer.h"
#include "reference/conv2d_reference.h"

namespace convc {

namespace {

constexpr int64_t kTrialSpatial = 56;
constexpr double kTolerance = 1e-4;

std::vector<float> random_values(int64_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (float &x : v) {
        x = value(rng);
    }
    return v;
}

int64_t count(const Shape4 &s) {
    return s[0] * s[1] * s[2] * s[3];
}

convc_reference::Conv2dParams reference_params(const Layer &layer) {
    Padding pad = resolved_padding(layer);
    convc_reference::Conv2dParams p;
    p.in_channels = layer.in_channels;
    p.out_channels = layer.out_channels;
    p.kernel_h = layer.kernel.h;
    p.kernel_w = layer.kernel.w;
    p.stride_h = layer.stride.h;
    p.stride_w = layer.stride.w;
    p.pad_top = pad.top;
    p.pad_bottom = pad.bottom;
    p.pad_left = pad.left;
    p.pad_right = pad.right;
    p.dilation_h = layer.dilation.h;
    p.dilation_w = layer.dilation.w;
    p.groups = layer.groups;
    p.padding = static_cast<convc_reference::Padding>(static_cast<int>(layer.padding_mode));
    return p;
}

double relative_error(const std::vector<float> &got, const std::vector<double> &want) {
    double scale = 1.0, worst = 0.0;
    for (double w : want) {
        scale = std::max(scale, std::abs(w));
    }
    for (size_t i = 0; i < want.size(); i++) {
        worst = std::max(worst, std::abs(got[i] - want[i]) / scale);
    }
    return worst;
}

}  // namespace

LayerTrial make_layer_trial(const Layer &layer) {
    LayerTrial t;
    t.input = layer.input_shape.value_or(Shape4{1, layer.in_channels, kTrialSpatial, kTrialSpatial});
    t.output = output_shape(layer, t.input);
    t.x = random_values(count(t.input), 1);
    t.w = random_values(count(weight_shape(layer)), 2);
    t.b = random_values(layer.out_channels, 3);
    std::array<int64_t, 4> ref_shape{};
    t.reference = convc_reference::conv2d(reference_params(layer), t.x.data(), t.input, t.w.data(),
                                          layer.bias ? t.b.data() : nullptr, ref_shape);
    return t;
}

Measurement measure_schedule(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule,
                             const LayerTrial &trial, double min_seconds) {
    Measurement m;
    try {
        JitLayer kernel(layer, target, schedule);
        Shape4 w = weight_shape(layer);
        TensorRef in{trial.x.data(), {trial.input.begin(), trial.input.end()}};
        TensorRef weight{trial.w.data(), {w.begin(), w.end()}};
        std::optional<TensorRef> bias;
        if (layer.bias) {
            bias = TensorRef{trial.b.data(), {layer.out_channels}};
        }
        std::vector<float> y(count(trial.output));
        kernel.run(in, weight, bias, y.data());
        double error = relative_error(y, trial.reference);
        if (!(error <= kTolerance)) {
            m.failure = "wrong result (max relative error " + std::to_string(error) + ")";
            return m;
        }
        m.timing = time_repeated([&] { kernel.run(in, weight, bias, y.data()); }, 5, min_seconds);
        m.gflops = 2.0 * multiply_accumulates(layer, trial.input) / m.timing.median_s * 1e-9;
        m.ok = true;
    } catch (const Halide::Error &e) {
        m.failure = std::string("Halide: ") + e.what();
    }
    return m;
}

}  // namespace convc
