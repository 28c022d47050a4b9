// The convc command line as a user meets it: help, exit statuses, `check` output,
// reproducible `generate` folders, and `run` on .npy arrays, including how it refuses bad ones.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "convc_command.h"
#include "io/npy.h"

namespace fs = std::filesystem;

namespace {

constexpr int kSuccess = 0;
constexpr int kBadInput = 2;

using convc_test::CommandResult;
using convc_test::run_convc;
using convc_test::shell_quote;

bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

using convc_test::TempDir;

std::string read_bytes(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string &path, const std::string &bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// Relative paths of everything under `dir`, hidden staging leftovers included.
std::set<std::string> tree_of(const fs::path &dir) {
    std::set<std::string> names;
    for (const auto &entry : fs::recursive_directory_iterator(dir)) {
        names.insert(fs::relative(entry.path(), dir).string());
    }
    return names;
}

std::string seed_spec() {
    return std::string(CONVC_SOURCE_DIR) + "/specs/examples/seed_example.yaml";
}

// ---- help and argument errors ----

TEST(CliUsage, TopLevelHelpListsTheVerbs) {
    CommandResult r = run_convc({"--help"});
    EXPECT_EQ(r.status, kSuccess) << r.output;
    EXPECT_TRUE(contains(r.output, "Usage:")) << r.output;
    for (const char *verb : {"check", "generate", "run"}) {
        EXPECT_TRUE(contains(r.output, verb)) << verb << " missing from:\n" << r.output;
    }
}

TEST(CliUsage, EachVerbHasHelp) {
    for (const std::string verb : {"check", "generate", "run"}) {
        CommandResult r = run_convc({verb, "--help"});
        EXPECT_EQ(r.status, kSuccess) << verb << ":\n" << r.output;
        EXPECT_TRUE(contains(r.output, "Usage:")) << r.output;
        EXPECT_TRUE(contains(r.output, " " + verb + " [OPTIONS] spec")) << r.output;
    }
}

TEST(CliUsage, NoVerbIsBadInput) {
    CommandResult r = run_convc({});
    EXPECT_EQ(r.status, kBadInput) << r.output;
    EXPECT_TRUE(contains(r.output, "subcommand")) << r.output;
}

TEST(CliUsage, UnknownVerbIsBadInput) {
    CommandResult r = run_convc({"bogus"});
    EXPECT_EQ(r.status, kBadInput) << r.output;
    EXPECT_FALSE(r.output.empty());
}

TEST(CliUsage, GenerateWithoutSpecIsBadInput) {
    CommandResult r = run_convc({"generate"});
    EXPECT_EQ(r.status, kBadInput) << r.output;
    EXPECT_TRUE(contains(r.output, "spec is required")) << r.output;
}

TEST(CliUsage, MissingSpecFileIsBadInput) {
    CommandResult r = run_convc({"check", "/nonexistent/spec.yaml"});
    EXPECT_EQ(r.status, kBadInput) << r.output;
    EXPECT_TRUE(contains(r.output, "/nonexistent/spec.yaml: error: cannot open the spec file")) << r.output;
}

// ---- check ----

// The line of `check`'s output that gives a layer's shapes and MACs.
std::string shape_line_of(const std::string &output, const std::string &layer) {
    size_t start = output.find("  " + layer + ": ");
    size_t line = start == std::string::npos ? start : output.find("    input ", start);
    if (line == std::string::npos) {
        return "";
    }
    return output.substr(line, output.find('\n', line) - line);
}

TEST(CliCheck, PrintsShapesAndMacsOfTheSeedExample) {
    CommandResult r = run_convc({"check", seed_spec()});
    ASSERT_EQ(r.status, kSuccess) << r.output;
    EXPECT_TRUE(contains(r.output, "module seed_example, 3 layers, ok")) << r.output;
    EXPECT_EQ(shape_line_of(r.output, "conv_pad1"), "    input [1, 1, 5, 5] -> output [1, 1, 5, 5], MACs 225");
    EXPECT_EQ(shape_line_of(r.output, "conv_valid"), "    input [1, 1, 5, 5] -> output [1, 1, 3, 3], MACs 81");
    EXPECT_EQ(shape_line_of(r.output, "conv_same"), "    input [1, 1, 5, 5] -> output [1, 1, 5, 5], MACs 225");
}

// ---- generate ----

const std::set<std::string> kSeedBundle = {"libseed_example.a",       "seed_example.h",
                                           "seed_example.cpp",        "HalideRuntime.h",
                                           "convc_spinning_thread_pool.h", "seed_example.pc",
                                           "seed_exampleConfig.cmake"};

void expect_bundle(const fs::path &dir) {
    std::set<std::string> files = tree_of(dir);
    for (const std::string &name : kSeedBundle) {
        EXPECT_TRUE(files.count(name)) << name << " missing from " << dir;
    }
}

// Whatever the number of kernels compiled at once: resnet_blocks' layers for x86's three
// variants eight at a time, then one by one. Halide numbers the Funcs a pipeline names like an
// earlier pipeline's (`packed_weight$3`), and the numbers reach this library's symbols
// (`..._par_for_packed_weight__3_s0_kb`); the seed's kernels have none. With the pipelines built
// on the compiling threads instead of first, in the module's order, the libraries differed in
// 8 runs of 8 (thirty-seventh session); with the seed, in none of 4.
TEST(CliGenerate, IsReproducible) {
    TempDir temp;
    const std::string spec = std::string(CONVC_SOURCE_DIR) + "/specs/examples/resnet_blocks.yaml";
    CommandResult first = run_convc({"generate", spec, "-t", "x86", "-j", "8", "-o", temp / "first"});
    CommandResult second = run_convc({"generate", spec, "-t", "x86", "--jobs", "1", "-o", temp / "second"});
    ASSERT_EQ(first.status, kSuccess) << first.output;
    ASSERT_EQ(second.status, kSuccess) << second.output;
    EXPECT_TRUE(contains(first.output, "convc: compiling 21 kernel(s) of resnet_blocks for x86 on up to 8 thread(s)"))
        << first.output;
    EXPECT_TRUE(contains(read_bytes(temp.path() / "first" / "libresnet_blocks.a"), "packed_weight__3"));
    std::set<std::string> files = tree_of(temp / "first");
    ASSERT_EQ(tree_of(temp / "second"), files);
    for (const std::string &name : files) {
        EXPECT_TRUE(read_bytes(temp.path() / "first" / name) == read_bytes(temp.path() / "second" / name))
            << name << " differs between two runs";
    }
    EXPECT_EQ(tree_of(temp.path()).size(), 2 + 2 * files.size()) << "leftovers beside the output folders";
}

TEST(CliGenerate, AcceptsAnExplicitTarget) {
    TempDir temp;
    CommandResult r = run_convc({"generate", seed_spec(), "--target", "x86-64-linux-avx2-fma", "-o", temp / "out"});
    ASSERT_EQ(r.status, kSuccess) << r.output;
    expect_bundle(temp / "out");
    // The header records the target, so a bundle built for the wrong machine is recognisable.
    EXPECT_TRUE(contains(read_bytes(temp.path() / "out" / "seed_example.h"), "x86-64-linux-avx2-fma"));
}

TEST(CliGenerate, RefusesAnUnknownTargetAndWritesNothing) {
    TempDir temp;
    CommandResult r = run_convc({"generate", seed_spec(), "--target", "not-a-target", "-o", temp / "out"});
    EXPECT_EQ(r.status, kBadInput) << r.output;
    EXPECT_TRUE(contains(r.output, "'--target'")) << r.output;
    EXPECT_TRUE(contains(r.output, "'not-a-target' is neither an alias")) << r.output;
    EXPECT_TRUE(tree_of(temp.path()).empty());
}

// ---- run ----

// The textbook example: every input row is 1..5 and every kernel row 1..3.
std::vector<float> repeated_rows(const std::vector<float> &row, int rows) {
    std::vector<float> values;
    for (int i = 0; i < rows; i++) {
        values.insert(values.end(), row.begin(), row.end());
    }
    return values;
}

// A float64 array, which convc must refuse rather than reinterpret.
std::string float64_npy() {
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 5, 5), }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');  // data on a 64-byte boundary
    header += '\n';
    std::string bytes = "\x93NUMPY\x01";
    bytes += '\0';
    bytes += static_cast<char>(header.size());
    bytes += '\0';
    bytes += header;
    std::vector<double> values(25, 1.0);
    bytes.append(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(double));
    return bytes;
}

const char kBiasedSpec[] = R"(name: biased
layers:
  - name: conv
    in_channels: 1
    out_channels: 1
    kernel_size: 3
    padding: 1
)";

class CliRun : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(temp_.path().empty());
        write("x.npy", {1, 1, 5, 5}, repeated_rows({1, 2, 3, 4, 5}, 5));
        write("w.npy", {1, 1, 3, 3}, repeated_rows({1, 2, 3}, 3));
        write_bytes(temp_ / "biased.yaml", kBiasedSpec);
    }

    void write(const std::string &name, const std::vector<int64_t> &shape, const std::vector<float> &values) {
        convc::write_npy(temp_ / name, shape, values.data());
    }

    std::string path(const std::string &name) const { return temp_ / name; }

    CommandResult run(const std::string &spec, const std::string &layer, const std::string &input,
                      const std::string &weight, const std::vector<std::string> &extra = {}) {
        std::vector<std::string> args = {"run", spec, "--layer", layer, "--input", input, "--weight", weight,
                                         "--output", path("y.npy")};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_convc(args);
    }

    // Refused with status 2 and every `parts` in the message, leaving no output and no temporary.
    void expect_refused(const CommandResult &r, const std::vector<std::string> &parts) {
        EXPECT_EQ(r.status, kBadInput) << r.output;
        EXPECT_TRUE(contains(r.output, "error: ")) << r.output;
        for (const std::string &part : parts) {
            EXPECT_TRUE(contains(r.output, part)) << "expected \"" << part << "\" in:\n" << r.output;
        }
        for (const std::string &name : tree_of(temp_.path())) {
            EXPECT_EQ(name.find("y.npy"), std::string::npos) << name << " was written";
        }
    }

    TempDir temp_;
};

TEST_F(CliRun, ComputesTheTextbookExample) {
    CommandResult r = run(seed_spec(), "conv_pad1", path("x.npy"), path("w.npy"));
    ASSERT_EQ(r.status, kSuccess) << r.output;
    convc::NpyArray y = convc::read_npy(path("y.npy"));
    EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1, 5, 5}));
    std::vector<float> edge = {16, 28, 40, 52, 28};
    std::vector<float> middle = {24, 42, 60, 78, 42};
    std::vector<float> expected = edge;
    for (int i = 0; i < 3; i++) {
        expected.insert(expected.end(), middle.begin(), middle.end());
    }
    expected.insert(expected.end(), edge.begin(), edge.end());
    EXPECT_EQ(y.data, expected);  // small integers: float32 sums them exactly
    EXPECT_EQ(tree_of(temp_.path()), (std::set<std::string>{"biased.yaml", "w.npy", "x.npy", "y.npy"}));
}

TEST_F(CliRun, RefusesAWeightOfTheWrongShape) {
    write("w2.npy", {1, 1, 2, 2}, std::vector<float>(4, 1.0f));
    expect_refused(run(seed_spec(), "conv_pad1", path("x.npy"), path("w2.npy")),
                   {"layer 'conv_pad1'", "the weight must be [1, 1, 3, 3], got [1, 1, 2, 2]"});
}

TEST_F(CliRun, RefusesABiasForALayerWithout) {
    write("b.npy", {1}, {1.0f});
    expect_refused(run(seed_spec(), "conv_pad1", path("x.npy"), path("w.npy"), {"--bias", path("b.npy")}),
                   {"the layer has no bias (bias: false) but one was given"});
}

TEST_F(CliRun, RefusesAMissingBias) {
    expect_refused(run(path("biased.yaml"), "conv", path("x.npy"), path("w.npy")),
                   {"the layer has a bias (bias: true) but none was given"});
}

TEST_F(CliRun, RefusesAnInputThatContradictsInputShape) {
    write("x2.npy", {1, 2, 5, 5}, std::vector<float>(50, 1.0f));
    expect_refused(run(seed_spec(), "conv_pad1", path("x2.npy"), path("w.npy")),
                   {"the input is [1, 2, 5, 5] but the spec fixes input_shape [1, 1, 5, 5]"});
}

TEST_F(CliRun, RefusesAnInputWithTheWrongChannelCount) {
    write("x2.npy", {1, 2, 5, 5}, std::vector<float>(50, 1.0f));
    write("b.npy", {1}, {1.0f});
    expect_refused(run(path("biased.yaml"), "conv", path("x2.npy"), path("w.npy"), {"--bias", path("b.npy")}),
                   {"input has 2 channels but the layer expects in_channels = 1"});
}

TEST_F(CliRun, SuggestsTheLayerMeant) {
    expect_refused(run(seed_spec(), "conv_pad", path("x.npy"), path("w.npy")),
                   {"'--layer'", "no layer 'conv_pad' in module seed_example", "(did you mean 'conv_pad1'?)"});
}

TEST_F(CliRun, RefusesFloat64) {
    write_bytes(path("x64.npy"), float64_npy());
    expect_refused(run(seed_spec(), "conv_pad1", path("x64.npy"), path("w.npy")),
                   {path("x64.npy") + ": error: ", "expected a float32 array (dtype '<f4')"});
}

TEST_F(CliRun, RefusesAFileThatIsNotNpy) {
    expect_refused(run(seed_spec(), "conv_pad1", seed_spec(), path("w.npy")),
                   {seed_spec() + ": error: not a NumPy .npy file"});
}

TEST_F(CliRun, RefusesAMissingInput) {
    expect_refused(run(seed_spec(), "conv_pad1", path("absent.npy"), path("w.npy")),
                   {path("absent.npy") + ": error: cannot open the array file"});
}

TEST_F(CliRun, RefusesATargetThisMachineCannotRun) {
    expect_refused(run(seed_spec(), "conv_pad1", path("x.npy"), path("w.npy"), {"--target", "arm-64-linux"}),
                   {"'--target'", "'arm-64-linux' does not run on this machine"});
}

}  // namespace
