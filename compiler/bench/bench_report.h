#pragma once

#include <string>
#include <vector>

#include "bench/bench_layer.h"

namespace convc {

// What `convc bench` prints and writes: a table per thread count with the speed-up over
// oneDNN and its geometric mean, the CSV of every number, and a GFLOP/s bar chart (SVG).
std::string bench_table(const std::vector<BenchRow> &rows);
std::string bench_csv(const std::vector<BenchRow> &rows);
std::string bench_chart(const std::string &module, const std::vector<BenchRow> &rows);

}  // namespace convc
