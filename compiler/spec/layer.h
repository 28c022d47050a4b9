#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/source_location.h"

namespace convc {

// The plain data one spec layer is, with PyTorch nn.Conv2d's meaning and defaults.
// Nothing here knows Halide or YAML.

enum class PaddingMode { Zeros, Reflect, Replicate, Circular };
enum class PaddingKind { Explicit, Same, Valid };
// Where a tensor's elements lie in memory. Shapes are always the logical (N, C, H, W), as in
// PyTorch; Nhwc is PyTorch's channels_last memory format (channels innermost).
enum class MemoryLayout { Nchw, Nhwc };

// A (height, width) pair, the way PyTorch's _pair() expands an int.
struct HW {
    int64_t h = 0;
    int64_t w = 0;
};

struct Layer {
    std::string name;
    std::string op = "conv2d";
    int64_t in_channels = 0;
    int64_t out_channels = 0;
    HW kernel;
    HW stride{1, 1};
    PaddingKind padding_kind = PaddingKind::Explicit;
    HW padding{0, 0};  // only for PaddingKind::Explicit
    HW dilation{1, 1};
    int64_t groups = 1;
    bool bias = true;
    PaddingMode padding_mode = PaddingMode::Zeros;
    MemoryLayout layout = MemoryLayout::Nchw;  // of the input and output; weights are always [K, C/g, kh, kw]
    std::optional<std::array<int64_t, 4>> input_shape;  // N, C, H, W when the spec fixes it

    SourceLocation location;                          // of the layer's mapping
    std::map<std::string, SourceLocation> key_locations;  // of each key the spec wrote

    // Where `key` was written, or the layer itself when the key took its default.
    const SourceLocation &location_of(const std::string &key) const;
    bool channels_last() const { return layout == MemoryLayout::Nhwc; }
};

// One spec file: one generated library.
struct ModuleSpec {
    std::string name;
    std::vector<Layer> layers;
    SourceLocation location;
    SourceLocation name_location;  // of the 'name' key, where a bad module name is reported
};

const char *padding_mode_name(PaddingMode mode);
const char *layout_name(MemoryLayout layout);

}  // namespace convc
