#include "spec/spec_error.h"

namespace convc {

std::string SourceLocation::to_string() const {
    std::string text = file;
    if (line > 0) {
        text += ":" + std::to_string(line);
        if (column > 0) {
            text += ":" + std::to_string(column);
        }
    }
    return text;
}

namespace {

std::string format_spec_error(const SourceLocation &where, const std::string &key, const std::string &message) {
    std::string text = where.to_string();
    if (!text.empty()) {
        text += ": ";
    }
    text += "error: ";
    if (!key.empty()) {
        text += "'" + key + "': ";
    }
    return text + message;
}

}  // namespace

SpecError::SpecError(const SourceLocation &where, const std::string &key, const std::string &message)
    : std::runtime_error(format_spec_error(where, key, message)), where_(where), key_(key) {
}

SpecError::SpecError(const std::string &message)
    : std::runtime_error("error: " + message) {
}

}  // namespace convc
