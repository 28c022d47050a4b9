#pragma once

#include <string>

namespace convc {

// The processor this process runs on, as the schedule database records it: /proc/cpuinfo's
// model name with its vendor, family and model numbers ("AMD EPYC (AuthenticAMD family 26
// model 2)"). Halide's target string cannot tell such machines apart: an AVX-512 Zen 5 and
// an Intel Sapphire Rapids host get the same one, and the fastest schedules differ between
// them. Empty where the system does not say.
std::string host_cpu_name();

// The same from the text of a /proc/cpuinfo: its first processor's fields.
std::string cpu_name_from_cpuinfo(const std::string &cpuinfo);

}  // namespace convc
