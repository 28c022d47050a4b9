#include "schedules/choose_schedule.h"

#include <stdexcept>

#include "schedules/arm_neon_conv_params.h"
#include "schedules/cpu_conv_space.h"
#include "schedules/cpu_depthwise_conv.h"
#include "schedules/cpu_direct_conv.h"
#include "schedules/cuda_conv.h"
#include "schedules/x86_conv_params.h"

namespace convc {

namespace {

bool ends_with(const std::string &text, const std::string &suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ScheduleSpace schedule_space(const Layer &layer, const Halide::Target &target) {
    if (target.has_gpu_feature()) {
        return cuda_direct_space(layer);
    }
    bool arm = target.arch == Halide::Target::ARM;
    if (is_depthwise(layer)) {
        return arm ? arm_neon_depthwise_space(layer) : x86_depthwise_space(layer, target);
    }
    return arm ? arm_neon_direct_space(layer) : x86_direct_space(layer, target);
}

ScheduleChoice default_schedule(const Layer &layer, const Halide::Target &target) {
    if (target.has_gpu_feature()) {
        return cuda_direct_default(layer);
    }
    bool arm = target.arch == Halide::Target::ARM;
    if (is_depthwise(layer)) {
        return arm ? arm_neon_depthwise_default(layer) : x86_depthwise_default(layer, target);
    }
    return arm ? arm_neon_direct_default(layer) : x86_direct_default(layer, target);
}

bool is_autoscheduler(const ScheduleChoice &choice) {
    return choice.family.rfind("auto:", 0) == 0;
}

bool schedule_applies(const ScheduleChoice &choice, const Layer &layer, const Halide::Target &target) {
    return is_autoscheduler(choice) || fits_space(choice, schedule_space(layer, target));
}

void apply_schedule(LoweredConv &lc, const ScheduleChoice &choice) {
    if (choice.family == "cuda_direct") {
        schedule_cuda_conv(lc, choice);
    } else if (ends_with(choice.family, "_depthwise")) {
        schedule_cpu_depthwise_conv(lc, choice);
    } else if (ends_with(choice.family, "_direct")) {
        schedule_cpu_direct_conv(lc, choice);
    } else {
        throw std::invalid_argument("unknown schedule family '" + choice.family + "'");
    }
}

}  // namespace convc
