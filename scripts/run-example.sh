#!/usr/bin/env bash
# The main job on the bundled examples: generate kernels for every spec in specs/examples/
# for this machine, link them into a C++ program through the generated wrappers, run it,
# check every layer against the reference and print time and GFLOP/s.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${CONVC_BUILD_DIR:-$root/build}

bash "$root/scripts/configure.sh"
cmake --build "$build_dir" --target convc_example
"$build_dir/generated/example/convc_example"
