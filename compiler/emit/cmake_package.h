#pragma once

#include <string>

#include "spec/layer.h"

namespace convc {

// A CMake package config for a bundle, so a project that never heard of convc can
// `find_package(<module> PATHS <bundle>)` and link `<module>::<module>`.
std::string cmake_package_config(const ModuleSpec &module);

}  // namespace convc
