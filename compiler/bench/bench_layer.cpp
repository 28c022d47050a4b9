#include "bench/bench_layer.h"

#include <cmath>
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
      << '\t' << onednn_impl << '\t' << peak_gflops << '\t' << onednn_nchw_gflops;
    return s.str();
}

BenchRow BenchRow::from_tsv(const std::string &line) {
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string field; std::getline(s, field, '\t');) {
        f.push_back(field);
    }
    f.resize(13);
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
    return r;
}

BenchRow bench_layer(const Layer &layer, const Halide::Target &target, const SelectedSchedule &schedule, int threads,
                     bool versus_onednn, double peak_gflops) {
    BenchRow row;
    row.layer = layer.name;
    row.threads = threads;
    row.peak_gflops = peak_gflops;
    row.origin = schedule.origin;
    LayerTrial trial = make_layer_trial(layer);
    row.gflop = 2.0 * multiply_accumulates(layer, trial.input) * 1e-9;

    Measurement m = measure_schedule(layer, target, schedule.choice, trial, 0.3);
    if (!m.ok) {
        throw std::runtime_error("layer " + layer.name + ": " + m.failure);
    }
    row.convc_median_ms = m.timing.median_s * 1e3;
    row.convc_min_ms = m.timing.min_s * 1e3;
    row.convc_gflops = m.gflops;

    ScheduleChoice fallback = default_schedule(layer, target);
    row.default_gflops = NAN;
    if (!(schedule.choice == fallback)) {
        Measurement d = measure_schedule(layer, target, fallback, trial, 0.3);
        row.default_gflops = d.ok ? d.gflops : NAN;
    }

    row.onednn_gflops = NAN;
    row.onednn_median_ms = NAN;
    row.onednn_nchw_gflops = NAN;
    std::string why;
    if (versus_onednn) {
        if (auto rival = time_onednn_conv(layer, trial.input, &why)) {
            row.onednn_median_ms = rival->timing.median_s * 1e3;
            row.onednn_gflops = row.gflop / rival->timing.median_s;
            row.onednn_impl = rival->implementation;
            row.onednn_nchw_gflops = row.gflop / rival->nchw_timing.median_s;
        } else {
            row.onednn_impl = "n/a: " + why;
        }
    }
    return row;
}

}  // namespace convc
