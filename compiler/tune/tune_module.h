#pragma once

#include "spec/layer.h"
#include "target/target_name.h"
#include "tune/other_process_check.h"
#include "tune/schedule_database.h"
#include "tune/tune_progress.h"

namespace convc {

struct TuneReport {
    int layers_tuned = 0;
    int layers_skipped = 0;  // variants this machine cannot run: they keep the heuristic default
    int candidates = 0;
};

// Tunes every layer of a module for every variant of the plan this machine can run, within
// `budget_seconds` in all, storing each layer's best schedule in `database` and saving it
// after every layer (an interrupted run keeps what it finished). Layers whose signature
// already appeared in this run are not tuned twice. `progress` shows the search as it goes.
// With `other_process`, a layer's pick that is not its default is timed against the default
// again in a second process, and stored only if it wins there too.
TuneReport tune_module(const ModuleSpec &module, const TargetPlan &plan, double budget_seconds,
                       ScheduleDatabase &database, TuneProgress &progress,
                       const OtherProcessTiming &other_process = nullptr);

}  // namespace convc
