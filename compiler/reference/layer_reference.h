#pragma once

#include "reference/conv2d_reference.h"
#include "spec/layer.h"

namespace convc {

// The reference's parameters for a spec layer, with 'same'/'valid' resolved.
convc_reference::Conv2dParams reference_params(const Layer &layer);

}  // namespace convc
