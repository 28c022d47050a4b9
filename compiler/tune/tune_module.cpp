#include "tune/tune_module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "schedules/choose_schedule.h"
#include "schedules/cpu_conv_space.h"
#include "tune/candidate_search.h"
#include "tune/measure_schedule.h"
#include "tune/other_process_check.h"

namespace convc {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A layer's result and the final's one-thread timings (0 where the final did not run). The
// summary line shows the default and the winner from the same final, at both thread counts:
// the winner of the geometric mean may trail the default at one of them, and a search timing
// beside a final one had read as a tuned entry slower than its default.
struct LayerTuning {
    TunedEntry entry;
    double default_one_thread = 0, tuned_one_thread = 0;
    std::string other_process;  // what the check in a second process found, for the summary line
};

// A shared machine makes single timings noisy, and the search keeps the luckiest: leaders
// within the noise of the best are timed again, in turns, twice round (time_in_turns), at this
// process's thread count and on one thread, and the best geometric mean of the two wins.
// Schedules within the noise at two threads can differ by 2x at one (MobileNetV2's 32-channel
// depthwise layer: 111 and 106 GFLOP/s at two threads, 60 and 111 at one), and convc bench
// reports both. A finalist timed once had stored an entry that ran at 34.6 GFLOP/s at one
// thread in a bench run beside a default at 53.3.
constexpr size_t kFinalists = 3;
constexpr double kNoiseBand = 0.9;  // single timings here are often off by more than 10%
constexpr int kFinalRounds = 2;
constexpr double kFinalSeconds = 0.2;
constexpr double kSearchSeconds = 0.15;  // a candidate's one timing in the search

// The final's pick, unless the default beat it in a second process (other_process_check.h):
// both are timed there, and the pick is kept only if its slower process beats the default's.
ScheduleChoice check_in_other_process(const Layer &layer, const Halide::Target &target,
                                      const OtherProcessTiming &other_process, const ScheduleChoice &fallback,
                                      double fallback_score, const ScheduleChoice &pick, double pick_score,
                                      LayerTuning &tuning) {
    std::optional<std::vector<ProcessGflops>> there =
        other_process(layer, target, {fallback, pick}, kFinalRounds, kFinalSeconds);
    if (!there || there->size() != 2) {
        tuning.other_process = "  (not timed in a second process: it failed)";
        return pick;
    }
    const ProcessGflops &d = (*there)[0], &p = (*there)[1];
    char timings[96];
    std::snprintf(timings, sizeof timings, "%.1f / %.1f, the default %.1f / %.1f", p.threads_here, p.one_thread,
                  d.threads_here, d.one_thread);
    if (beats_default_everywhere({pick_score, p.score()}, {fallback_score, d.score()})) {
        tuning.other_process = std::string("  (second process: ") + timings + ")";
        return pick;
    }
    tuning.other_process = "  (the default kept: in a second process " + pick.to_string() + " ran " + timings + ")";
    tuning.entry.gflops = tuning.entry.default_gflops;
    tuning.tuned_one_thread = tuning.default_one_thread;
    return fallback;
}

// The default joins the final whatever its search timing: an entry is stored only if it beats
// the default on the longer timings too (bench runs had shown tuned entries slower than their
// default, at one thread, two or both). So does the stored entry: the search times at one
// thread count only, and a re-run on the Skylake-SP host (2026-11-26) dropped an entry that
// then ran 1.41x / 1.13x as fast as the one it kept (one thread / two, side by side).
ScheduleChoice confirm_leaders(const Layer &layer, const Halide::Target &target, const CandidateSearch &search,
                               const LayerTrial &trial, const std::vector<ScheduleChoice> &always,
                               const OtherProcessTiming &other_process, LayerTuning &tuning) {
    TunedEntry &entry = tuning.entry;
    std::vector<ScheduleChoice> finalists;
    for (const auto &[choice, gflops] : search.leaders(kFinalists)) {
        if (gflops >= kNoiseBand * search.best_score()) {
            finalists.push_back(choice);
        }
    }
    for (const ScheduleChoice &choice : always) {
        if (std::find(finalists.begin(), finalists.end(), choice) == finalists.end()) {
            finalists.push_back(choice);
        }
    }
    entry.gflops = search.best_score();
    if (finalists.size() < 2) {
        return search.best();
    }
    ScheduleChoice winner = search.best();
    double winner_score = 0.0, default_score = 0.0;
    for (const Contender &c : time_in_turns(layer, target, finalists, trial, kFinalRounds, kFinalSeconds)) {
        double score = std::sqrt(c.gflops * c.one_thread_gflops);
        if (score > winner_score) {
            winner = c.choice;
            winner_score = score;
            entry.gflops = c.gflops;
            tuning.tuned_one_thread = c.one_thread_gflops;
        }
        if (c.choice == always.front()) {
            entry.default_gflops = c.gflops;
            tuning.default_one_thread = c.one_thread_gflops;
            default_score = score;
        }
    }
    if (other_process && !(winner == always.front())) {
        return check_in_other_process(layer, target, other_process, always.front(), default_score, winner,
                                      winner_score, tuning);
    }
    return winner;
}

// Up to `size` candidates, compiled together and then timed one after another: the climb
// steps from the best once the whole batch is timed.
std::vector<ScheduleChoice> next_batch(CandidateSearch &search, size_t size) {
    std::vector<ScheduleChoice> batch;
    ScheduleChoice candidate;
    while (batch.size() < size && search.next(candidate)) {
        batch.push_back(candidate);
    }
    return batch;
}

// Schedules tuned for the nearest other layers that this layer's spaces hold, up to
// kNeighbourSeeds of them, none the default. A climb from the default moves one parameter at a
// time and a slow-compiling layer gets few candidates (2-12 in 300 s suite tunes on an AMD
// EPYC, 2026-11-28), while the best points found by hand were four changes away (Inception's
// 1x7 and 7x1: channel chunks with a 3 x 3 tile); such a point, once stored for one layout or
// shape, is often good for its neighbours.
constexpr size_t kNeighbourSeeds = 3;

std::vector<ScheduleChoice> neighbour_seeds(const Layer &layer, const Halide::Target &target,
                                            const ScheduleDatabase &database, const ScheduleChoice &start) {
    std::vector<ScheduleChoice> seeds;
    for (const ScheduleChoice &stored : database.nearest_schedules(layer, target)) {
        std::optional<ScheduleChoice> seed = complete_schedule(stored, layer, target);
        if (seed && !is_autoscheduler(*seed) && !(*seed == start) &&
            std::find(seeds.begin(), seeds.end(), *seed) == seeds.end()) {
            seeds.push_back(*seed);
            if (seeds.size() == kNeighbourSeeds) {
                break;
            }
        }
    }
    return seeds;
}

// Searches one layer's space until `deadline`, leaving time to re-measure the leaders. The
// search starts from the default (always measured), then the layer's database entry (so a
// second run builds on the first, and an entry from before a family gained parameters is
// still tried), then the nearest layers' entries, then the other families' defaults, then a
// Halide autoscheduler: Adams2019 (beam 1) on a CPU, the one Halide 14 autoscheduler that was
// competitive here; Li2018 on a GPU, the one that schedules for GPUs.
LayerTuning tune_layer(const Layer &layer, const Halide::Target &target, const ScheduleDatabase &database,
                       Clock::time_point deadline, const OtherProcessTiming &other_process, TuneProgress &progress,
                       size_t index, size_t total) {
    Clock::time_point started = Clock::now();
    LayerTrial trial = make_layer_trial(layer);
    ScheduleChoice start = default_schedule(layer, target);
    const std::optional<TunedEntry> stored = database.find(layer, target);
    // The default and the stored entry are measured however short the budget (a re-run with a
    // few seconds per layer once replaced tuned entries with untimed defaults), and both join
    // the final.
    std::vector<ScheduleChoice> always = {start};
    std::vector<ScheduleChoice> seeds;
    if (stored) {
        auto prior = complete_schedule(stored->schedule, layer, target);
        if (prior && !(*prior == start)) {
            seeds.push_back(*prior);
            always.push_back(*prior);
        }
    }
    const int must_measure = static_cast<int>(always.size());
    for (const ScheduleChoice &neighbour : neighbour_seeds(layer, target, database, start)) {
        seeds.push_back(neighbour);
    }
    // The other families' defaults: a climb from the default never leaves its family, and a
    // random point of another family is rarely near that family's best.
    for (const ScheduleChoice &other : family_defaults(layer, target)) {
        if (!(other == start)) {
            seeds.push_back(other);
        }
    }
    // The default's register tile in its other shapes: the climb changes one axis at a time.
    std::vector<ScheduleSpace> spaces = schedule_spaces(layer, target);
    for (const ScheduleSpace &space : spaces) {
        for (const ScheduleChoice &shape : register_tile_shapes(start, space)) {
            seeds.push_back(shape);
        }
    }
    seeds.push_back({target.has_gpu_feature() ? "auto:Li2018" : "auto:Adams2019", {}});
    CandidateSearch search(spaces, start, seeds);
    LayerTuning tuning;
    TunedEntry &entry = tuning.entry;
    entry.threads = kernel_thread_count();
    const size_t together = schedules_checked_together(target);
    // Left for the final: its finalists, the next batch and, with a second process, the two
    // schedules compiled and timed again there.
    const size_t reserved = kFinalists + together + (other_process ? 2 : 0);
    auto time_left_for_more = [&] {
        double per_candidate = seconds_since(started) / std::max(1, entry.candidates);
        return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                  per_candidate * static_cast<double>(reserved))) < deadline;
    };
    while (entry.candidates < must_measure || time_left_for_more()) {
        std::vector<ScheduleChoice> batch = next_batch(search, together);
        if (batch.empty()) {
            break;
        }
        std::vector<std::unique_ptr<CheckedKernel>> kernels = check_together(layer, target, batch, trial);
        for (size_t i = 0; i < batch.size(); i++) {
            Measurement m = kernels[i]->time(kSearchSeconds, false);
            kernels[i].reset();
            entry.candidates++;
            if (m.ok) {
                search.report(batch[i], m.gflops);
            }
            if (batch[i] == start) {
                entry.default_gflops = m.gflops;
                if (!m.ok) {
                    // A broken default is what `generate` emits for untuned layers: never drop it silently.
                    progress.note("convc tune: " + layer.name + ": the default schedule " + start.to_string() +
                                  " was rejected: " + m.failure);
                }
            }
            progress.candidate(index, total, layer.name, entry.candidates, search.best_score(),
                               std::chrono::duration<double>(deadline - Clock::now()).count());
        }
    }
    entry.schedule = confirm_leaders(layer, target, search, trial, always, other_process, tuning);
    return tuning;
}

std::string gflops_pair(double threads_here, double one_thread) {
    char text[64];
    if (one_thread > 0) {
        std::snprintf(text, sizeof text, "%7.1f / %5.1f", threads_here, one_thread);
    } else {
        std::snprintf(text, sizeof text, "%7.1f", threads_here);
    }
    return text;
}

std::string summary_line(size_t index, size_t total, const Layer &layer, const LayerTuning &tuning) {
    const TunedEntry &entry = tuning.entry;
    char text[160];
    std::snprintf(text, sizeof text, "[%zu/%zu] %-24.24s %3d %-10s  default %s  tuned %s GFLOP/s%s  ", index,
                  total, layer.name.c_str(), entry.candidates, entry.candidates == 1 ? "candidate" : "candidates",
                  gflops_pair(entry.default_gflops, tuning.default_one_thread).c_str(),
                  gflops_pair(entry.gflops, tuning.tuned_one_thread).c_str(),
                  tuning.tuned_one_thread > 0 ? " (these threads / one)" : "");
    return text + entry.schedule.to_string() + tuning.other_process;
}

}  // namespace

TuneReport tune_module(const ModuleSpec &module, const TargetPlan &plan, double budget_seconds,
                       ScheduleDatabase &database, TuneProgress &progress, const OtherProcessTiming &other_process) {
    TuneReport report;
    std::vector<std::pair<const Layer *, Halide::Target>> work;
    std::set<std::string> seen;
    for (const KernelVariant &variant : plan.variants) {
        if (!runs_here(variant.target)) {
            progress.note("convc tune: " + variant.target.to_string() +
                          (host_runs(variant.target) ? " needs a GPU this machine does not have or cannot use"
                                                     : " does not run on this machine") +
                          "; its layers keep the heuristic default schedules");
            report.layers_skipped += static_cast<int>(module.layers.size());
            continue;
        }
        for (const Layer &layer : module.layers) {
            if (seen.insert(layer_signature(layer) + variant.target.to_string()).second) {
                work.emplace_back(&layer, variant.target);
            }
        }
    }
    Clock::time_point start = Clock::now();
    for (size_t i = 0; i < work.size(); i++) {
        double left = budget_seconds - seconds_since(start);
        Clock::time_point deadline =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                               std::max(0.0, left / static_cast<double>(work.size() - i))));
        const auto &[layer, target] = work[i];
        LayerTuning tuning =
            tune_layer(*layer, target, database, deadline, other_process, progress, i + 1, work.size());
        TunedEntry &entry = tuning.entry;
        // A GPU target's entry is the GPU's, whatever processor drives it.
        entry.cpu = target.has_gpu_feature() ? "" : database.host_cpu();
        database.store(*layer, target, entry);
        database.save();
        report.layers_tuned++;
        report.candidates += entry.candidates;
        progress.layer_done(summary_line(i + 1, work.size(), *layer, tuning));
    }
    return report;
}

}  // namespace convc
