#pragma once

#include <cstddef>
#include <memory>

namespace convc {

// Floats for the tensors a benchmark times kernels on, in 2 MB pages where Linux grants them
// (transparent huge pages, `madvise` mode on the hosts measured), else in ordinary pages.
// In 4 KB pages a tensor's place in L2 depends on which physical pages it got, different for
// every buffer: one schedule ran 1.4x apart on two sets of buffers, and two threads writing the
// same 1.8 MB took 20.6-31.5 us a call over six processes, against 19.3-22.8 us in 2 MB pages.
// Zeroed, and touched here, so that no timed call pays for the first touch.
class HugePageFloats {
public:
    HugePageFloats() = default;
    explicit HugePageFloats(size_t count);

    float *data() { return data_.get(); }
    const float *data() const { return data_.get(); }
    size_t size() const { return count_; }

private:
    struct Release {
        size_t bytes;
        void operator()(float *p) const;
    };
    std::unique_ptr<float, Release> data_{nullptr, Release{0}};
    size_t count_ = 0;
};

}  // namespace convc
