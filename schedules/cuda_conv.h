#pragma once

#include "Halide.h"

#include "lower/conv2d.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Direct convolution on CUDA GPUs (family cuda_direct). A block is two warps; their 32
// lanes run along an output row and each lane keeps a register tile of rows/2 output rows
// by tile_k output channels (Halide keeps a warp-striped allocation in registers only for
// gpu_lanes). The reduction over input channels runs in chunks of channel_chunk: per
// chunk the block stages the padded input window and the weights it needs in shared
// memory, so each global load feeds many multiply-adds. With reduction_split > 1 the input
// channels are cut into that many slices whose partial sums run in blocks of their own
// (Halide's rfactor), and a second kernel adds them: more blocks for deep layers on small
// images. Parameters: rows (even), tile_k, channel_chunk (each dividing the channels it
// tiles), reduction_split; the default keeps the staged tiles within 32 KB and splits into
// parts of at least 16 channels.
ScheduleSpace cuda_direct_space(const Layer &layer);
ScheduleChoice cuda_direct_default(const Layer &layer);

void schedule_cuda_conv(LoweredConv &lc, const ScheduleChoice &choice);

}  // namespace convc
