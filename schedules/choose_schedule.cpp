#include "schedules/choose_schedule.h"

#include "schedules/arm_neon_conv_params.h"
#include "schedules/cuda_conv.h"
#include "schedules/x86_conv_params.h"

namespace convc {

std::string apply_default_schedule(LoweredConv &lc, const Layer &layer, const Halide::Target &target) {
    if (target.has_gpu_feature()) {
        CudaConvParams params = cuda_conv_params(layer);
        schedule_cuda_conv(lc, params);
        return params.to_string();
    }
    bool arm = target.arch == Halide::Target::ARM;
    if (is_depthwise(layer)) {
        DepthwiseConvParams params =
            arm ? arm_neon_depthwise_params(layer, target) : x86_depthwise_params(layer, target);
        schedule_cpu_depthwise_conv(lc, layer, params);
        return params.to_string();
    }
    DirectConvParams params = arm ? arm_neon_direct_params(layer, target) : x86_direct_params(layer, target);
    schedule_cpu_direct_conv(lc, params);
    return params.to_string();
}

}  // namespace convc
