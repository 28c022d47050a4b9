// A user program: runs every layer of one generated module through its C++ wrapper and
// checks it against the double-precision reference (random data) and, with --golden DIR,
// against PyTorch's outputs stored as DIR/<layer>.{input,weight,bias,output}.npy.
//   --variants a,b    run everything once per compiled version (use_variant)
//   --time            also print the median time and GFLOP/s of each layer
//   --gpu             a CUDA bundle: without a usable GPU every call must fail with a clean
//                     error (checked, then exit 0); with one, the same checks as on a CPU
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include CONSUMER_HEADER
#include "io/memory_layout.h"
#include "reference/reference_check.h"

namespace m = CONSUMER_NAMESPACE;

#define CONSUMER_TEXT(x) #x
#define CONSUMER_NAME(x) CONSUMER_TEXT(x)

namespace {

using Shape = std::array<int64_t, 4>;

struct Array {
    std::vector<int64_t> shape;
    std::vector<float> data;
};

// Enough of the .npy format for float32 C-order arrays written by numpy.save.
bool read_npy(const std::string &path, Array &array) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    char magic[10];
    in.read(magic, 10);
    size_t header_length = static_cast<unsigned char>(magic[8]) | (static_cast<unsigned char>(magic[9]) << 8);
    std::string header(header_length, '\0');
    in.read(&header[0], header_length);
    size_t open = header.find("'shape': (") + 10;
    std::stringstream dims(header.substr(open, header.find(')', open) - open));
    array.shape.clear();
    size_t count = 1;
    for (std::string d; std::getline(dims, d, ',');) {
        if (d.find_first_of("0123456789") != std::string::npos) {
            array.shape.push_back(std::stoll(d));
            count *= array.shape.back();
        }
    }
    array.data.resize(count);
    in.read(reinterpret_cast<char *>(array.data.data()), count * sizeof(float));
    return static_cast<bool>(in) || count == 0;
}

using convc_reference::max_relative_error;
using convc_reference::kTolerance;

std::vector<float> random_values(int64_t count, unsigned seed) {
    return convc_reference::seeded_values(count, seed);
}

// Takes and returns NCHW data whatever the layer's memory layout.
std::vector<float> run(const m::LayerInfo &layer, const Shape &in, const std::vector<float> &x,
                       const std::vector<float> &w, const std::vector<float> &b) {
    convc::MemoryLayout layout = layer.channels_last ? convc::MemoryLayout::Nhwc : convc::MemoryLayout::Nchw;
    Shape out = m::output_shape(layer, in);
    std::vector<float> y(out[0] * out[1] * out[2] * out[3]);
    std::vector<float> x_in_layout = convc::nchw_to_layout(x.data(), in, layout);
    Shape ws = {layer.out_channels, layer.in_channels / layer.groups, layer.kernel_h, layer.kernel_w};
    m::ConstTensorView bias{b.data(), {layer.out_channels}};
    layer.call({x_in_layout.data(), {in.begin(), in.end()}}, {w.data(), {ws.begin(), ws.end()}},
               layer.has_bias ? &bias : nullptr, {y.data(), {out.begin(), out.end()}});
    return convc::layout_to_nchw(y.data(), out, layout);
}

bool timing = false;

// Median of repeated calls after a warm-up.
template <typename Call>
double median_seconds(const Call &call) {
    call();
    std::vector<double> times;
    double spent = 0.0;
    while (times.size() < 5 || (spent < 0.3 && times.size() < 100)) {
        auto start = std::chrono::steady_clock::now();
        call();
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        spent += times.back();
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// Against the reference on seeded random data.
bool check_reference(const m::LayerInfo &layer) {
    Shape in = layer.fixes_input_shape ? layer.input_shape : Shape{2, layer.in_channels, 13, 37};
    Shape ws = {layer.out_channels, layer.in_channels / layer.groups, layer.kernel_h, layer.kernel_w};
    std::vector<float> x = random_values(in[0] * in[1] * in[2] * in[3], 1);
    std::vector<float> w = random_values(ws[0] * ws[1] * ws[2] * ws[3], 2);
    std::vector<float> b = random_values(layer.out_channels, 3);
    std::vector<float> y = run(layer, in, x, w, b);
    Shape ref_shape{};
    std::vector<double> want = convc_reference::conv2d(convc_reference::params_of(layer), x.data(), in, w.data(),
                                                       layer.has_bias ? b.data() : nullptr, ref_shape);
    double error = max_relative_error(y, want);
    std::printf("  %-28s reference  max rel. error %.1e %s", layer.name, error, error <= kTolerance ? "ok" : "FAIL");
    if (timing) {
        double seconds = median_seconds([&] { run(layer, in, x, w, b); });
        std::printf("   %9.3f ms %8.1f GFLOP/s", seconds * 1e3, m::flops(layer, in) / seconds * 1e-9);
    }
    std::printf("\n");
    return error <= kTolerance && ref_shape == m::output_shape(layer, in);
}

// Against PyTorch's stored outputs, when the golden folder has this layer.
bool check_golden(const m::LayerInfo &layer, const std::string &dir) {
    std::string prefix = dir + "/" + layer.name;
    Array x, w, b, want;
    if (!read_npy(prefix + ".input.npy", x)) {
        return true;
    }
    if (!read_npy(prefix + ".weight.npy", w) || !read_npy(prefix + ".output.npy", want) ||
        (layer.has_bias && !read_npy(prefix + ".bias.npy", b))) {
        std::printf("  %-28s golden     unreadable fixture FAIL\n", layer.name);
        return false;
    }
    Shape in = {x.shape[0], x.shape[1], x.shape[2], x.shape[3]};
    std::vector<float> y = run(layer, in, x.data, w.data, b.data);
    double error = max_relative_error(y, std::vector<double>(want.data.begin(), want.data.end()));
    std::printf("  %-28s PyTorch    max rel. error %.1e %s\n", layer.name, error, error <= kTolerance ? "ok" : "FAIL");
    return error <= kTolerance;
}

// Without a GPU, every layer must report a clean error instead of aborting.
bool gpu_unavailable(int &failures) {
    try {
        check_reference(*m::layers[0]);
        return false;
    } catch (const m::Error &e) {
        std::printf("no usable GPU: %s\n", e.what());
    }
    for (const m::LayerInfo *layer : m::layers) {
        try {
            check_reference(*layer);
            std::printf("  %-28s ran although the first layer could not: FAIL\n", layer->name);
            failures++;
        } catch (const m::Error &e) {
            std::printf("  %-28s clean error ok\n", layer->name);
        }
    }
    return true;
}

// Whether this CPU has the features of the x86 version named `variant` (docs/targets.md). A
// bundle's use_variant refuses a version the CPU cannot run, so only these are tried.
bool cpu_runs(const std::string &variant) {
#if defined(__x86_64__)
    if (variant == "avx512") {
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq");
    }
    if (variant == "avx2") {
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
#endif
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    std::string golden;
    std::vector<std::string> variants;
    bool gpu = false;
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        if (arg == "--golden" && i + 1 < argc) {
            golden = argv[++i];
        } else if (arg == "--variants" && i + 1 < argc) {
            std::stringstream list(argv[++i]);
            for (std::string v; std::getline(list, v, ',');) {
                variants.push_back(v);
            }
        } else if (arg == "--time") {
            timing = true;
        } else if (arg == "--gpu") {
            gpu = true;
        }
    }
    if (variants.empty()) {
        variants.push_back("");
    }
    int failures = 0, checks = 0;
    if (gpu && gpu_unavailable(failures)) {
        std::printf("%zu passed, %d failed\n", m::layers.size() - failures, failures);
        return failures ? 1 : 0;
    }
    for (const std::string &variant : variants) {
        if (!variant.empty() && !cpu_runs(variant)) {
            std::printf("variant %s: skipped, this CPU cannot run it\n", variant.c_str());
            continue;
        }
        if (!variant.empty() && !m::use_variant(variant.c_str())) {
            std::printf("variant %s: not in this bundle FAIL\n", variant.c_str());
            failures++;
            continue;
        }
        std::printf("module %s, variant %s\n", CONSUMER_NAME(CONSUMER_NAMESPACE), m::active_variant());
        for (const m::LayerInfo *layer : m::layers) {
            checks += 1 + !golden.empty();
            failures += !check_reference(*layer);
            if (!golden.empty()) {
                failures += !check_golden(*layer, golden);
            }
        }
    }
    std::printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
