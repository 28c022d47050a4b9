#pragma once

// An independent reference for 2-D convolution with PyTorch nn.Conv2d semantics.
//
// It is deliberately a plain loop nest in double precision and shares no code with the
// compiler: when a generated kernel and this file disagree, the fault should be easy to
// find here by reading, so nothing in it is clever or fast.

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace convc_reference {

enum class Padding { Zeros, Reflect, Replicate, Circular };

struct Conv2dParams {
    int64_t in_channels = 1, out_channels = 1;
    int64_t kernel_h = 1, kernel_w = 1;
    int64_t stride_h = 1, stride_w = 1;
    int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;  // already resolved (same/valid resolved by caller)
    int64_t dilation_h = 1, dilation_w = 1;
    int64_t groups = 1;
    Padding padding = Padding::Zeros;
};

namespace detail {

// Maps a coordinate of the padded image (which may lie before 0 or past size - 1) to the
// source coordinate it copies, or -1 where the padding is a zero. Each mode follows
// torch.nn.functional.pad.
inline int64_t source_index(Padding mode, int64_t i, int64_t size) {
    if (i >= 0 && i < size) {
        return i;
    }
    switch (mode) {
        case Padding::Zeros:
            return -1;
        case Padding::Reflect:
            // The edge element is the mirror axis and is not repeated: for [a b c], index -1
            // is b, not a. PyTorch requires pad < size, so one reflection always lands inside.
            return i < 0 ? -i : 2 * (size - 1) - i;
        case Padding::Replicate:
            return i < 0 ? 0 : size - 1;
        case Padding::Circular: {
            // C++ '%' keeps the sign of the dividend, so shift negatives into [0, size).
            int64_t r = i % size;
            return r < 0 ? r + size : r;
        }
    }
    return -1;
}

inline void require(bool condition, const std::string &message) {
    if (!condition) {
        throw std::invalid_argument("convc_reference::conv2d: " + message);
    }
}

inline int64_t output_extent(int64_t in, int64_t before, int64_t after, int64_t kernel, int64_t stride,
                             int64_t dilation) {
    int64_t span = in + before + after - dilation * (kernel - 1) - 1;
    // A negative span means the dilated kernel is larger than the padded input; PyTorch rejects
    // that too. Checking before dividing also avoids C++ truncating -1/2 to 0 instead of flooring.
    require(span >= 0, "the dilated kernel is larger than the padded input");
    return span / stride + 1;
}

inline void check_padding(Padding mode, int64_t before, int64_t after, int64_t size, const char *axis) {
    if (mode == Padding::Zeros) {
        return;
    }
    // Without these limits the single-step mappings in source_index would read out of bounds;
    // they are the same limits torch.nn.functional.pad enforces.
    require(size > 0, std::string("cannot pad an empty ") + axis + " axis");
    if (mode == Padding::Reflect) {
        require(before < size && after < size,
                std::string("reflect padding must be smaller than the input ") + axis);
    }
    if (mode == Padding::Circular) {
        require(before <= size && after <= size,
                std::string("circular padding must not exceed the input ") + axis);
    }
}

}  // namespace detail

// input: NCHW float (shape in_shape), weight: [K, C/groups, kh, kw] float, bias: K floats or nullptr.
// Returns NCHW output in double; out_shape receives its shape. Throws std::invalid_argument on
// inconsistent params.
inline std::vector<double> conv2d(const Conv2dParams &p, const float *input, const std::array<int64_t, 4> &in_shape,
                                  const float *weight, const float *bias, std::array<int64_t, 4> &out_shape) {
    using detail::require;
    const int64_t N = in_shape[0], C = in_shape[1], H = in_shape[2], W = in_shape[3];
    require(N >= 0 && H >= 0 && W >= 0, "negative input extent");
    require(p.in_channels > 0 && p.out_channels > 0, "channel counts must be positive");
    require(C == p.in_channels, "input has " + std::to_string(C) + " channels but in_channels is " +
                                    std::to_string(p.in_channels));
    require(p.groups > 0, "groups must be positive");
    require(p.in_channels % p.groups == 0 && p.out_channels % p.groups == 0,
            "in_channels and out_channels must both be divisible by groups");
    require(p.kernel_h > 0 && p.kernel_w > 0, "kernel size must be positive");
    require(p.stride_h > 0 && p.stride_w > 0, "stride must be positive");
    require(p.dilation_h > 0 && p.dilation_w > 0, "dilation must be positive");
    require(p.pad_top >= 0 && p.pad_bottom >= 0 && p.pad_left >= 0 && p.pad_right >= 0,
            "padding must not be negative");
    detail::check_padding(p.padding, p.pad_top, p.pad_bottom, H, "height");
    detail::check_padding(p.padding, p.pad_left, p.pad_right, W, "width");

    const int64_t OH = detail::output_extent(H, p.pad_top, p.pad_bottom, p.kernel_h, p.stride_h, p.dilation_h);
    const int64_t OW = detail::output_extent(W, p.pad_left, p.pad_right, p.kernel_w, p.stride_w, p.dilation_w);
    const int64_t K = p.out_channels;
    out_shape = {N, K, OH, OW};
    if (N > 0) {
        require(input != nullptr && weight != nullptr, "input and weight must not be null");
    }

    const int64_t c_per_group = C / p.groups;
    const int64_t k_per_group = K / p.groups;
    std::vector<double> out(static_cast<size_t>(N * K * OH * OW), 0.0);

    for (int64_t n = 0; n < N; ++n) {
        for (int64_t k = 0; k < K; ++k) {
            // Output channel k only sees the input channels of its own group.
            const int64_t g = k / k_per_group;
            for (int64_t oy = 0; oy < OH; ++oy) {
                for (int64_t ox = 0; ox < OW; ++ox) {
                    double acc = bias ? static_cast<double>(bias[k]) : 0.0;
                    for (int64_t cg = 0; cg < c_per_group; ++cg) {
                        const int64_t c = g * c_per_group + cg;
                        for (int64_t ky = 0; ky < p.kernel_h; ++ky) {
                            // Coordinates are in the unpadded input; padding shifts the origin.
                            const int64_t iy = detail::source_index(
                                p.padding, oy * p.stride_h + ky * p.dilation_h - p.pad_top, H);
                            if (iy < 0) {
                                continue;
                            }
                            for (int64_t kx = 0; kx < p.kernel_w; ++kx) {
                                const int64_t ix = detail::source_index(
                                    p.padding, ox * p.stride_w + kx * p.dilation_w - p.pad_left, W);
                                if (ix < 0) {
                                    continue;
                                }
                                const double x = input[((n * C + c) * H + iy) * W + ix];
                                const double w = weight[((k * c_per_group + cg) * p.kernel_h + ky) * p.kernel_w + kx];
                                acc += x * w;
                            }
                        }
                    }
                    out[static_cast<size_t>(((n * K + k) * OH + oy) * OW + ox)] = acc;
                }
            }
        }
    }
    return out;
}

}  // namespace convc_reference
