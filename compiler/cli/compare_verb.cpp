// convc compare SPEC --layer L [--variant k=v,...]...: times schedules of one layer side by side
// on this machine, in turns, as `tune` times its finalists: the default, the tuned entry and
// each variant, every one checked against the reference first.
#include <cstdio>
#include <iostream>
#include <memory>

#include "layer_timing_options.h"
#include "schedule_options.h"
#include "schedule_variant.h"
#include "schedules/choose_schedule.h"
#include "tune/measure_schedule.h"
#include "verbs.h"

namespace convc {

namespace {

struct CompareOptions {
    LayerTimingOptions timing;
    std::vector<std::string> variants;
    ScheduleOptions schedules;
};

void print_row(const std::string &round, const std::string &label, const ScheduleChoice &choice, double gflops,
               double one_thread) {
    std::printf("%-6s %-18s %9.1f %9.1f  %s\n", round.c_str(), label.c_str(), gflops, one_thread,
                choice.to_string().c_str());
}

int compare(const CompareOptions &options) {
    const auto [layer, target] = load_layer_to_time(options.timing);
    std::vector<std::string> labels = {"default"};
    std::vector<ScheduleChoice> schedules = {default_schedule(layer, target)};
    ScheduleDatabase database = options.schedules.load_database();
    if (auto stored = database.find(layer, target)) {
        if (auto tuned = complete_schedule(stored->schedule, layer, target); tuned && !(*tuned == schedules[0])) {
            labels.push_back("tuned (database)");
            schedules.push_back(*tuned);
        }
    }
    for (size_t i = 0; i < options.variants.size(); i++) {
        labels.push_back("variant " + std::to_string(i + 1));
        schedules.push_back(parse_variant(options.variants[i], layer, target));
    }

    int threads = kernel_thread_count();
    std::printf("convc compare: %s on %s, %d round(s) of %.2f s per timing; GFLOP/s at %d thread(s) and at 1\n",
                layer.name.c_str(), target.to_string().c_str(), options.timing.rounds, options.timing.seconds,
                threads);
    std::printf("%-6s %-18s %9s %9s  %s\n", "round", "candidate", (std::to_string(threads) + " thr").c_str(),
                "1 thr", "schedule");
    std::vector<Contender> timed = time_in_turns(
        layer, target, schedules, make_layer_trial(layer), options.timing.rounds, options.timing.seconds,
        [&](int round, size_t i, const Contender &c, const Measurement &m) {
            print_row(std::to_string(round), labels[i], c.choice, m.gflops, m.one_thread_gflops);
        });
    int status = 0;
    const Contender &base = timed.front();
    for (size_t i = 0; i < timed.size(); i++) {
        const Contender &c = timed[i];
        if (!c.kernel->ok()) {
            std::printf("%-6s %-18s rejected: %s  %s\n", "best", labels[i].c_str(), c.kernel->failure().c_str(),
                        c.choice.to_string().c_str());
            status = 1;
            continue;
        }
        print_row("best", labels[i], c.choice, c.gflops, c.one_thread_gflops);
        if (base.kernel->ok()) {
            std::printf("%-6s %-18s %8.2fx %8.2fx  of the default\n", "", "", c.gflops / base.gflops,
                        c.one_thread_gflops / base.one_thread_gflops);
        }
    }
    return status;
}

}  // namespace

void add_compare_verb(CLI::App &app, VerbAction &action) {
    auto options = std::make_shared<CompareOptions>();
    CLI::App *verb = app.add_subcommand(
        "compare", "Time schedules of one layer side by side on this machine: default, tuned entry, variants");
    options->timing.add_to(*verb, "candidate");
    verb->add_option("--variant,-v", options->variants,
                     "Parameters over the default, e.g. x_pixels=4,k_vectors=4 (family=F starts from F's default); "
                     "repeatable");
    verb->add_option("--db", options->schedules.database,
                     "Tuned-schedule database (default: $CONVC_SCHEDULE_DB or convc's schedules/db/tuned.yaml)");
    verb->callback([&action, options] { action = [options] { return compare(*options); }; });
}

}  // namespace convc
