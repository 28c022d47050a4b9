#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "spec/layer.h"

namespace convc {

// Copies of an activation tensor between PyTorch's contiguous NCHW order and a layer's
// memory layout; `shape` is the logical (N, C, H, W) either way. For nchw both are copies.
// Header-only: the consumer tests, which link nothing of convc, use it too.

namespace memory_layout_detail {

// Calls f(nchw_index, nhwc_index) for every element.
template <typename F>
void for_each_element(const std::array<int64_t, 4> &shape, F f) {
    const int64_t n_ = shape[0], c_ = shape[1], h_ = shape[2], w_ = shape[3];
    for (int64_t n = 0; n < n_; n++) {
        for (int64_t c = 0; c < c_; c++) {
            for (int64_t y = 0; y < h_; y++) {
                for (int64_t x = 0; x < w_; x++) {
                    f(((n * c_ + c) * h_ + y) * w_ + x, ((n * h_ + y) * w_ + x) * c_ + c);
                }
            }
        }
    }
}

}  // namespace memory_layout_detail

// A copy of the tensor `data` (lying in layout `from`) lying in layout `to`.
inline std::vector<float> relaid(const float *data, const std::array<int64_t, 4> &shape, MemoryLayout from,
                                 MemoryLayout to) {
    std::vector<float> out(static_cast<size_t>(shape[0] * shape[1] * shape[2] * shape[3]));
    memory_layout_detail::for_each_element(shape, [&](int64_t nchw, int64_t nhwc) {
        out[to == MemoryLayout::Nhwc ? nhwc : nchw] = data[from == MemoryLayout::Nhwc ? nhwc : nchw];
    });
    return out;
}

inline std::vector<float> nchw_to_layout(const float *nchw, const std::array<int64_t, 4> &shape,
                                         MemoryLayout layout) {
    return relaid(nchw, shape, MemoryLayout::Nchw, layout);
}

inline std::vector<float> layout_to_nchw(const float *data, const std::array<int64_t, 4> &shape,
                                         MemoryLayout layout) {
    return relaid(data, shape, layout, MemoryLayout::Nchw);
}

}  // namespace convc
