#include "target/target_name.h"

#include <map>
#include <sstream>

#include "spec/did_you_mean.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

SpecError target_error(const std::string &message) {
    return SpecError({"", 0, 0}, "--target", message);
}

// The suffix of a variant inside a multi-versioned bundle: the alias's short names where
// they are known, else the target string made into an identifier.
std::string variant_suffix(const std::string &target_string) {
    std::string suffix = target_string;
    for (char &c : suffix) {
        if (c == '-') {
            c = '_';
        }
    }
    return suffix;
}

Halide::Target parse_halide_target(const std::string &text) {
    if (text == "host") {
        return Halide::get_host_target();
    }
    if (!Halide::Target::validate_target_string(text)) {
        std::vector<std::string> names = {"host"};
        for (const TargetAlias &alias : target_aliases()) {
            names.push_back(alias.name);
        }
        throw target_error("'" + text + "' is neither an alias (host, x86, arm, cuda) nor a Halide target string " +
                           "(e.g. x86-64-linux-avx2-fma)" + did_you_mean(text, names));
    }
    return Halide::Target(text);
}

std::vector<std::string> split_list(const std::string &text) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, ',')) {
        parts.push_back(part);
    }
    return parts;
}

}  // namespace

const std::vector<TargetAlias> &target_aliases() {
    static const std::vector<TargetAlias> aliases = {
        {"x86", "x86-64 Linux, multi-versioned: AVX-512, AVX2+FMA and an SSE4.1 baseline, picked at run time",
         {"x86-64-linux-sse41-avx-f16c-fma-avx2-avx512-avx512_skylake", "x86-64-linux-sse41-avx-f16c-fma-avx2",
          "x86-64-linux-sse41"}},
        {"arm", "aarch64 Linux with 128-bit NEON", {"arm-64-linux"}},
        {"cuda", "x86-64 Linux host with CUDA kernels (PTX for compute capability 8.0; loads on sm_80 and later)",
         {"x86-64-linux-sse41-avx-f16c-fma-avx2-cuda-cuda_capability_80"}},
    };
    return aliases;
}

TargetPlan resolve_target_plan(const std::string &name) {
    TargetPlan plan;
    plan.name = name;
    std::vector<std::string> strings = split_list(name);
    std::vector<std::string> suffixes;
    for (const TargetAlias &alias : target_aliases()) {
        if (alias.name == name) {
            strings = alias.halide_targets;
        }
    }
    if (strings.empty()) {
        throw target_error("no target given");
    }
    for (const std::string &s : strings) {
        Halide::Target target = parse_halide_target(s);
        std::string suffix = strings.size() == 1 ? "" : variant_suffix(s);
        if (name == "x86") {
            suffix = target.has_feature(Halide::Target::AVX512) ? "avx512"
                     : target.has_feature(Halide::Target::AVX2) ? "avx2"
                                                                 : "sse41";
        }
        plan.variants.push_back({target, suffix});
    }
    for (const KernelVariant &v : plan.variants) {
        const Halide::Target &base = plan.baseline();
        if (v.target.arch != base.arch || v.target.bits != base.bits || v.target.os != base.os ||
            v.target.has_gpu_feature() != base.has_gpu_feature()) {
            throw target_error("the targets of one bundle must share architecture, OS and GPU API: '" + name + "'");
        }
    }
    return plan;
}

Halide::Target resolve_target(const std::string &name) {
    TargetPlan plan = resolve_target_plan(name);
    if (plan.variants.size() != 1) {
        throw target_error("'" + name + "' is a multi-versioned target; give a single one here");
    }
    return plan.baseline();
}

bool host_runs(const Halide::Target &target) {
    Halide::Target host = Halide::get_host_target();
    if (target.arch != host.arch || target.bits != host.bits || target.os != host.os) {
        return false;
    }
    using T = Halide::Target;
    for (auto feature : {T::SSE41, T::AVX, T::AVX2, T::FMA, T::F16C, T::AVX512, T::AVX512_Skylake,
                         T::AVX512_Cannonlake, T::AVX512_SapphireRapids}) {
        if (target.has_feature(feature) && !host.has_feature(feature)) {
            return false;
        }
    }
    return true;
}

bool runs_here(const Halide::Target &target) {
    if (!host_runs(target)) {
        return false;
    }
    if (!target.has_gpu_feature()) {
        return true;
    }
    // The probe JIT-runs a kernel on the device; its answer holds for the whole process.
    static std::map<Halide::DeviceAPI, bool> usable;
    Halide::DeviceAPI api = Halide::get_default_device_api_for_target(target);
    auto known = usable.find(api);
    if (known == usable.end()) {
        known = usable.emplace(api, Halide::host_supports_target_device(target)).first;
    }
    return known->second;
}

}  // namespace convc
