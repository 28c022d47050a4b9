// Runs every layer of tests/golden/golden.yaml (made by PyTorch, see make_golden.py)
// through the JIT path and compares with PyTorch's own outputs.
#include <gtest/gtest.h>

#include "io/npy.h"
#include "jit/jit_layer.h"
#include "spec/parse_spec.h"
#include "spec/validate_spec.h"
#include "support/conv_check.h"

namespace {

const std::string kGoldenDir = CONVC_GOLDEN_DIR;

convc::ModuleSpec golden_module() {
    convc::ModuleSpec module = convc::parse_spec_file(kGoldenDir + "/golden.yaml");
    convc::validate_spec(module);
    return module;
}

std::vector<convc::Layer> golden_layers() {
    return golden_module().layers;
}

class JitGolden : public ::testing::TestWithParam<convc::Layer> {};

TEST_P(JitGolden, MatchesPyTorch) {
    const convc::Layer &layer = GetParam();
    std::string prefix = kGoldenDir + "/data/" + layer.name;
    convc::NpyArray input = convc::read_npy(prefix + ".input.npy");
    convc::NpyArray weight = convc::read_npy(prefix + ".weight.npy");
    convc::NpyArray expected = convc::read_npy(prefix + ".output.npy");
    std::optional<convc::NpyArray> bias;
    std::optional<convc::TensorRef> bias_ref;
    if (layer.bias) {
        bias = convc::read_npy(prefix + ".bias.npy");
        bias_ref = convc::TensorRef{bias->data.data(), bias->shape};
    }

    convc::JitLayer kernel(layer, Halide::get_host_target());
    convc::Shape4 out_shape = kernel.output_shape_for(input.shape);
    ASSERT_EQ(std::vector<int64_t>(out_shape.begin(), out_shape.end()), expected.shape);
    std::vector<float> output(expected.data.size());
    kernel.run({input.data.data(), input.shape}, {weight.data.data(), weight.shape}, bias_ref, output.data());

    std::vector<double> want(expected.data.begin(), expected.data.end());
    EXPECT_LE(convc_test::max_relative_error(output, want), convc_test::kTolerance) << kernel.schedule();
}

INSTANTIATE_TEST_SUITE_P(PyTorch, JitGolden, ::testing::ValuesIn(golden_layers()),
                         [](const ::testing::TestParamInfo<convc::Layer> &info) { return info.param.name; });

TEST(GoldenSpec, CoversEveryPaddingMode) {
    std::set<convc::PaddingMode> modes;
    for (const convc::Layer &layer : golden_layers()) {
        modes.insert(layer.padding_mode);
    }
    EXPECT_EQ(modes.size(), 4u);
}

}  // namespace
