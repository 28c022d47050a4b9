// convc time-schedules SPEC --layer L -v family=F,name=value,... ...: times the given schedules
// of one layer in turns and prints a line per schedule for another convc to read. Not for
// users (`compare` is): `tune` runs it to time its pick against the default in a second
// process (cli/other_process_timing.h, which reads these lines).
#include <cstdio>
#include <memory>

#include "layer_timing_options.h"
#include "schedule_variant.h"
#include "tune/measure_schedule.h"
#include "verbs.h"

namespace convc {

namespace {

struct TimeSchedulesOptions {
    LayerTimingOptions timing;
    std::vector<std::string> schedules;
};

int time_schedules(const TimeSchedulesOptions &options) {
    const auto [layer, target] = load_layer_to_time(options.timing);
    std::vector<ScheduleChoice> schedules;
    for (const std::string &text : options.schedules) {
        schedules.push_back(parse_variant(text, layer, target, "--schedule"));
    }
    std::vector<Contender> timed =
        time_in_turns(layer, target, schedules, make_layer_trial(layer), options.timing.rounds, options.timing.seconds);
    for (size_t i = 0; i < timed.size(); i++) {
        if (timed[i].kernel->ok()) {
            std::printf("timed %zu %.3f %.3f\n", i, timed[i].gflops, timed[i].one_thread_gflops);
        } else {
            std::printf("rejected %zu %s\n", i, timed[i].kernel->failure().c_str());
        }
    }
    return 0;
}

}  // namespace

void add_time_schedules_verb(CLI::App &app, VerbAction &action) {
    auto options = std::make_shared<TimeSchedulesOptions>();
    CLI::App *verb = app.add_subcommand("time-schedules", "Time given schedules of one layer (used by tune)");
    verb->group("");  // hidden from --help: convc runs it, users run compare
    options->timing.seconds = 0.2;
    options->timing.add_to(*verb, "schedule");
    verb->add_option("--schedule,-s", options->schedules, "family=F,name=value,...; repeatable")->required();
    verb->callback([&action, options] { action = [options] { return time_schedules(*options); }; });
}

}  // namespace convc
