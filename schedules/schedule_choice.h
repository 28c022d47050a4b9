#pragma once

#include <map>
#include <string>
#include <vector>

namespace convc {

// A schedule as the tuner and the database see it: a family and its integer parameters.
// Families: cpu direct/depthwise per ISA (x86_avx512_direct, arm_neon_depthwise, ...),
// cuda_direct, and auto:<Halide autoscheduler> (no parameters).
struct ScheduleChoice {
    std::string family;
    std::map<std::string, int> params;

    int param(const std::string &name) const;  // throws std::out_of_range naming the parameter
    std::string to_string() const;             // family(name=value, ...)
    bool operator==(const ScheduleChoice &other) const;
};

// One tunable parameter and the values it may take.
struct ParamRange {
    std::string name;
    std::vector<int> values;
};

// A family's declared search space. `fits` rejects combinations the hardware cannot hold
// (register budget), so the tuner never spends time compiling them.
struct ScheduleSpace {
    std::string family;
    std::vector<ParamRange> params;
    int register_budget = 0;  // CPU families: vector registers available for accumulators

    const std::vector<int> &values(const std::string &name) const;  // throws std::out_of_range
};

}  // namespace convc
