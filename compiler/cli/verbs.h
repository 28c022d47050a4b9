#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "load_spec.h"

namespace convc {

// Each verb registers its subcommand and options; when the user picks it, `action` is
// set to the code that runs it and returns the exit status.
using VerbAction = std::function<int()>;

void add_check_verb(CLI::App &app, VerbAction &action);
void add_generate_verb(CLI::App &app, VerbAction &action);
void add_run_verb(CLI::App &app, VerbAction &action);
void add_targets_verb(CLI::App &app, VerbAction &action);
void add_tune_verb(CLI::App &app, VerbAction &action);
void add_bench_verb(CLI::App &app, VerbAction &action);
void add_compare_verb(CLI::App &app, VerbAction &action);
void add_time_schedules_verb(CLI::App &app, VerbAction &action);  // hidden: run by tune

}  // namespace convc
