#include "bench/bench_layer.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

#include "bench/onednn_conv.h"
#include "schedules/choose_schedule.h"
#include "spec/layer_geometry.h"
#include "tune/measure_schedule.h"

namespace convc {

std::string BenchRow::to_tsv() const {
    std::ostringstream s;
    s.precision(6);
    s << layer << '\t' << threads << '\t' << gflop << '\t' << convc_median_ms << '\t' << convc_min_ms << '\t'
      << convc_gflops << '\t' << origin << '\t' << default_gflops << '\t' << onednn_median_ms << '\t' << onednn_gflops
      << '\t' << onednn_impl << '\t' << peak_gflops << '\t' << onednn_nchw_gflops << '\t' << convc_spread << '\t'
      << onednn_spread;
    return s.str();
}

BenchRow BenchRow::from_tsv(const std::string &line) {
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string field; std::getline(s, field, '\t');) {
        f.push_back(field);
    }
    f.resize(15);
    auto num = [](const std::string &t) { return t.empty() ? NAN : std::stod(t); };
    BenchRow r;
    r.layer = f[0];
    r.threads = static_cast<int>(num(f[1]));
    r.gflop = num(f[2]);
    r.convc_median_ms = num(f[3]);
    r.convc_min_ms = num(f[4]);
    r.convc_gflops = num(f[5]);
    r.origin = f[6];
    r.default_gflops = num(f[7]);
    r.onednn_median_ms = num(f[8]);
    r.onednn_gflops = num(f[9]);
    r.onednn_impl = f[10];
    r.peak_gflops = num(f[11]);
    r.onednn_nchw_gflops = num(f[12]);
    r.convc_spread = num(f[13]);
    r.onednn_spread = num(f[14]);
    return r;
}

namespace {

// Each contender is timed in kTurns turns of kTurnSeconds, in rotation, and keeps its best
// turn's median: a burst of load from another process on a shared machine lasts a turn or
// two and slows whichever contender holds them. Timed one after the other in a block each,
// one layer ran at 75.7 GFLOP/s in a bench and at 118 in `convc compare` minutes later.
constexpr int kTurns = 3;
constexpr double kTurnSeconds = 0.1;

// The best turn's median and the minimum over every turn.
struct BestTurn {
    Timing timing;
    double slowest_median_s = 0;
    bool any = false;

    void add(const Timing &turn) {
        double min_s = any ? std::min(timing.min_s, turn.min_s) : turn.min_s;
        int runs = timing.runs + turn.runs;
        if (!any || turn.median_s < timing.median_s) {
            timing = turn;
        }
        timing.min_s = min_s;
        timing.runs = runs;
        slowest_median_s = std::max(slowest_median_s, turn.median_s);
        any = true;
    }

    double spread() const { return any ? slowest_median_s / timing.median_s : NAN; }
};

// A convc kernel's turn, or the failure that rejected it.
Timing convc_turn(CheckedKernel &kernel, const std::string &layer) {
    Measurement m = kernel.time(kTurnSeconds, false);
    if (!m.ok) {
        throw std::runtime_error("layer " + layer + ": " + m.failure);
    }
    return m.timing;
}

}  // namespace

BenchRow bench_layer(const Layer &layer, const Halide::Target &target, const SelectedSchedule &schedule, int threads,
                     bool versus_onednn, double peak_gflops) {
    BenchRow row;
    row.layer = layer.name;
    row.threads = threads;
    row.peak_gflops = peak_gflops;
    row.origin = schedule.origin;
    LayerTrial trial = make_layer_trial(layer);
    row.gflop = 2.0 * multiply_accumulates(layer, trial.input) * 1e-9;

    // The selected schedule and the default, where they differ, compile side by side.
    std::vector<ScheduleChoice> schedules = {schedule.choice};
    if (ScheduleChoice fallback = default_schedule(layer, target); !(fallback == schedule.choice)) {
        schedules.push_back(fallback);
    }
    std::vector<std::unique_ptr<CheckedKernel>> kernels = check_together(layer, target, schedules, trial);
    CheckedKernel &selected = *kernels.front();
    if (!selected.ok()) {
        throw std::runtime_error("layer " + layer.name + ": " + selected.failure());
    }
    std::unique_ptr<CheckedKernel> untuned = kernels.size() > 1 ? std::move(kernels.back()) : nullptr;
    std::unique_ptr<OnednnRival> rival;
    if (versus_onednn) {
        std::string why;
        rival = OnednnRival::create(layer, trial.input, &why);
        row.onednn_impl = rival ? rival->implementation() : "n/a: " + why;
    }

    BestTurn convc, fallback_turns, onednn, onednn_plain;
    for (int turn = 0; turn < kTurns; turn++) {
        convc.add(convc_turn(selected, layer.name));
        if (untuned) {
            // The default is a reference point: where it fails, its column stays empty.
            Measurement m = untuned->time(kTurnSeconds, false);
            if (m.ok) {
                fallback_turns.add(m.timing);
            }
        }
        if (rival) {
            onednn.add(rival->time(kTurnSeconds));
            onednn_plain.add(rival->time_on_plain(kTurnSeconds));
        }
    }
    row.convc_median_ms = convc.timing.median_s * 1e3;
    row.convc_min_ms = convc.timing.min_s * 1e3;
    row.convc_gflops = row.gflop / convc.timing.median_s;
    row.default_gflops = fallback_turns.any ? row.gflop / fallback_turns.timing.median_s : NAN;
    row.onednn_median_ms = onednn.any ? onednn.timing.median_s * 1e3 : NAN;
    row.onednn_gflops = onednn.any ? row.gflop / onednn.timing.median_s : NAN;
    row.onednn_nchw_gflops = onednn_plain.any ? row.gflop / onednn_plain.timing.median_s : NAN;
    row.convc_spread = convc.spread();
    row.onednn_spread = onednn.spread();
    return row;
}

}  // namespace convc
