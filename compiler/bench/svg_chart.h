#pragma once

#include <string>
#include <vector>

namespace convc {

// A grouped bar chart as a standalone SVG document: one group per category (e.g. a layer),
// one bar per series (e.g. "convc 1 thread", "oneDNN 1 thread"), a y axis from zero with
// ticks and a label, a legend, and category labels rotated so long names fit. `values` is
// [series][category]; NaN marks a missing measurement and draws a cross instead of a bar.
// The same inputs always give the same bytes, so charts can be committed and diffed.
// Throws std::invalid_argument when `values` does not match the two name lists.
std::string grouped_bar_chart_svg(const std::string &title, const std::string &y_label,
                                  const std::vector<std::string> &categories, const std::vector<std::string> &series,
                                  const std::vector<std::vector<double>> &values);

}  // namespace convc
