#include "io/npy.h"

#include <cstring>
#include <fstream>
#include <regex>

#include "io/atomic_file.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

const char kMagic[] = "\x93NUMPY";

SpecError npy_error(const std::string &path, const std::string &message) {
    return SpecError({path, 0, 0}, "", message);
}

std::vector<int64_t> parse_shape(const std::string &path, const std::string &header) {
    std::smatch match;
    if (!std::regex_search(header, match, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)"))) {
        throw npy_error(path, "the .npy header has no shape");
    }
    std::vector<int64_t> shape;
    std::string dims = match[1];
    std::regex number("[0-9]+");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it) {
        shape.push_back(std::stoll(it->str()));
    }
    return shape;
}

void check_header(const std::string &path, const std::string &header) {
    if (!std::regex_search(header, std::regex("'descr'\\s*:\\s*'<f4'"))) {
        throw npy_error(path, "expected a float32 array (dtype '<f4'); convert it with .astype(numpy.float32)");
    }
    if (!std::regex_search(header, std::regex("'fortran_order'\\s*:\\s*False"))) {
        throw npy_error(path, "expected a C-ordered array; save numpy.ascontiguousarray(a)");
    }
}

}  // namespace

NpyArray read_npy(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw npy_error(path, "cannot open the array file");
    }
    char magic[8] = {};
    in.read(magic, 8);
    if (!in || std::memcmp(magic, kMagic, 6) != 0) {
        throw npy_error(path, "not a NumPy .npy file");
    }
    uint32_t header_length = 0;
    if (magic[6] == 1) {
        uint8_t bytes[2] = {};
        in.read(reinterpret_cast<char *>(bytes), 2);
        header_length = bytes[0] | (bytes[1] << 8);
    } else {
        uint8_t bytes[4] = {};
        in.read(reinterpret_cast<char *>(bytes), 4);
        header_length = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (uint32_t(bytes[3]) << 24);
    }
    std::string header(header_length, '\0');
    in.read(header.data(), header_length);
    if (!in) {
        throw npy_error(path, "truncated .npy header");
    }
    check_header(path, header);
    NpyArray array;
    array.shape = parse_shape(path, header);
    int64_t count = 1;
    for (int64_t d : array.shape) {
        count *= d;
    }
    array.data.resize(count);
    in.read(reinterpret_cast<char *>(array.data.data()), count * sizeof(float));
    if (!in && count > 0) {
        throw npy_error(path, "the file holds fewer values than its shape says");
    }
    return array;
}

void write_npy(const std::string &path, const std::vector<int64_t> &shape, const float *data) {
    std::string dims;
    int64_t count = 1;
    for (int64_t d : shape) {
        dims += std::to_string(d) + ", ";
        count *= d;
    }
    if (shape.size() > 1) {
        dims.resize(dims.size() - 1);  // "(2, 3)" but "(4,)" for one dimension, as NumPy writes
    }
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // The data must start on a 64-byte boundary: magic(6) + version(2) + length(2) + header + '\n'.
    size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    std::string bytes(kMagic, 6);
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>((header.size() >> 8) & 0xff);
    bytes += header;
    bytes.append(reinterpret_cast<const char *>(data), count * sizeof(float));
    write_file_atomically(path, bytes);
}

}  // namespace convc
