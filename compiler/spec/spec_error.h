#pragma once

#include <stdexcept>
#include <string>

#include "spec/source_location.h"

namespace convc {

// A problem with what the user asked for (a spec, a flag, an array): exit status 2.
// The message names the file, line, column and key so the user can go straight to it.
class SpecError : public std::runtime_error {
public:
    SpecError(const SourceLocation &where, const std::string &key, const std::string &message);
    explicit SpecError(const std::string &message);

    const SourceLocation &where() const { return where_; }
    const std::string &key() const { return key_; }

private:
    SourceLocation where_;
    std::string key_;
};

}  // namespace convc
