// convc check SPEC: validates a spec and prints every layer as convc resolved it.
#include <iomanip>
#include <iostream>
#include <memory>

#include "spec/layer_geometry.h"
#include "verbs.h"

namespace convc {

namespace {

std::string pair_text(const HW &hw) {
    return std::to_string(hw.h) + "x" + std::to_string(hw.w);
}

void print_layer(const Layer &layer) {
    Padding p = resolved_padding(layer);
    std::cout << "  " << layer.name << ": " << layer.op << " " << layer.in_channels << " -> " << layer.out_channels
              << "\n";
    std::cout << "    kernel " << pair_text(layer.kernel) << ", stride " << pair_text(layer.stride) << ", dilation "
              << pair_text(layer.dilation) << ", groups " << layer.groups << ", bias "
              << (layer.bias ? "true" : "false") << "\n";
    std::cout << "    padding " << padding_mode_name(layer.padding_mode) << " top " << p.top << " bottom " << p.bottom
              << " left " << p.left << " right " << p.right << "\n";
    Shape4 w = weight_shape(layer);
    std::cout << "    weight " << shape_to_string(w) << (layer.bias ? ", bias [" + std::to_string(w[0]) + "]" : "")
              << ", parameters " << parameter_count(layer) << "\n";
    if (layer.input_shape) {
        const Shape4 &in = *layer.input_shape;
        std::cout << "    input " << shape_to_string(in) << " -> output " << shape_to_string(output_shape(layer, in))
                  << ", MACs " << multiply_accumulates(layer, in) << "\n";
    } else {
        std::cout << "    input [N, " << layer.in_channels << ", H, W] (any N, H, W at run time) -> output [N, "
                  << layer.out_channels << ", (H + " << p.top + p.bottom << " - " << layer.dilation.h << "*("
                  << layer.kernel.h << "-1) - 1)/" << layer.stride.h << " + 1, (W + " << p.left + p.right << " - "
                  << layer.dilation.w << "*(" << layer.kernel.w << "-1) - 1)/" << layer.stride.w << " + 1]\n";
    }
}

}  // namespace

void add_check_verb(CLI::App &app, VerbAction &action) {
    auto spec = std::make_shared<std::string>();
    CLI::App *verb = app.add_subcommand("check", "Validate a spec and print each layer as resolved");
    verb->add_option("spec", *spec, "The YAML spec file")->required();
    verb->callback([&action, spec] {
        action = [spec] {
            ModuleSpec module = load_spec(*spec);
            std::cout << *spec << ": module " << module.name << ", " << module.layers.size() << " layer"
                      << (module.layers.size() == 1 ? "" : "s") << ", ok\n";
            for (const Layer &layer : module.layers) {
                print_layer(layer);
            }
            return 0;
        };
    });
}

}  // namespace convc
