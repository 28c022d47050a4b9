// convc bench SPEC: times every layer with the schedule `generate` would emit, against
// oneDNN in the same run, at each requested thread count; writes CSV and an SVG chart.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

#include "bench/bench_layer.h"
#include "bench/bench_report.h"
#include "bench/fma_peak.h"
#include "convc_child.h"
#include "io/atomic_file.h"
#include "layer_here.h"
#include "schedule_options.h"
#include "spec/spec_error.h"
#include "target/target_name.h"
#include "verbs.h"

namespace convc {

namespace {

struct BenchOptions {
    std::string spec;
    std::string target = "host";
    std::string threads = "1,2";
    std::string versus = "onednn";
    std::string out_dir;
    std::vector<std::string> layers;  // all when empty
    bool rows_only = false;  // internal: one thread count, rows as TSV on stdout
    ScheduleOptions schedules;
};

std::vector<int> parse_threads(const std::string &text) {
    std::vector<int> counts;
    std::stringstream s(text);
    for (std::string part; std::getline(s, part, ',');) {
        int n = std::atoi(part.c_str());
        if (n <= 0) {
            throw SpecError({"", 0, 0}, "--threads", "'" + text + "' is not a list of thread counts such as 1,2");
        }
        counts.push_back(n);
    }
    return counts;
}

// Thread pools (Halide's and oneDNN's OpenMP) are sized once per process, so each thread
// count runs in a child process of its own with the environment set.
std::vector<BenchRow> run_child(const BenchOptions &o, int threads) {
    std::vector<std::string> args = {"bench", o.spec, "--target", o.target, "--vs", o.versus, "--rows-only"};
    if (!o.schedules.database.empty()) {
        args.insert(args.end(), {"--db", o.schedules.database});
    }
    if (!o.schedules.schedule.empty()) {
        args.insert(args.end(), {"--schedule", o.schedules.schedule});
    }
    for (const std::string &layer : o.layers) {
        args.insert(args.end(), {"--layer", layer});
    }
    std::optional<std::string> output = run_convc_child(
        args, {"HL_NUM_THREADS=" + std::to_string(threads), "OMP_NUM_THREADS=" + std::to_string(threads)});
    if (!output) {
        throw std::runtime_error("the benchmark at " + std::to_string(threads) + " thread(s) failed");
    }
    std::vector<BenchRow> rows;
    std::istringstream lines(*output);
    for (std::string line; std::getline(lines, line);) {
        rows.push_back(BenchRow::from_tsv(line));
    }
    return rows;
}

int bench_rows(const BenchOptions &o) {
    ModuleSpec module = with_layers(load_spec(o.spec), o.layers);
    Halide::Target target = resolve_target(o.target);
    ScheduleDatabase database = o.schedules.load_database();
    ScheduleSelector selector(&database, o.schedules.schedule);
    const char *env = std::getenv("HL_NUM_THREADS");
    int threads = env ? std::atoi(env) : 1;
    // A GPU's peak is not the CPU's: the GPU columns leave it out.
    auto measure_peak = [&] { return target.has_gpu_feature() ? NAN : measure_fma_peak_gflops(target, threads); };
    double peak = measure_peak();
    std::vector<BenchRow> rows;
    // Rewritten in place on a terminal; into a log, a line per layer.
    const bool live = ::isatty(STDERR_FILENO) == 1;
    for (const Layer &layer : module.layers) {
        std::cerr << (live ? "\r  " : "  ") << threads << " thread(s): " << layer.name
                  << (live ? "                    " : "\n") << std::flush;
        rows.push_back(bench_layer(layer, target, selector.select(layer, target), threads, o.versus == "onednn", peak));
    }
    // Measured again once the layers ran, and the higher figure kept: the first measurement in
    // a fresh process has run its two tasks on one core for the whole of its timing (on the
    // EPYC host, 2 threads: 94.5 and 96.9 GFLOP/s in two processes of seven, 160-191 in the
    // others, and 184.9 measured next in the process that read 96.9).
    peak = std::fmax(peak, measure_peak());
    for (BenchRow &row : rows) {
        row.peak_gflops = peak;
        std::cout << row.to_tsv() << "\n";
    }
    if (live) {
        std::cerr << "\r" << std::string(60, ' ') << "\r";
    }
    return 0;
}

int bench(const BenchOptions &o) {
    if (o.rows_only) {
        return bench_rows(o);
    }
    ModuleSpec module = with_layers(load_spec(o.spec), o.layers);
    Halide::Target target = resolve_target(o.target);
    if (!runs_here(target)) {
        throw SpecError({"", 0, 0}, "--target", "'" + o.target + "' does not run on this machine; bench measures here");
    }
    if (o.versus != "onednn" && o.versus != "none") {
        throw SpecError({"", 0, 0}, "--vs", "'" + o.versus + "' is not a rival convc knows (onednn or none)");
    }
    if (target.has_gpu_feature() && o.versus == "onednn") {
        throw SpecError({"", 0, 0}, "--vs", "oneDNN runs on the CPU, not on a GPU: use --vs none with a GPU target");
    }
    std::vector<BenchRow> rows;
    for (int threads : parse_threads(o.threads)) {
        std::vector<BenchRow> part = run_child(o, threads);
        rows.insert(rows.end(), part.begin(), part.end());
    }
    std::cout << "convc bench: " << module.name << " on " << target.to_string() << "\n" << bench_table(rows);
    std::string out_dir = o.out_dir.empty() ? "generated/bench/" + module.name : o.out_dir;
    std::filesystem::create_directories(out_dir);
    write_file_atomically(out_dir + "/results.csv", bench_csv(rows));
    write_file_atomically(out_dir + "/results.svg", bench_chart(module.name, rows));
    std::cout << "wrote " << out_dir << "/results.csv and results.svg\n";
    return 0;
}

}  // namespace

void add_bench_verb(CLI::App &app, VerbAction &action) {
    auto options = std::make_shared<BenchOptions>();
    CLI::App *verb = app.add_subcommand("bench", "Benchmark each layer against oneDNN at 1, 2, ... threads");
    verb->add_option("spec", options->spec, "The YAML spec file")->required();
    verb->add_option("--target,-t", options->target, "A target this machine runs (host by default)")
        ->capture_default_str();
    verb->add_option("--threads", options->threads, "Thread counts, comma-separated")->capture_default_str();
    verb->add_option("--vs", options->versus, "The rival: onednn or none")->capture_default_str();
    verb->add_option("--output,-o", options->out_dir, "Where results.csv and results.svg go (default generated/bench/<module>)");
    verb->add_option("--layer,-l", options->layers, "Bench only this layer (repeatable; every layer by default)");
    verb->add_flag("--rows-only", options->rows_only)->group("");
    options->schedules.add_to(*verb);
    verb->callback([&action, options] { action = [options] { return bench(*options); }; });
}

}  // namespace convc
