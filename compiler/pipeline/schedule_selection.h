#pragma once

#include <string>

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"
#include "tune/schedule_database.h"

namespace convc {

// Where a layer's schedule comes from, in order: what the user asked for with --schedule
// ("default" or auto:<name>), the tuned database, the family's heuristic default.
struct SelectedSchedule {
    ScheduleChoice choice;
    // "requested", "tuned (database)", "tuned on <processor> (database)" (another machine's entry
    // for the target: database.h) or "default (heuristic)"
    std::string origin;
};

class ScheduleSelector {
public:
    ScheduleSelector(const ScheduleDatabase *database, std::string requested);
    SelectedSchedule select(const Layer &layer, const Halide::Target &target) const;

private:
    const ScheduleDatabase *database_;
    std::string requested_;
};

}  // namespace convc
