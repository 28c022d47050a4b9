#include "spec/parse_spec.h"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "spec/did_you_mean.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

const std::vector<std::string> kModuleKeys = {"name", "layers"};
const std::vector<std::string> kLayerKeys = {"name",     "op",     "in_channels", "out_channels", "kernel_size",
                                             "stride",   "padding", "dilation",   "groups",       "bias",
                                             "padding_mode", "layout", "input_shape", "dtype"};
const std::vector<std::string> kOps = {"conv2d"};
const std::vector<std::string> kPaddingModes = {"zeros", "reflect", "replicate", "circular"};
const std::vector<std::string> kLayouts = {"nchw", "nhwc"};

// Turns yaml-cpp nodes into Layer fields, keeping the position of everything it reads.
class SpecReader {
public:
    explicit SpecReader(std::string file)
        : file_(std::move(file)) {
    }

    ModuleSpec read_module(const YAML::Node &root) const {
        ModuleSpec module;
        module.location = where(root);
        if (!root.IsMap()) {
            throw SpecError(where(root), "", "a spec must be a mapping with the keys 'name' and 'layers'");
        }
        check_keys(root, kModuleKeys, "module");
        module.name = read_string(require(root, "name", module.location), "name");
        module.name_location = key_location(root, "name");
        YAML::Node layers = require(root, "layers", module.location);
        if (!layers.IsSequence() || layers.size() == 0) {
            throw SpecError(where(layers), "layers", "expected a non-empty list of layers");
        }
        for (const YAML::Node &node : layers) {
            module.layers.push_back(read_layer(node));
        }
        return module;
    }

private:
    std::string file_;

    SourceLocation where(const YAML::Node &node) const {
        YAML::Mark mark = node.Mark();
        if (mark.is_null()) {
            return {file_, 0, 0};
        }
        return {file_, mark.line + 1, mark.column + 1};
    }

    SourceLocation where(const YAML::Mark &mark) const {
        return {file_, mark.line + 1, mark.column + 1};
    }

    // A null value's mark is wherever the parser went next (often the following line), so
    // problems with a value that is absent are reported at its key.
    SourceLocation key_location(const YAML::Node &map, const std::string &key) const {
        for (const auto &entry : map) {
            if (entry.first.IsScalar() && entry.first.Scalar() == key) {
                return where(entry.first);
            }
        }
        return where(map);
    }

    YAML::Node require(const YAML::Node &map, const std::string &key, const SourceLocation &owner) const {
        YAML::Node value = map[key];
        if (!value) {
            throw SpecError(owner, key, "missing required key");
        }
        if (value.IsNull()) {
            throw SpecError(key_location(map, key), key, "has no value");
        }
        return value;
    }

    void check_keys(const YAML::Node &map, const std::vector<std::string> &allowed, const std::string &what) const {
        std::set<std::string> seen;
        for (const auto &entry : map) {
            const YAML::Node &key = entry.first;
            if (!key.IsScalar()) {
                throw SpecError(where(key), "", "keys of a " + what + " must be plain names");
            }
            std::string name = key.Scalar();
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                throw SpecError(where(key), name, "unknown key in a " + what + did_you_mean(name, allowed));
            }
            if (!seen.insert(name).second) {
                throw SpecError(where(key), name, "duplicate key");
            }
        }
    }

    std::string read_string(const YAML::Node &node, const std::string &key) const {
        if (!node.IsScalar()) {
            throw SpecError(where(node), key, "expected a string");
        }
        return node.Scalar();
    }

    std::string read_choice(const YAML::Node &node, const std::string &key,
                            const std::vector<std::string> &choices) const {
        std::string value = read_string(node, key);
        if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
            std::string listed;
            for (const std::string &c : choices) {
                listed += (listed.empty() ? "" : ", ") + c;
            }
            throw SpecError(where(node), key,
                            "'" + value + "' is not one of " + listed + did_you_mean(value, choices));
        }
        return value;
    }

    int64_t read_int(const YAML::Node &node, const std::string &key) const {
        int64_t value = 0;
        if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value)) {
            throw SpecError(where(node), key, "expected an integer, got " + describe(node));
        }
        return value;
    }

    bool read_bool(const YAML::Node &node, const std::string &key) const {
        bool value = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
            throw SpecError(where(node), key, "expected true or false, got " + describe(node));
        }
        return value;
    }

    // An int or an [h, w] list, as PyTorch's _pair accepts.
    HW read_pair(const YAML::Node &node, const std::string &key) const {
        if (node.IsSequence()) {
            if (node.size() != 2) {
                throw SpecError(where(node), key, "expected an integer or a list [h, w] of two integers");
            }
            return {read_int(node[0], key), read_int(node[1], key)};
        }
        int64_t v = read_int(node, key);
        return {v, v};
    }

    void read_padding(const YAML::Node &node, Layer &layer) const {
        if (node.IsScalar()) {
            const std::string &text = node.Scalar();
            if (text == "same") {
                layer.padding_kind = PaddingKind::Same;
                return;
            }
            if (text == "valid") {
                layer.padding_kind = PaddingKind::Valid;
                return;
            }
            int64_t value = 0;
            if (!YAML::convert<int64_t>::decode(node, value)) {
                throw SpecError(where(node), "padding",
                                "expected an integer, [h, w], 'same' or 'valid', got '" + text + "'" +
                                    did_you_mean(text, {"same", "valid"}));
            }
        }
        layer.padding_kind = PaddingKind::Explicit;
        layer.padding = read_pair(node, "padding");
    }

    std::array<int64_t, 4> read_shape(const YAML::Node &node, const std::string &key) const {
        if (!node.IsSequence() || node.size() != 4) {
            throw SpecError(where(node), key, "expected a list [N, C, H, W] of four integers");
        }
        return {read_int(node[0], key), read_int(node[1], key), read_int(node[2], key), read_int(node[3], key)};
    }

    static std::string describe(const YAML::Node &node) {
        if (node.IsSequence()) {
            return "a list";
        }
        if (node.IsMap()) {
            return "a mapping";
        }
        if (node.IsNull()) {
            return "nothing";
        }
        return "'" + node.Scalar() + "'";
    }

    Layer read_layer(const YAML::Node &node) const {
        Layer layer;
        layer.location = where(node);
        if (!node.IsMap()) {
            throw SpecError(layer.location, "layers", "each layer must be a mapping of keys to values");
        }
        check_keys(node, kLayerKeys, "layer");
        for (const auto &entry : node) {
            layer.key_locations[entry.first.Scalar()] = where(entry.first);
            if (entry.second.IsNull()) {
                throw SpecError(where(entry.first), entry.first.Scalar(), "has no value");
            }
        }
        layer.name = read_string(require(node, "name", layer.location), "name");
        if (node["op"]) {
            layer.op = read_choice(node["op"], "op", kOps);
        }
        layer.in_channels = read_int(require(node, "in_channels", layer.location), "in_channels");
        layer.out_channels = read_int(require(node, "out_channels", layer.location), "out_channels");
        layer.kernel = read_pair(require(node, "kernel_size", layer.location), "kernel_size");
        if (node["stride"]) {
            layer.stride = read_pair(node["stride"], "stride");
        }
        if (node["padding"]) {
            read_padding(node["padding"], layer);
        }
        if (node["dilation"]) {
            layer.dilation = read_pair(node["dilation"], "dilation");
        }
        if (node["groups"]) {
            layer.groups = read_int(node["groups"], "groups");
        }
        if (node["bias"]) {
            layer.bias = read_bool(node["bias"], "bias");
        }
        if (node["padding_mode"]) {
            std::string mode = read_choice(node["padding_mode"], "padding_mode", kPaddingModes);
            layer.padding_mode = static_cast<PaddingMode>(
                std::find(kPaddingModes.begin(), kPaddingModes.end(), mode) - kPaddingModes.begin());
        }
        if (node["layout"]) {
            std::string layout = read_choice(node["layout"], "layout", kLayouts);
            layer.layout = layout == "nhwc" ? MemoryLayout::Nhwc : MemoryLayout::Nchw;
        }
        if (node["input_shape"]) {
            layer.input_shape = read_shape(node["input_shape"], "input_shape");
        }
        if (node["dtype"]) {
            std::string dtype = read_string(node["dtype"], "dtype");
            if (dtype != "float32") {
                throw SpecError(where(node["dtype"]), "dtype",
                                "'" + dtype + "' is not supported: convc computes in float32 only");
            }
        }
        return layer;
    }
};

// yaml-cpp reports an unclosed '[' or '{' where it gave up (often the end of the file);
// the user needs the bracket itself. Quotes and comments are skipped so their brackets don't count.
SourceLocation unclosed_bracket(const std::string &text, size_t end, const SourceLocation &fallback) {
    std::vector<SourceLocation> open;
    int line = 1, column = 0;
    char quote = 0;
    bool comment = false;
    for (size_t i = 0; i < end && i < text.size(); i++) {
        char c = text[i];
        column++;
        if (c == '\n') {
            line++;
            column = 0;
            comment = false;
            continue;
        }
        if (comment) {
            continue;
        }
        if (quote) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])))) {
            comment = true;
        } else if (c == '[' || c == '{') {
            open.push_back({fallback.file, line, column});
        } else if ((c == ']' || c == '}') && !open.empty()) {
            open.pop_back();
        }
    }
    return open.empty() ? fallback : open.back();
}

}  // namespace

ModuleSpec parse_spec_text(const std::string &text, const std::string &file_name) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException &e) {
        SourceLocation at{file_name, e.mark.line + 1, e.mark.column + 1};
        if (e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW || e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) {
            at = unclosed_bracket(text, e.mark.pos, at);
            throw SpecError(at, "", "YAML syntax: this bracket is never closed");
        }
        throw SpecError(at, "", "YAML syntax: " + e.msg);
    }
    if (!root || root.IsNull()) {
        throw SpecError({file_name, 1, 1}, "", "the spec is empty");
    }
    return SpecReader(file_name).read_module(root);
}

ModuleSpec parse_spec_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw SpecError({path, 0, 0}, "", "cannot open the spec file");
    }
    std::stringstream text;
    text << in.rdbuf();
    return parse_spec_text(text.str(), path);
}

}  // namespace convc
