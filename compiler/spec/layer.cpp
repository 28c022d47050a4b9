#include "spec/layer.h"

namespace convc {

const SourceLocation &Layer::location_of(const std::string &key) const {
    auto it = key_locations.find(key);
    return it == key_locations.end() ? location : it->second;
}

const char *padding_mode_name(PaddingMode mode) {
    switch (mode) {
    case PaddingMode::Zeros:
        return "zeros";
    case PaddingMode::Reflect:
        return "reflect";
    case PaddingMode::Replicate:
        return "replicate";
    case PaddingMode::Circular:
        return "circular";
    }
    return "zeros";
}

const char *layout_name(MemoryLayout layout) {
    return layout == MemoryLayout::Nhwc ? "nhwc" : "nchw";
}

}  // namespace convc
