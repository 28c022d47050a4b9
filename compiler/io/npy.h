#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convc {

// A float32 NumPy array in C order, the only kind convc reads or writes.
struct NpyArray {
    std::vector<int64_t> shape;
    std::vector<float> data;
};

// Throws SpecError naming the file when it is not a little-endian float32 C-order .npy.
NpyArray read_npy(const std::string &path);

// Writes through a temporary file renamed at the end, so a reader never sees half an array.
void write_npy(const std::string &path, const std::vector<int64_t> &shape, const float *data);

}  // namespace convc
