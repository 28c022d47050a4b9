#pragma once

#include <string>

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// A schedule written on the command line (compare's --variant, and how `tune` hands its
// finalists to another process): "name=value,..." over the layer's default schedule, or
// "family=F,name=value,..." over F's default. Completed against the layer's spaces; a
// SpecError naming `option`, the parameter and the family's parameters when it fits none.
ScheduleChoice parse_variant(const std::string &text, const Layer &layer, const Halide::Target &target,
                             const std::string &option = "--variant");

// The text parse_variant reads back as `choice`: its family and every parameter.
std::string variant_text(const ScheduleChoice &choice);

}  // namespace convc
