#include "bench/bench_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "bench/svg_chart.h"

namespace convc {

namespace {

std::set<int> thread_counts(const std::vector<BenchRow> &rows) {
    std::set<int> counts;
    for (const BenchRow &r : rows) {
        counts.insert(r.threads);
    }
    return counts;
}

std::string format(const char *pattern, double value) {
    if (std::isnan(value)) {
        return "-";
    }
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// One line naming the rows at `threads` that `flagged` picks, each with what `detail` says of it,
// after `heading`; nothing when none is picked.
template <typename Flagged, typename Detail>
std::string flagged_rows(const std::vector<BenchRow> &rows, int threads, const std::string &heading,
                         Flagged flagged, Detail detail) {
    std::string list;
    for (const BenchRow &r : rows) {
        if (r.threads == threads && flagged(r)) {
            list += (list.empty() ? "" : ", ") + r.layer + " (" + detail(r) + ")";
        }
    }
    return list.empty() ? "" : heading + ": " + list + "\n";
}

// Turns this far apart say the machine was busy with something else during the row: its
// ratio is worth measuring again.
constexpr double kUnsteadySpread = 1.25;

std::string unsteady_rows(const std::vector<BenchRow> &rows, int threads) {
    return flagged_rows(
        rows, threads, "unsteady, turns more than " + format("%.2fx", kUnsteadySpread) + " apart",
        [](const BenchRow &r) { return r.convc_spread > kUnsteadySpread || r.onednn_spread > kUnsteadySpread; },
        [](const BenchRow &r) {
            return "convc " + format("%.2fx", r.convc_spread) + ", oneDNN " + format("%.2fx", r.onednn_spread);
        });
}

// A tuned entry this much slower than the heuristic default, timed in turns beside it, is stale
// here: a tune on another day or in another state of the machine picked it. A channels-last
// entry tuned at 219.8 GFLOP/s at two threads ran there at 84-265 by process, its default at
// about 200-230 (docs/performance-history.md, thirty-fourth session).
constexpr double kStaleEntry = 0.9;

std::string slower_than_default(const std::vector<BenchRow> &rows, int threads) {
    return flagged_rows(
        rows, threads,
        "tuned entries slower than their heuristic default here (`convc tune SPEC --layer NAME` re-times both)",
        // No default timed (NaN) compares false.
        [](const BenchRow &r) { return r.convc_gflops < kStaleEntry * r.default_gflops; },
        [](const BenchRow &r) { return format("%.2fx", r.convc_gflops / r.default_gflops); });
}

std::string section(const std::vector<BenchRow> &rows, int threads) {
    std::string text = "threads " + std::to_string(threads) + "\n";
    char line[400];
    std::snprintf(line, sizeof line, "%-24s %9s %9s %7s %9s %9s %8s %9s %8s  %s\n", "layer", "ms", "GFLOP/s",
                  "%peak", "untuned", "oneDNN", "x oneDNN", "oneDNN*", "x oneDNN*", "oneDNN kernel / convc schedule");
    text += line;
    double log_sum = 0, worst = INFINITY, log_sum_nchw = 0;
    int compared = 0;
    for (const BenchRow &r : rows) {
        if (r.threads != threads) {
            continue;
        }
        double ratio = r.convc_gflops / r.onednn_gflops;
        double ratio_nchw = r.convc_gflops / r.onednn_nchw_gflops;
        if (!std::isnan(ratio)) {
            log_sum += std::log(ratio);
            log_sum_nchw += std::log(ratio_nchw);
            worst = std::min(worst, ratio);
            compared++;
        }
        std::snprintf(line, sizeof line, "%-24s %9.3f %9.1f %7s %9s %9s %8s %9s %8s  %s / %s\n", r.layer.c_str(),
                      r.convc_median_ms, r.convc_gflops, format("%.0f%%", 100 * r.convc_gflops / r.peak_gflops).c_str(),
                      format("%.1f", r.default_gflops).c_str(), format("%.1f", r.onednn_gflops).c_str(),
                      format("%.2f", ratio).c_str(), format("%.1f", r.onednn_nchw_gflops).c_str(),
                      format("%.2f", ratio_nchw).c_str(), r.onednn_impl.c_str(), r.origin.c_str());
        text += line;
    }
    if (compared) {
        std::snprintf(line, sizeof line, "geometric mean speed-up over oneDNN: %.2fx over %d layers; lowest %.2fx\n",
                      std::exp(log_sum / compared), compared, worst);
        text += line;
        std::snprintf(line, sizeof line,
                      "over oneDNN* (plain NCHW or NHWC input and output, as the layers have them, their "
                      "reorders timed too): %.2fx\n",
                      std::exp(log_sum_nchw / compared));
        text += line;
    }
    return text + unsteady_rows(rows, threads) + slower_than_default(rows, threads) + "\n";
}

}  // namespace

std::string bench_table(const std::vector<BenchRow> &rows) {
    std::string text;
    if (!rows.empty() && !std::isnan(rows.front().peak_gflops)) {
        text += "FMA peak measured: ";
        for (int t : thread_counts(rows)) {
            for (const BenchRow &r : rows) {
                if (r.threads == t) {
                    text += format("%.0f", r.peak_gflops) + " GFLOP/s at " + std::to_string(t) + " thread(s)  ";
                    break;
                }
            }
        }
        text += "\n\n";
    }
    for (int t : thread_counts(rows)) {
        text += section(rows, t);
    }
    return text;
}

std::string bench_csv(const std::vector<BenchRow> &rows) {
    std::string text = "layer,threads,gflop,convc_median_ms,convc_min_ms,convc_gflops,schedule_origin,"
                       "untuned_gflops,onednn_median_ms,onednn_gflops,onednn_kernel,peak_gflops,onednn_nchw_gflops,"
                       "convc_turn_spread,onednn_turn_spread\n";
    for (const BenchRow &r : rows) {
        std::string tsv = r.to_tsv();
        for (char &c : tsv) {
            if (c == ',') {
                c = ';';
            } else if (c == '\t') {
                c = ',';
            }
        }
        text += tsv + "\n";
    }
    return text;
}

std::string bench_chart(const std::string &module, const std::vector<BenchRow> &rows) {
    std::vector<std::string> layers;
    std::map<std::string, size_t> index;
    for (const BenchRow &r : rows) {
        if (index.emplace(r.layer, layers.size()).second) {
            layers.push_back(r.layer);
        }
    }
    std::vector<std::string> series;
    std::vector<std::vector<double>> values;
    for (int t : thread_counts(rows)) {
        std::string suffix = " " + std::to_string(t) + (t == 1 ? " thread" : " threads");
        series.push_back("convc" + suffix);
        series.push_back("oneDNN" + suffix);
        values.emplace_back(layers.size(), NAN);
        values.emplace_back(layers.size(), NAN);
        for (const BenchRow &r : rows) {
            if (r.threads == t) {
                values[values.size() - 2][index[r.layer]] = r.convc_gflops;
                values[values.size() - 1][index[r.layer]] = r.onednn_gflops;
            }
        }
    }
    return grouped_bar_chart_svg("convc vs oneDNN: " + module, "GFLOP/s", layers, series, values);
}

}  // namespace convc
