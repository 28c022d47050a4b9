// convc targets: what --target accepts and what this machine can run.
#include <cstdlib>
#include <iostream>

#include "target/target_name.h"
#include "verbs.h"

namespace convc {

namespace {

bool on_path(const std::string &program) {
    std::string command = "command -v " + program + " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

std::string where_it_runs(const TargetPlan &plan) {
    const Halide::Target &base = plan.baseline();
    if (plan.uses_gpu()) {
        return convc::runs_here(base) ? "yes (CUDA device found)" : "no GPU here: compiles, and calls fail cleanly";
    }
    if (base.arch == Halide::Target::ARM) {
        return on_path("qemu-aarch64") ? "under qemu-aarch64 (emulated)" : "no (install qemu-user to emulate)";
    }
    std::string best;
    for (const KernelVariant &v : plan.variants) {
        if (host_runs(v.target)) {
            best = v.suffix.empty() ? "yes" : "yes, variant " + v.suffix;
            break;
        }
    }
    return best.empty() ? "no" : best;
}

int list_targets() {
    std::cout << "host: " << Halide::get_host_target().to_string() << " (this machine)\n\n";
    for (const TargetAlias &alias : target_aliases()) {
        TargetPlan plan = resolve_target_plan(alias.name);
        std::cout << alias.name << ": " << alias.description << "\n";
        for (const KernelVariant &v : plan.variants) {
            std::cout << "    " << v.target.to_string() << "\n";
        }
        std::cout << "    runs here: " << where_it_runs(plan) << "\n\n";
    }
    std::cout << "Any Halide target string works too, or several separated by commas (best first).\n";
    return 0;
}

}  // namespace

void add_targets_verb(CLI::App &app, VerbAction &action) {
    CLI::App *verb = app.add_subcommand("targets", "List the targets convc emits and which run on this machine");
    verb->callback([&action] { action = list_targets; });
}

}  // namespace convc
