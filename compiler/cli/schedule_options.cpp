#include "schedule_options.h"

#include <cstdlib>

namespace convc {

void ScheduleOptions::add_to(CLI::App &verb) {
    verb.add_option("--db", database,
                    "Tuned-schedule database (default: $CONVC_SCHEDULE_DB or convc's schedules/db/tuned.yaml)");
    verb.add_option("--schedule", schedule,
                    "default (ignore the database) or auto:Adams2019|auto:Mullapudi2016|auto:Li2018");
}

ScheduleDatabase ScheduleOptions::load_database() const {
    if (!database.empty()) {
        return ScheduleDatabase::load(database);
    }
    const char *env = std::getenv("CONVC_SCHEDULE_DB");
    return ScheduleDatabase::load(env && *env ? env : CONVC_DEFAULT_SCHEDULE_DB);
}

}  // namespace convc
