// Every spec under tests/specs/bad must be refused by `convc check` and `convc generate`
// with exit status 2, a diagnostic that points at the offending line and key, and no files.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "convc_command.h"

namespace fs = std::filesystem;

namespace {

constexpr int kBadInput = 2;

struct BadSpec {
    const char *file;     // under tests/specs/bad
    int line;             // where the offending key or value is written
    const char *key;      // quoted in the diagnostic; "" where no key is at fault
    const char *message;  // part of the diagnostic's text
};

// Lines count the comment at the top of each file; keep them in step when editing a spec.
const BadSpec kBadSpecs[] = {
    {"yaml_syntax.yaml", 7, "", "YAML syntax"},
    {"unknown_layer_key.yaml", 7, "kernal_size", "unknown key in a layer (did you mean 'kernel_size'?)"},
    {"unknown_module_key.yaml", 3, "layer", "unknown key in a module (did you mean 'layers'?)"},
    {"wrong_type_int.yaml", 7, "kernel_size", "expected an integer, got 'three'"},
    {"wrong_type_bool.yaml", 8, "bias", "expected true or false, got 'maybe'"},
    {"wrong_type_pair.yaml", 7, "kernel_size", "expected an integer or a list [h, w] of two integers"},
    {"zero_channels.yaml", 5, "in_channels", "must be positive, got 0"},
    {"negative_stride.yaml", 8, "stride", "must be positive, got -1"},
    {"zero_dilation.yaml", 8, "dilation", "must be positive, got 0"},
    {"negative_padding.yaml", 8, "padding", "must not be negative"},
    {"groups_not_dividing_in.yaml", 8, "groups", "in_channels (4) must be divisible by groups (3)"},
    {"groups_not_dividing_out.yaml", 8, "groups", "out_channels (6) must be divisible by groups (4)"},
    {"same_with_stride.yaml", 9, "padding", "'same' is not supported for strided convolutions"},
    {"reflect_too_large.yaml", 10, "input_shape", "reflect padding of 5 must be smaller than the input height 5"},
    {"circular_too_large.yaml", 10, "input_shape", "circular padding of 6 must not exceed the input width 5"},
    {"kernel_larger_than_input.yaml", 8, "input_shape",
     "the dilated kernel (7x7) is larger than the padded input (5x5)"},
    {"duplicate_layer_name.yaml", 8, "name", "duplicate layer name 'conv'"},
    {"bad_identifier.yaml", 4, "name", "'3x3-conv' is not a valid C++ identifier"},
    {"keyword_name.yaml", 4, "name", "'class' is a C++ keyword"},
    {"reserved_name.yaml", 4, "name", "'layers' is reserved"},
    {"bad_module_name.yaml", 8, "name", "'class' is a C++ keyword"},
    {"missing_required_key.yaml", 4, "out_channels", "missing required key"},
    {"empty_value.yaml", 8, "padding", "has no value"},
    {"empty_module_name.yaml", 2, "name", "has no value"},
    {"empty_spec.yaml", 1, "", "the spec is empty"},
    {"unknown_padding_mode.yaml", 9, "padding_mode", "(did you mean 'reflect'?)"},
    {"unknown_layout.yaml", 9, "layout", "'NHWC' is not one of nchw, nhwc (did you mean 'nhwc'?)"},
    {"bad_padding_string.yaml", 8, "padding", "(did you mean 'same'?)"},
    {"unknown_op.yaml", 5, "op", "'conv3d' is not one of conv2d"},
    {"bad_dtype.yaml", 8, "dtype", "convc computes in float32 only"},
    {"duplicate_key.yaml", 8, "kernel_size", "duplicate key"},
    {"wrong_input_shape_channels.yaml", 8, "input_shape", "input has 3 channels but the layer expects in_channels = 4"},
    {"empty_layers.yaml", 3, "layers", "expected a non-empty list of layers"},
};

// Names the case in failure messages instead of dumping the struct's bytes.
void PrintTo(const BadSpec &spec, std::ostream *os) {
    *os << spec.file;
}

using convc_test::CommandResult;
using convc_test::run_convc_line;
using convc_test::shell_quote;

using convc_test::TempDir;

std::string spec_path(const BadSpec &spec) {
    return (fs::path(CONVC_TEST_SPECS_DIR) / "bad" / spec.file).string();
}

void expect_points_at_problem(const BadSpec &spec, const CommandResult &result) {
    EXPECT_EQ(result.status, kBadInput) << result.output;
    std::string location = spec_path(spec) + ":" + std::to_string(spec.line) + ":";
    EXPECT_NE(result.output.find(location), std::string::npos) << "expected " << location << " in:\n" << result.output;
    EXPECT_NE(result.output.find("error: "), std::string::npos) << result.output;
    if (*spec.key != '\0') {
        std::string key = "'" + std::string(spec.key) + "':";
        EXPECT_NE(result.output.find(key), std::string::npos) << "expected " << key << " in:\n" << result.output;
    }
    EXPECT_NE(result.output.find(spec.message), std::string::npos)
        << "expected \"" << spec.message << "\" in:\n" << result.output;
}

std::set<std::string> entries_of(const fs::path &dir) {
    std::set<std::string> names;
    for (const auto &entry : fs::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

class BadSpecTest : public testing::TestWithParam<BadSpec> {};

TEST_P(BadSpecTest, CheckRefusesIt) {
    const BadSpec &spec = GetParam();
    expect_points_at_problem(spec, run_convc_line("check " + shell_quote(spec_path(spec))));
}

TEST_P(BadSpecTest, GenerateRefusesItAndLeavesNothing) {
    const BadSpec &spec = GetParam();
    TempDir temp;
    ASSERT_FALSE(temp.path().empty());
    fs::path out = temp.path() / "out";
    expect_points_at_problem(spec,
                             run_convc_line("generate " + shell_quote(spec_path(spec)) + " -o " + shell_quote(out.string())));
    EXPECT_FALSE(fs::exists(out));
    // Staging folders sit beside the output folder, so the whole parent must stay empty.
    EXPECT_EQ(entries_of(temp.path()), std::set<std::string>{});
}

std::string case_name(const testing::TestParamInfo<BadSpec> &info) {
    return fs::path(info.param.file).stem().string();
}

INSTANTIATE_TEST_SUITE_P(Specs, BadSpecTest, testing::ValuesIn(kBadSpecs), case_name);

// A spec added to tests/specs/bad without a row here would silently go untested.
TEST(BadSpecTable, CoversEveryFile) {
    std::set<std::string> listed;
    for (const BadSpec &spec : kBadSpecs) {
        EXPECT_TRUE(listed.insert(spec.file).second) << spec.file << " is listed twice";
    }
    EXPECT_EQ(entries_of(fs::path(CONVC_TEST_SPECS_DIR) / "bad"), listed);
}

}  // namespace
