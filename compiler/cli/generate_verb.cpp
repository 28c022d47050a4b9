// convc generate SPEC: writes the kernel library, headers and C++ wrapper of a module.
#include <filesystem>
#include <iostream>
#include <memory>

#include "emit/bundle.h"
#include "emit/parallel_jobs.h"
#include "schedule_options.h"
#include "target/target_name.h"
#include "verbs.h"

namespace convc {

namespace {

struct GenerateOptions {
    std::string spec;
    std::string target = "host";
    std::string out_dir;
    int jobs = 0;
    ScheduleOptions schedules;
};

int generate(const GenerateOptions &options) {
    ModuleSpec module = load_spec(options.spec);
    TargetPlan plan = resolve_target_plan(options.target);
    std::string out_dir = options.out_dir.empty() ? "generated/" + module.name : options.out_dir;
    std::string spec_name = std::filesystem::path(options.spec).filename().string();
    ScheduleDatabase database = options.schedules.load_database();
    ScheduleSelector selector(&database, options.schedules.schedule);
    // A module for several variants can take a minute to compile: say so before, not after.
    std::cout << "convc: compiling " << module.layers.size() * plan.variants.size() << " kernel(s) of " << module.name
              << " for " << plan.name << " on up to " << worker_threads(options.jobs) << " thread(s)" << std::endl;
    BundleReport report = write_bundle(module, plan, selector, spec_name, out_dir, options.jobs);
    std::cout << "convc: module " << module.name << " for " << plan.name << " -> " << out_dir << "\n";
    for (size_t v = 0; v < plan.variants.size(); v++) {
        std::cout << "  " << plan.variants[v].target.to_string() << "\n";
        for (size_t i = 0; i < module.layers.size(); i++) {
            const SelectedSchedule &s = report.schedules[v][i];
            std::cout << "    " << module.layers[i].name << ": " << s.origin << " " << s.choice.to_string() << "\n";
        }
    }
    for (const std::string &file : report.files) {
        std::cout << "  wrote " << file << "\n";
    }
    return 0;
}

}  // namespace

void add_generate_verb(CLI::App &app, VerbAction &action) {
    auto options = std::make_shared<GenerateOptions>();
    CLI::App *verb = app.add_subcommand("generate", "Generate kernels, headers and a C++ wrapper for a spec");
    verb->add_option("spec", options->spec, "The YAML spec file")->required();
    verb->add_option("--target,-t", options->target, "host, x86, arm, cuda, or Halide target string(s), comma-separated")->capture_default_str();
    verb->add_option("--output,-o", options->out_dir, "Output folder (default: generated/<module>)");
    verb->add_option("--jobs,-j", options->jobs, "Kernels compiled at once (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    options->schedules.add_to(*verb);
    verb->callback([&action, options] { action = [options] { return generate(*options); }; });
}

}  // namespace convc
