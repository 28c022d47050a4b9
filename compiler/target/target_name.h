#pragma once

#include <string>
#include <vector>

#include "Halide.h"

namespace convc {

// One compiled version of every kernel of a module. A multi-versioned bundle holds several,
// tried in order at run time by Halide's CPU feature detection; the last is the baseline.
struct KernelVariant {
    Halide::Target target;
    std::string suffix;  // appended to entry-point names; "" when the bundle has one variant
};

// What `--target` resolved to.
struct TargetPlan {
    std::string name;  // what the user typed
    std::vector<KernelVariant> variants;

    const Halide::Target &baseline() const { return variants.back().target; }
    bool uses_gpu() const { return baseline().has_gpu_feature(); }
};

// A short name `--target` accepts besides Halide target strings.
struct TargetAlias {
    std::string name;
    std::string description;
    std::vector<std::string> halide_targets;  // most capable first
};

const std::vector<TargetAlias> &target_aliases();

// Resolves "host", an alias (x86, arm, cuda), a Halide target string, or a comma-separated
// list of Halide target strings (a multi-versioned bundle, baseline last). Throws SpecError
// naming the flag.
TargetPlan resolve_target_plan(const std::string &name);

// A single target, for code that JIT-compiles on this machine.
Halide::Target resolve_target(const std::string &name);

// Whether this machine can execute code compiled for `target` (CPU part only).
bool host_runs(const Halide::Target &target);

// Whether JIT code for `target` runs here: its CPU part, and its GPU where it has one (a
// usable device and driver, probed once per process).
bool runs_here(const Halide::Target &target);

}  // namespace convc
