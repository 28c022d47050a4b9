#pragma once

#include <string>

namespace convc {

// Where a value came from in a spec file, so that every diagnostic can point at it.
struct SourceLocation {
    std::string file;
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based; 0 when unknown

    std::string to_string() const;
};

}  // namespace convc
