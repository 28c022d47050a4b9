#include "spec/validate_spec.h"

#include <cctype>
#include <set>

#include "spec/layer_geometry.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

const std::set<std::string> kCppKeywords = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
    "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
    "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
    "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
    "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short",
    "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this",
    "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual",
    "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};

// Names the generated wrapper declares next to the layer namespaces.
const std::set<std::string> kWrapperNames = {"Error", "ConstTensorView", "TensorView", "LayerInfo", "output_extent",
                                             "output_shape", "flops", "layers", "std"};

void check_name(const std::string &name, const SourceLocation &where) {
    if (kWrapperNames.count(name)) {
        throw SpecError(where, "name", "'" + name + "' is reserved: the generated wrapper declares it");
    }
    if (kCppKeywords.count(name)) {
        throw SpecError(where, "name", "'" + name + "' is a C++ keyword; it would name generated functions");
    }
    if (!is_cpp_identifier(name)) {
        throw SpecError(where, "name",
                        "'" + name + "' is not a valid C++ identifier (letters, digits and '_', not starting with a "
                                     "digit, not a keyword, no '__'); it names generated functions");
    }
}

void check_positive(const Layer &layer, const std::string &key, int64_t value) {
    if (value <= 0) {
        throw SpecError(layer.location_of(key), key, "must be positive, got " + std::to_string(value));
    }
}

void check_positive(const Layer &layer, const std::string &key, const HW &value) {
    check_positive(layer, key, value.h);
    check_positive(layer, key, value.w);
}

void check_groups(const Layer &layer) {
    if (layer.in_channels % layer.groups != 0) {
        throw SpecError(layer.location_of("groups"), "groups",
                        "in_channels (" + std::to_string(layer.in_channels) + ") must be divisible by groups (" +
                            std::to_string(layer.groups) + ")");
    }
    if (layer.out_channels % layer.groups != 0) {
        throw SpecError(layer.location_of("groups"), "groups",
                        "out_channels (" + std::to_string(layer.out_channels) + ") must be divisible by groups (" +
                            std::to_string(layer.groups) + ")");
    }
}

void check_padding(const Layer &layer) {
    if (layer.padding_kind == PaddingKind::Explicit && (layer.padding.h < 0 || layer.padding.w < 0)) {
        throw SpecError(layer.location_of("padding"), "padding", "must not be negative");
    }
    if (layer.padding_kind == PaddingKind::Same && (layer.stride.h != 1 || layer.stride.w != 1)) {
        throw SpecError(layer.location_of("padding"), "padding",
                        "'same' is not supported for strided convolutions (stride must be 1, as in PyTorch)");
    }
}

void check_input_shape(const Layer &layer) {
    if (!layer.input_shape) {
        return;
    }
    const Shape4 &shape = *layer.input_shape;
    if (shape[0] < 0 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
        throw SpecError(layer.location_of("input_shape"), "input_shape",
                        "needs N >= 0 and positive C, H, W; got " + shape_to_string(shape));
    }
    std::string problem = input_shape_problem(layer, shape);
    if (!problem.empty()) {
        throw SpecError(layer.location_of("input_shape"), "input_shape", problem);
    }
}

void validate_layer(const Layer &layer) {
    check_name(layer.name, layer.location_of("name"));
    check_positive(layer, "in_channels", layer.in_channels);
    check_positive(layer, "out_channels", layer.out_channels);
    check_positive(layer, "kernel_size", layer.kernel);
    check_positive(layer, "stride", layer.stride);
    check_positive(layer, "dilation", layer.dilation);
    check_positive(layer, "groups", layer.groups);
    check_groups(layer);
    check_padding(layer);
    check_input_shape(layer);
}

}  // namespace

bool is_cpp_identifier(const std::string &name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
        return false;
    }
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
            return false;
        }
    }
    return name.find("__") == std::string::npos && !kCppKeywords.count(name);
}

void validate_spec(const ModuleSpec &module) {
    check_name(module.name, module.name_location);
    std::set<std::string> names;
    for (const Layer &layer : module.layers) {
        validate_layer(layer);
        if (!names.insert(layer.name).second) {
            throw SpecError(layer.location_of("name"), "name", "duplicate layer name '" + layer.name + "'");
        }
    }
}

}  // namespace convc
