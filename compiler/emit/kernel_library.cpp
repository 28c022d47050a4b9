#include "emit/kernel_library.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "io/atomic_file.h"
#include "pipeline/layer_pipeline.h"

namespace convc {

namespace {

// Halide derives the header's include guard from the path it writes to, which is a
// temporary staging folder: replace it so the same spec always gives the same bytes.
void make_include_guard_stable(const std::string &header_path, const std::string &module_name) {
    std::ifstream in(header_path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    in.close();
    std::string guard = "CONVC_" + module_name + "_KERNELS_H";
    std::string stable = std::regex_replace(text.str(), std::regex("HALIDE_[A-Za-z0-9_]*_kernels_h"), guard);
    write_file_atomically(header_path, stable);
}

}  // namespace

std::vector<std::string> compile_kernel_library(const ModuleSpec &module, const Halide::Target &target,
                                                const std::string &library_path, const std::string &header_path) {
    std::vector<Halide::Module> kernels;
    std::vector<std::string> schedules;
    for (const Layer &layer : module.layers) {
        LayerPipeline lp = build_layer_pipeline(layer, target);
        kernels.push_back(
            lp.pipeline.compile_to_module(lp.conv.arguments(), kernel_function_name(module.name, layer), target));
        schedules.push_back(lp.schedule);
    }
    Halide::Module linked = Halide::link_modules(module.name, kernels);
    linked.compile({{Halide::OutputFileType::static_library, library_path},
                    {Halide::OutputFileType::c_header, header_path}});
    make_include_guard_stable(header_path, module.name);
    return schedules;
}

}  // namespace convc
