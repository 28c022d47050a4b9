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
    std::string origin;  // "requested", "tuned (database)" or "default (heuristic)"
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
