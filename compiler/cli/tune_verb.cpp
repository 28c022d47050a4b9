// convc tune SPEC: searches each layer's schedule space on this machine and stores the best
// schedules in the tuned-schedule database that `generate` reads.
#include <iostream>
#include <memory>

#include "layer_here.h"
#include "other_process_timing.h"
#include "schedule_options.h"
#include "spec/spec_error.h"
#include "target/target_name.h"
#include "tune/halide_log_filter.h"
#include "tune/tune_module.h"
#include "verbs.h"

namespace convc {

namespace {

struct TuneOptions {
    std::string spec;
    std::string target = "host";
    std::string budget = "60s";
    std::vector<std::string> layers;  // all when empty
    bool halide_log = false;
    ScheduleOptions schedules;
};

// "90", "90s", "2m" or "1.5m".
double parse_budget(const std::string &text) {
    try {
        size_t used = 0;
        double value = std::stod(text, &used);
        std::string unit = text.substr(used);
        if (value > 0 && (unit.empty() || unit == "s")) {
            return value;
        }
        if (value > 0 && unit == "m") {
            return value * 60;
        }
    } catch (const std::exception &) {
    }
    throw SpecError({"", 0, 0}, "--budget", "'" + text + "' is not a duration such as 60s or 5m");
}

int tune(const TuneOptions &options) {
    ModuleSpec module = with_layers(load_spec(options.spec), options.layers);
    TargetPlan plan = resolve_target_plan(options.target);
    double budget = parse_budget(options.budget);
    ScheduleDatabase database = options.schedules.load_database();
    HalideLogFilter filter;
    std::ostream &terminal = filter.terminal();
    terminal << "convc tune: " << module.name << " for " << plan.name << ", budget " << budget << " s, database "
             << database.path() << "\n";
    if (!database.host_cpu().empty()) {
        terminal << "convc tune: entries for this machine's CPU targets are recorded as tuned on "
                 << database.host_cpu() << "\n";
    }
    TuneProgress progress(terminal, filter.terminal_is_interactive());
    TuneReport report = tune_module(module, plan, budget, database, progress, other_process_timing(options.spec));
    std::vector<std::string> held = filter.finish();
    if (options.halide_log) {
        for (const std::string &line : held) {
            std::cerr << line << "\n";
        }
    } else if (!held.empty()) {
        std::cerr << "convc tune: held back " << held.size()
                  << " line(s) of Halide's autoscheduler log and warnings (--halide-log prints them)\n";
    }
    std::cout << "convc tune: " << report.layers_tuned << " layer(s) tuned, " << report.candidates
              << " candidates measured, " << report.layers_skipped << " left at heuristic defaults; saved "
              << database.path() << "\n";
    return 0;
}

}  // namespace

void add_tune_verb(CLI::App &app, VerbAction &action) {
    auto options = std::make_shared<TuneOptions>();
    CLI::App *verb = app.add_subcommand("tune", "Autotune each layer's schedule on this machine into the database");
    verb->add_option("spec", options->spec, "The YAML spec file")->required();
    verb->add_option("--target,-t", options->target, "host, x86, arm, cuda, or Halide target string(s)")
        ->capture_default_str();
    verb->add_option("--budget", options->budget, "Time for the whole module, e.g. 60s or 5m")->capture_default_str();
    verb->add_option("--layer,-l", options->layers, "Tune only this layer (repeatable; every layer by default)");
    verb->add_flag("--halide-log", options->halide_log,
                   "Print what Halide's autoschedulers and compiler wrote meanwhile (held back from the status line)");
    verb->add_option("--db", options->schedules.database,
                     "Tuned-schedule database (default: $CONVC_SCHEDULE_DB or convc's schedules/db/tuned.yaml)");
    verb->callback([&action, options] { action = [options] { return tune(*options); }; });
}

}  // namespace convc
