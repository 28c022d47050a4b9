#include "tune/other_process_check.h"

#include <algorithm>
#include <cmath>

namespace convc {

double ProcessGflops::score() const {
    return std::sqrt(threads_here * one_thread);
}

bool beats_default_everywhere(const std::vector<double> &winner_scores, const std::vector<double> &default_scores) {
    if (winner_scores.empty()) {
        return false;
    }
    if (default_scores.empty()) {
        return true;
    }
    return *std::min_element(winner_scores.begin(), winner_scores.end()) >
           *std::min_element(default_scores.begin(), default_scores.end());
}

}  // namespace convc
