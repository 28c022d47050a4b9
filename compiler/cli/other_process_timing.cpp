#include "other_process_timing.h"

#include <sstream>
#include <vector>

#include "convc_child.h"
#include "schedule_variant.h"

namespace convc {

namespace {

// The "timed I G G1" and "rejected I why" lines of time_schedules_verb.cpp, one per schedule.
std::optional<std::vector<ProcessGflops>> read_timings(const std::string &output, size_t count) {
    std::vector<ProcessGflops> timings(count);
    std::vector<bool> seen(count, false);
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string kind;
        size_t index = count;
        words >> kind >> index;
        if ((kind != "timed" && kind != "rejected") || index >= count) {
            continue;  // not a timing line
        }
        if (kind == "timed" && !(words >> timings[index].threads_here >> timings[index].one_thread)) {
            return std::nullopt;
        }
        seen[index] = true;
    }
    for (bool s : seen) {
        if (!s) {
            return std::nullopt;
        }
    }
    return timings;
}

}  // namespace

OtherProcessTiming other_process_timing(const std::string &spec_path) {
    return [spec_path](const Layer &layer, const Halide::Target &target, const std::vector<ScheduleChoice> &schedules,
                       int rounds, double min_seconds) -> std::optional<std::vector<ProcessGflops>> {
        std::vector<std::string> args = {"time-schedules", spec_path,
                                         "--layer",        layer.name,
                                         "--target",       target.to_string(),
                                         "--rounds",       std::to_string(rounds),
                                         "--seconds",      std::to_string(min_seconds)};
        for (const ScheduleChoice &choice : schedules) {
            args.push_back("--schedule");
            args.push_back(variant_text(choice));
        }
        std::optional<std::string> output = run_convc_child(args);
        return output ? read_timings(*output, schedules.size()) : std::nullopt;
    };
}

}  // namespace convc
