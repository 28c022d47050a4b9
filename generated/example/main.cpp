// convc example: runs every layer of every module generated from specs/examples/ through
// its C++ wrapper, checks it against the double-precision reference, and times it.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "example_modules.h"
#include "reference/reference_check.h"

namespace {

using Shape = std::array<int64_t, 4>;

// Layers without a fixed input shape run at this spatial size.
constexpr int64_t kDefaultSpatial = 32;

int64_t count(const Shape &s) {
    return s[0] * s[1] * s[2] * s[3];
}

// Median of repeated calls after a warm-up, repeating until about half a second is spent.
template <typename Call>
double median_seconds(const Call &call) {
    call();
    std::vector<double> times;
    double spent = 0.0;
    while (times.size() < 5 || (spent < 0.5 && times.size() < 200)) {
        auto start = std::chrono::steady_clock::now();
        call();
        double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        times.push_back(t);
        spent += t;
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

struct Outcome {
    int layers = 0;
    int failures = 0;
};

// The View and OutView types come from the module's own call signature.
template <typename Info, typename View, typename OutView>
bool run_layer(const char *module, const Info &layer,
               void (*call)(const View &, const View &, const View *, const OutView &)) {
    Shape in = layer.fixes_input_shape ? layer.input_shape
                                       : Shape{1, layer.in_channels, kDefaultSpatial, kDefaultSpatial};
    Shape w_shape = {layer.out_channels, layer.in_channels / layer.groups, layer.kernel_h, layer.kernel_w};
    Shape out = output_shape(layer, in);  // found in the module's namespace
    std::vector<float> x = convc_reference::seeded_values(count(in), 1),
                       w = convc_reference::seeded_values(count(w_shape), 2),
                       b = convc_reference::seeded_values(layer.out_channels, 3), y(count(out));
    View bias{b.data(), {layer.out_channels}};
    auto run = [&] {
        call({x.data(), {in.begin(), in.end()}}, {w.data(), {w_shape.begin(), w_shape.end()}},
             layer.has_bias ? &bias : nullptr, {y.data(), {out.begin(), out.end()}});
    };
    double seconds = median_seconds(run);

    Shape ref_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_reference::params_of(layer), x.data(), in, w.data(),
                                                       layer.has_bias ? b.data() : nullptr, ref_shape);
    double worst = convc_reference::max_relative_error(y, want);
    bool ok = ref_shape == out && worst <= convc_reference::kTolerance;
    char shape_text[64];
    std::snprintf(shape_text, sizeof shape_text, "[%lld, %lld, %lld, %lld]", (long long)out[0], (long long)out[1],
                  (long long)out[2], (long long)out[3]);
    std::printf("%-14s %-22s %-20s %10.4f %9.1f   %-4s (max rel. error %.1e)\n", module, layer.name, shape_text,
                seconds * 1e3, flops(layer, in) / seconds * 1e-9, ok ? "ok" : "FAIL", worst);
    return ok;
}

template <typename Layers>
void run_module(const char *module, const Layers &layers, Outcome &outcome) {
    for (const auto *layer : layers) {
        outcome.layers++;
        if (!run_layer(module, *layer, layer->call)) {
            outcome.failures++;
        }
    }
}

}  // namespace

int main() {
    const char *threads = std::getenv("HL_NUM_THREADS");
    std::printf("convc example: every layer of specs/examples/, checked against the reference (threads: %s)\n\n",
                threads ? threads : "all cores");
    std::printf("%-14s %-22s %-20s %10s %9s   %s\n", "module", "layer", "output shape", "time (ms)", "GFLOP/s",
                "check");
    Outcome outcome;
#define CONVC_RUN_MODULE(m) run_module(#m, m::layers, outcome);
    CONVC_EXAMPLE_MODULES(CONVC_RUN_MODULE)
#undef CONVC_RUN_MODULE
    std::printf("\n%d layers, %d failed\n", outcome.layers, outcome.failures);
    return outcome.failures == 0 ? 0 : 1;
}
