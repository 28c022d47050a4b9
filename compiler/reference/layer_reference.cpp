#include "reference/layer_reference.h"

#include "spec/layer_geometry.h"

namespace convc {

convc_reference::Conv2dParams reference_params(const Layer &layer) {
    Padding pad = resolved_padding(layer);
    convc_reference::Conv2dParams p;
    p.in_channels = layer.in_channels;
    p.out_channels = layer.out_channels;
    p.kernel_h = layer.kernel.h;
    p.kernel_w = layer.kernel.w;
    p.stride_h = layer.stride.h;
    p.stride_w = layer.stride.w;
    p.pad_top = pad.top;
    p.pad_bottom = pad.bottom;
    p.pad_left = pad.left;
    p.pad_right = pad.right;
    p.dilation_h = layer.dilation.h;
    p.dilation_w = layer.dilation.w;
    p.groups = layer.groups;
    p.padding = static_cast<convc_reference::Padding>(static_cast<int>(layer.padding_mode));
    return p;
}

}  // namespace convc
