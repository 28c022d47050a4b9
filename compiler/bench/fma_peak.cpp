#include "bench/fma_peak.h"

#include <stdexcept>

#include "bench/timing.h"

namespace convc {

namespace {

// Independent accumulator vectors per task. An FMA's result is ready only a few cycles after
// it issues and a core can issue two per cycle, so one chain would measure latency, not
// throughput; 12 covers latency 4-6 x 2 pipes and still fits in the 16 or 32 vector registers.
constexpr int chains = 12;

// FMAs per chain per call: long enough that loop and thread-pool overhead vanish, short enough
// (some milliseconds) that time_repeated gets a decent number of samples.
constexpr int iterations = 1 << 20;

struct FmaKernel {
    Halide::Func acc;
    Halide::Param<float> scale, offset;
    int lanes = 1;
};

// acc(x, t) = acc(x, t) * scale + offset, `iterations` times. Params rather than constants so the
// compiler cannot fold the recurrence; scale just under 1 keeps values finite and normal.
FmaKernel build_kernel(const Halide::Target &target) {
    FmaKernel k;
    k.lanes = target.natural_vector_size<float>();
    Halide::Var x("x"), t("t"), xo("xo"), xi("xi");
    Halide::RDom r(0, iterations, "r");
    k.acc = Halide::Func("fma_peak");
    k.acc(x, t) = Halide::cast<float>(x + t) * k.offset;
    // Halide makes loops only for the RVars an update mentions. Multiplying r by zero names it
    // without changing the value; the simplifier folds it away when lowering.
    Halide::Expr scale = k.scale + 0.0f * Halide::cast<float>(r.x);
    k.acc(x, t) = k.acc(x, t) * scale + k.offset;

    // A constant extent for x is what lets the vectors be unrolled into separate registers.
    k.acc.bound(x, 0, chains * k.lanes).vectorize(x, k.lanes).parallel(t);
    // Update loops default to the reduction innermost; put it outside the unrolled vectors so
    // each step issues `chains` independent FMAs.
    k.acc.update().split(x, xo, xi, k.lanes).vectorize(xi).unroll(xo).reorder(xi, xo, r, t).parallel(t);
    k.acc.compile_jit(target);
    return k;
}

}  // namespace

double measure_fma_peak_gflops(const Halide::Target &target, int threads) {
    if (threads < 1) {
        throw std::invalid_argument("measure_fma_peak_gflops: threads must be at least 1, got " + std::to_string(threads));
    }
    FmaKernel k = build_kernel(target);
    k.scale.set(0.999f);
    k.offset.set(0.001f);
    Halide::Buffer<float> out(chains * k.lanes, threads);
    // The fastest run: a peak is what the hardware can do, and slower runs on a shared machine
    // measure the neighbours, not the FMA units.
    Timing timing = time_repeated([&] { k.acc.realize(out); }, 10, 0.2);
    double flops = 2.0 * chains * k.lanes * static_cast<double>(iterations) * threads;
    return flops / timing.min_s / 1e9;
}

}  // namespace convc
