// convc run SPEC --layer L ...: runs one layer, compiled for this machine, on .npy arrays.
#include <iostream>
#include <memory>

#include "io/memory_layout.h"
#include "io/npy.h"
#include "pipeline/schedule_selection.h"
#include "schedule_options.h"
#include "jit/jit_layer.h"
#include "layer_here.h"
#include "verbs.h"

namespace convc {

namespace {

struct RunOptions {
    std::string spec;
    std::string layer;
    std::string input;
    std::string weight;
    std::string bias;
    std::string output;
    std::string target = "host";
    ScheduleOptions schedules;
};

int run(const RunOptions &options) {
    ModuleSpec module = load_spec(options.spec);
    const Layer &layer = find_layer(module, options.layer);
    Halide::Target target = runnable_target(options.target);
    NpyArray input = read_npy(options.input);
    NpyArray weight = read_npy(options.weight);
    std::optional<NpyArray> bias;
    if (!options.bias.empty()) {
        bias = read_npy(options.bias);
    }
    TensorRef in{input.data.data(), input.shape}, w{weight.data.data(), weight.shape};
    std::optional<TensorRef> b;
    if (bias) {
        b = TensorRef{bias->data.data(), bias->shape};
    }
    check_call_shapes(layer, in, w, b);

    ScheduleDatabase database = options.schedules.load_database();
    SelectedSchedule selected = ScheduleSelector(&database, options.schedules.schedule).select(layer, target);
    JitLayer kernel(layer, target, selected.choice);
    Shape4 in_shape = {input.shape[0], input.shape[1], input.shape[2], input.shape[3]};
    Shape4 out_shape = kernel.output_shape_for(input.shape);
    // .npy arrays are PyTorch's NCHW arrays whatever the layer's memory layout.
    std::vector<float> x = nchw_to_layout(input.data.data(), in_shape, layer.layout);
    std::vector<float> output(out_shape[0] * out_shape[1] * out_shape[2] * out_shape[3]);
    kernel.run({x.data(), input.shape}, w, b, output.data());
    write_npy(options.output, {out_shape.begin(), out_shape.end()},
              layout_to_nchw(output.data(), out_shape, layer.layout).data());
    std::cout << "convc: " << module.name << "." << layer.name << " " << shape_to_string({input.shape[0], input.shape[1], input.shape[2], input.shape[3]})
              << " -> " << shape_to_string(out_shape) << " (" << kernel.schedule() << ") -> " << options.output
              << "\n";
    return 0;
}

}  // namespace

void add_run_verb(CLI::App &app, VerbAction &action) {
    auto options = std::make_shared<RunOptions>();
    CLI::App *verb = app.add_subcommand("run", "Run one layer, compiled for this machine, on .npy arrays");
    verb->add_option("spec", options->spec, "The YAML spec file")->required();
    verb->add_option("--layer,-l", options->layer, "Name of the layer to run")->required();
    verb->add_option("--input,-i", options->input, "Input array [N, C, H, W] (.npy, float32; NCHW whatever the layout)")->required();
    verb->add_option("--weight,-w", options->weight, "Weight array [K, C/groups, kh, kw] (.npy, float32)")->required();
    verb->add_option("--bias,-b", options->bias, "Bias array [K] (.npy, float32); required when the layer has bias");
    verb->add_option("--output,-o", options->output, "Where to write the output array (.npy)")->required();
    verb->add_option("--target,-t", options->target, "Halide target string this machine runs, or host")
        ->capture_default_str();
    options->schedules.add_to(*verb);
    verb->callback([&action, options] { action = [options] { return run(*options); }; });
}

}  // namespace convc
