#pragma once

#include <string>

#include "Halide.h"

#include "pipeline/schedule_selection.h"
#include "spec/layer.h"

namespace convc {

// One layer measured at one thread count: convc with its selected schedule, convc with the
// heuristic default when the selection was tuned, and oneDNN, all in the same process and timed
// in turns (bench_layer.cpp).
struct BenchRow {
    std::string layer;
    int threads = 0;
    double gflop = 0;           // work of one call
    double convc_median_ms = 0;
    double convc_min_ms = 0;
    double convc_gflops = 0;
    std::string origin;         // where convc's schedule came from
    double default_gflops = 0;  // NaN when the selection already is the default
    double onednn_median_ms = 0;
    double onednn_gflops = 0;   // NaN when oneDNN cannot run the layer
    std::string onednn_impl;
    double onednn_nchw_gflops = 0;  // oneDNN with the reorders of plain (NCHW or NHWC) input and output
    double peak_gflops = 0;     // measured FMA peak at this thread count
    // The slowest turn's median over the fastest's, for convc's selected schedule and for
    // oneDNN (NaN without it): how far the machine moved while this row was measured.
    double convc_spread = 0;
    double onednn_spread = 0;

    std::string to_tsv() const;
    static BenchRow from_tsv(const std::string &line);
};

BenchRow bench_layer(const Layer &layer, const Halide::Target &target, const SelectedSchedule &schedule, int threads,
                     bool versus_onednn, double peak_gflops);

}  // namespace convc
