#include "spec/did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace convc {

namespace {

std::string lowercase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

size_t edit_distance(const std::string &a, const std::string &b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); j++) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string closest_match(const std::string &word, const std::vector<std::string> &choices) {
    std::string best;
    // A suggestion further than a third of the word away is more noise than help.
    size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
    std::string lowered = lowercase(word);
    for (const std::string &choice : choices) {
        size_t d = edit_distance(lowered, lowercase(choice));
        if (d < best_distance) {
            best_distance = d;
            best = choice;
        }
    }
    return best;
}

std::string did_you_mean(const std::string &word, const std::vector<std::string> &choices) {
    std::string match = closest_match(word, choices);
    return match.empty() ? "" : " (did you mean '" + match + "'?)";
}

}  // namespace convc
