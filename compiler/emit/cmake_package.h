#pragma once

#include <string>

#include "spec/layer.h"
#include "target/target_name.h"

namespace convc {

// A CMake package config for a bundle, so a project that never heard of convc can
// `find_package(<module> PATHS <bundle>)` and link `<module>::<module>`.
std::string cmake_package_config(const ModuleSpec &module, const TargetPlan &plan);

// A pkg-config file for a bundle. pkg-config cannot build the wrapper source, so its
// path is the variable `wrapper`: c++ app.cpp $(pkg-config --variable=wrapper m) $(pkg-config --cflags --libs m)
std::string pkg_config_file(const ModuleSpec &module, const TargetPlan &plan);

}  // namespace convc
