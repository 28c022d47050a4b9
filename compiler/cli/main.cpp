// convc: compiles YAML specs of convolution layers into Halide kernels and C++ wrappers.
// Exit status: 0 success, 2 bad input (spec, flags, arrays), 1 internal failure.
#include <iostream>

#include "Halide.h"

#include "spec/did_you_mean.h"
#include "spec/spec_error.h"
#include "verbs.h"

namespace {

constexpr int kBadInput = 2;
constexpr int kInternalFailure = 1;

int run_action(const convc::VerbAction &action) {
    try {
        return action();
    } catch (const convc::SpecError &e) {
        std::cerr << e.what() << "\n";
        return kBadInput;
    } catch (const Halide::CompileError &e) {
        std::cerr << "error: Halide could not compile the kernel: " << e.what() << "\n";
        return kInternalFailure;
    } catch (const Halide::Error &e) {
        std::cerr << "error: Halide: " << e.what() << "\n";
        return kInternalFailure;
    } catch (const std::exception &e) {
        std::cerr << "error: " << e.what() << "\n";
        return kInternalFailure;
    }
}

}  // namespace

int main(int argc, char **argv) {
    CLI::App app{"convc: a code-generating convolution compiler (PyTorch Conv2d semantics, Halide kernels)"};
    app.require_subcommand(1);
    convc::VerbAction action;
    convc::add_check_verb(app, action);
    convc::add_generate_verb(app, action);
    convc::add_run_verb(app, action);
    convc::add_targets_verb(app, action);
    convc::add_tune_verb(app, action);
    convc::add_bench_verb(app, action);
    convc::add_compare_verb(app, action);
    convc::add_time_schedules_verb(app, action);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        // CLI11 reports a misspelt verb as "A subcommand is required"; name the word instead.
        std::vector<std::string> extra = app.remaining();
        if (app.get_subcommands().empty() && !extra.empty()) {
            std::cerr << "error: unknown command '" << extra.front() << "'"
                      << convc::did_you_mean(extra.front(), {"check", "generate", "run", "targets", "tune", "bench"})
                      << "; see convc --help\n";
        } else {
            app.exit(e);
        }
        return kBadInput;
    }
    return run_action(action);
}
