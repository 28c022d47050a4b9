#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "tune/schedule_database.h"

namespace convc {

// --db and --schedule, shared by the verbs that compile kernels.
struct ScheduleOptions {
    std::string database;  // default: $CONVC_SCHEDULE_DB, else schedules/db/tuned.yaml of this source tree
    std::string schedule;  // "", "default" or auto:<name>

    void add_to(CLI::App &verb);
    ScheduleDatabase load_database() const;
};

}  // namespace convc
