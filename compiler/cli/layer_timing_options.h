#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// What the verbs that time schedules of one layer in turns (compare, time-schedules) take.
struct LayerTimingOptions {
    std::string spec;
    std::string layer;
    std::string target = "host";
    int rounds = 2;
    double seconds = 0.3;

    // The spec positional, --layer, --rounds, --seconds and --target; `timed` names what each
    // turn times ("candidate", "schedule").
    void add_to(CLI::App &verb, const std::string &timed);
};

// The layer to time and the target it runs on here.
struct LayerToTime {
    Layer layer;
    Halide::Target target;
};

// Refuses rounds or seconds that are not positive (a SpecError naming the option), then loads
// the spec and finds the layer.
LayerToTime load_layer_to_time(const LayerTimingOptions &options);

}  // namespace convc
