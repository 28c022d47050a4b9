#pragma once

#include <string>
#include <vector>

namespace convc {

// The closest of `choices` to a misspelt `word`, or "" when none is close enough to suggest.
std::string closest_match(const std::string &word, const std::vector<std::string> &choices);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(const std::string &word, const std::vector<std::string> &choices);

}  // namespace convc
