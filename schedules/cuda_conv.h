#pragma once

#include <string>

#include "Halide.h"

#include "lower/conv2d.h"
#include "spec/layer.h"

namespace convc {

// Direct convolution on CUDA GPUs. A block is one warp: its 32 lanes run along an output
// row, and each lane keeps a register tile of `rows` output rows by `tile_k` output channels
// (Halide keeps a warp-striped allocation in registers only for gpu_lanes). The reduction
// over input channels runs in chunks of channel_chunk: per chunk the warp stages the padded
// input window and the weights it needs in shared memory, so each global load feeds many
// multiply-adds.
struct CudaConvParams {
    int lanes = 32;
    int rows = 4;
    int tile_k = 8;
    int channel_chunk = 8;

    std::string to_string() const;
};

// Chooses the chunk so the staged tiles fit comfortably in 48 KB of shared memory.
CudaConvParams cuda_conv_params(const Layer &layer);

void schedule_cuda_conv(LoweredConv &lc, const CudaConvParams &params);

}  // namespace convc
