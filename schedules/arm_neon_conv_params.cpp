#include "schedules/arm_neon_conv_params.h"

#include "schedules/cpu_conv_space.h"

namespace convc {

namespace {

constexpr int kLanes = 4;
constexpr int kRegisters = 32;

}  // namespace

ScheduleSpace arm_neon_direct_space(const Layer &layer) {
    return cpu_direct_space("arm_neon_direct", kLanes, kRegisters, layer);
}

ScheduleChoice arm_neon_direct_default(const Layer &layer) {
    return cpu_direct_choice("arm_neon_direct", kLanes, 4, 6, layer);
}

ScheduleSpace arm_neon_depthwise_space(const Layer &layer) {
    return cpu_depthwise_space("arm_neon_depthwise", kLanes, kRegisters, layer);
}

ScheduleChoice arm_neon_depthwise_default(const Layer &layer) {
    // 4 rows of 4 vectors: 16 accumulators of the 32 registers, the x86 default's shape
    // (x86_depthwise_default) with vectors a quarter as wide. Not timed on a real ARM core.
    return cpu_depthwise_choice("arm_neon_depthwise", kLanes, 4, 4, layer);
}

}  // namespace convc
