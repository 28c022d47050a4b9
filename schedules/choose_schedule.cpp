#include "schedules/choose_schedule.h"

#include "schedules/x86_depthwise_conv.h"
#include "schedules/x86_direct_conv.h"

namespace convc {

std::string apply_default_schedule(LoweredConv &lc, const Layer &layer, const Halide::Target &target) {
    if (is_depthwise(layer)) {
        DepthwiseConvParams params = default_depthwise_params(layer, target);
        schedule_x86_depthwise_conv(lc, layer, params);
        return params.to_string();
    }
    DirectConvParams params = default_direct_params(layer, target);
    schedule_x86_direct_conv(lc, params);
    return params.to_string();
}

}  // namespace convc
