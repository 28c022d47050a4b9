// The textbook example of specs/examples/seed_example.yaml: x is 5x5 with every row
// [1 2 3 4 5], w is 3x3 with every row [1 2 3]. The outputs are small integers, exact
// in float32, so the kernels must give PyTorch's values exactly.
#include <gtest/gtest.h>

#include "jit/jit_layer.h"
#include "spec/parse_spec.h"
#include "spec/validate_spec.h"

namespace {

const std::vector<float> kPadded = {16, 28, 40, 52, 28,  //
                                    24, 42, 60, 78, 42,  //
                                    24, 42, 60, 78, 42,  //
                                    24, 42, 60, 78, 42,  //
                                    16, 28, 40, 52, 28};
const std::vector<float> kValid = {42, 60, 78, 42, 60, 78, 42, 60, 78};

std::vector<float> run_textbook(const std::string &layer_name) {
    convc::ModuleSpec module = convc::parse_spec_file(std::string(CONVC_SOURCE_DIR) + "/specs/examples/seed_example.yaml");
    convc::validate_spec(module);
    std::vector<float> x(25), w(9);
    for (int i = 0; i < 25; i++) {
        x[i] = static_cast<float>(i % 5 + 1);
    }
    for (int i = 0; i < 9; i++) {
        w[i] = static_cast<float>(i % 3 + 1);
    }
    for (const convc::Layer &layer : module.layers) {
        if (layer.name == layer_name) {
            convc::JitLayer kernel(layer, Halide::get_host_target());
            convc::Shape4 out = kernel.output_shape_for({1, 1, 5, 5});
            std::vector<float> y(out[2] * out[3]);
            kernel.run({x.data(), {1, 1, 5, 5}}, {w.data(), {1, 1, 3, 3}}, std::nullopt, y.data());
            return y;
        }
    }
    ADD_FAILURE() << "no layer " << layer_name;
    return {};
}

TEST(Textbook, PaddingOne) {
    EXPECT_EQ(run_textbook("conv_pad1"), kPadded);
}

TEST(Textbook, Valid) {
    EXPECT_EQ(run_textbook("conv_valid"), kValid);
}

TEST(Textbook, Same) {
    EXPECT_EQ(run_textbook("conv_same"), kPadded);
}

}  // namespace
