#include "bench/huge_page_floats.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <new>

namespace convc {

namespace {

constexpr size_t kHugePageBytes = size_t(2) << 20;

}  // namespace

HugePageFloats::HugePageFloats(size_t count) : count_(count) {
    if (count == 0) {
        return;
    }
    size_t bytes = (count * sizeof(float) + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    // Only a 2 MB-aligned range can be backed by 2 MB pages: map a page more than needed and
    // give back what lies before and after the aligned range.
    size_t padded = bytes + kHugePageBytes;
    void *mapped = mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) {
        throw std::bad_alloc();
    }
    char *raw = static_cast<char *>(mapped);
    size_t lead = (kHugePageBytes - reinterpret_cast<uintptr_t>(raw) % kHugePageBytes) % kHugePageBytes;
    if (lead > 0) {
        munmap(raw, lead);
    }
    munmap(raw + lead + bytes, padded - lead - bytes);
    char *p = raw + lead;
    madvise(p, bytes, MADV_HUGEPAGE);  // advice only: ordinary pages where it is not taken
    std::memset(p, 0, bytes);
    data_ = std::unique_ptr<float, Release>(reinterpret_cast<float *>(p), Release{bytes});
}

void HugePageFloats::Release::operator()(float *p) const {
    if (p != nullptr) {
        munmap(p, bytes);
    }
}

}  // namespace convc
