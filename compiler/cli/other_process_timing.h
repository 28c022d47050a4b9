#pragma once

#include <string>

#include "tune/other_process_check.h"

namespace convc {

// The second process `tune` times its picks in (tune/other_process_check.h): this convc
// executable, run as `convc time-schedules SPEC_PATH --layer ...` on the same spec, with the
// same environment (HL_NUM_THREADS, so the same thread count); its stderr is tune's, so
// an error it reports reaches the terminal and Halide's log lines the tune's filter.
OtherProcessTiming other_process_timing(const std::string &spec_path);

}  // namespace convc
