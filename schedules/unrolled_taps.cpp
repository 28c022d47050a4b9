#include "schedules/unrolled_taps.h"

namespace convc {

bool unrolls_window_rows(int tile_vectors, const Halide::RDom &window) {
    const int64_t *width = Halide::Internal::as_const_int(window.x.extent());
    const int64_t *height = Halide::Internal::as_const_int(window.y.extent());
    return width && height && tile_vectors * *width * *height <= kMaxUnrolledMultiplyAdds;
}

}  // namespace convc
