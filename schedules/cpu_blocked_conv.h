#pragma once

#include "Halide.h"

#include "lower/conv2d_blocked.h"
#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// Convolution vectorized across output channels (family *_blocked), on the algorithm of
// lower_blocked_conv2d. The register tile is x_pixels output pixels of a row by k_vectors
// channel vectors: per tap it loads k_vectors weight vectors (contiguous, pre-packed) and
// broadcasts one input value per pixel, so every load feeds several FMAs and no lane is
// wasted on a narrow image (7x7, 14x14), where row vectors leave most lanes empty.
// With columns 1 the tile runs down a column instead (x_pixels pixels of a column), which a
// tall kernel (7x1) turns into shared input loads, as a row tile does for a wide one.
// Parameters: lanes (the channel block), x_pixels, k_vectors, stage_input, unroll_taps,
// row_tasks, channels_inner, columns, transpose_io, stage_rows, trim_taps, channel_chunk (0: a
// tile's sums take the whole reduction in registers; C: a row's sums, in memory, take C input
// channels at a time across all its tiles), tasks.
void schedule_cpu_blocked_conv(LoweredBlockedConv &lc, const ScheduleChoice &choice);

// What a blocked or lane-blocked choice asks of the algorithm: transposed I/O (transpose_io)
// and, with trim_taps, skipping the taps in zero padding across its tiles' axis.
BlockedConvOptions blocked_conv_options(const ScheduleChoice &choice);

ScheduleSpace cpu_blocked_space(const std::string &family, int lanes, int registers, const Layer &layer);
ScheduleChoice cpu_blocked_choice(const std::string &family, int lanes, int x_pixels, int k_vectors,
                                  const Layer &layer);

// An NCHW 1x1 layer with a stride: the layers that may stage their rows dense (stage_rows).
bool strided_pointwise(const Layer &layer);
// A layer whose window reaches into zero padding: the layers that may skip those taps (trim_taps).
bool pads_with_zeros(const Layer &layer);

// The register tile fits `vector_registers`, and the choice does not take staged rows in
// chunks of input channels (see the definition).
bool blocked_choice_fits(const ScheduleChoice &choice, int vector_registers);

}  // namespace convc
