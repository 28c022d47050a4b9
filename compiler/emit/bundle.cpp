#include "emit/bundle.h"

#include <fstream>
#include <sstream>

#include "emit/cmake_package.h"
#include "emit/kernel_library.h"
#include "emit/wrapper_source.h"
#include "io/atomic_file.h"
#include "schedules/choose_schedule.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

// runtime/spinning_thread_pool.h, which the wrapper includes.
const char *kThreadPoolHeader = "convc_spinning_thread_pool.h";

std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const StagedDirectory &dir, const std::string &name, const std::string &text) {
    std::ofstream out(dir.path_of(name), std::ios::binary);
    out << text;
    if (!out) {
        throw SpecError({dir.path_of(name), 0, 0}, "", "cannot write the file");
    }
}

// Blocked schedule families compute on packed weights; the wrapper packs them.
std::vector<std::vector<int>> weight_blocks(const std::vector<std::vector<SelectedSchedule>> &schedules) {
    std::vector<std::vector<int>> blocks;
    for (const auto &variant : schedules) {
        blocks.emplace_back();
        for (const SelectedSchedule &s : variant) {
            blocks.back().push_back(packs_weights(s.choice) ? s.choice.param("lanes") : 0);
        }
    }
    return blocks;
}

}  // namespace

BundleReport write_bundle(const ModuleSpec &module, const TargetPlan &plan, const ScheduleSelector &selector,
                          const std::string &spec_name, const std::string &out_dir, size_t jobs) {
    StagedDirectory dir(out_dir);
    BundleReport report;
    const std::string &m = module.name;
    std::string origin = "spec " + spec_name + ", target " + plan.name;

    report.schedules = compile_kernel_library(module, plan, selector, dir.path_of("lib" + m + ".a"), dir.staging_dir(),
                                               jobs);
    write_text(dir, m + ".h", wrapper_header(module, origin));
    write_text(dir, m + ".cpp", wrapper_source(module, plan, weight_blocks(report.schedules), origin));
    write_text(dir, "HalideRuntime.h", read_text(std::string(CONVC_HALIDE_INCLUDE_DIR) + "/HalideRuntime.h"));
    write_text(dir, kThreadPoolHeader, read_text(std::string(CONVC_RUNTIME_DIR) + "/spinning_thread_pool.h"));
    write_text(dir, m + "Config.cmake", cmake_package_config(module, plan));
    write_text(dir, m + ".pc", pkg_config_file(module, plan));
    report.files = {"lib" + m + ".a", m + ".h", m + ".cpp", "HalideRuntime.h", kThreadPoolHeader, m + "Config.cmake",
                    m + ".pc"};
    dir.commit();
    return report;
}

}  // namespace convc
