#pragma once

#include <optional>
#include <string>
#include <vector>

namespace convc {

// Runs this convc executable again with `args` (the verb first), with `environment`
// ("NAME=value") over this process's own, and returns what it wrote on stdout; its stderr is
// this process's. nullopt when it could not be started or did not exit with status 0. `bench`
// runs a child per thread count (thread pools are sized once a process) and `tune` one to time
// its pick in a second process.
std::optional<std::string> run_convc_child(const std::vector<std::string> &args,
                                           const std::vector<std::string> &environment = {});

}  // namespace convc
