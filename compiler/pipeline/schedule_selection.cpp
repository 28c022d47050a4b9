#include "pipeline/schedule_selection.h"

#include "schedules/choose_schedule.h"
#include "spec/spec_error.h"

namespace convc {

ScheduleSelector::ScheduleSelector(const ScheduleDatabase *database, std::string requested)
    : database_(database), requested_(std::move(requested)) {
    if (!requested_.empty() && requested_ != "default" && requested_.rfind("auto:", 0) != 0) {
        throw SpecError({"", 0, 0}, "--schedule",
                        "'" + requested_ + "' is not a schedule choice (default, auto:Adams2019, auto:Mullapudi2016, "
                                           "auto:Li2018); leave it out to use tuned schedules");
    }
}

SelectedSchedule ScheduleSelector::select(const Layer &layer, const Halide::Target &target) const {
    if (requested_.rfind("auto:", 0) == 0) {
        return {{requested_, {}}, "requested"};
    }
    if (requested_.empty() && database_) {
        if (auto entry = database_->find(layer, target)) {
            if (auto choice = complete_schedule(entry->schedule, layer, target)) {
                bool as_stored = *choice == entry->schedule;
                std::string origin = entry->cpu.empty() || entry->cpu == database_->host_cpu()
                                         ? "tuned (database"
                                         : "tuned on " + entry->cpu + " (database";
                return {*choice, origin + (as_stored ? ")" : ", new parameters at defaults)")};
            }
        }
    }
    return {default_schedule(layer, target), requested_.empty() ? "default (heuristic)" : "requested"};
}

}  // namespace convc
