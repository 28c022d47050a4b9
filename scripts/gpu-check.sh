#!/usr/bin/env bash
# The checks that need an NVIDIA GPU, run on a machine that has one (CI has none; docs/targets.md
# has the last results). Uses an existing build: the CUDA consumers that ctest built
# (tests/targets/cuda_*) and convc itself.
#   1. every CUDA bundle's consumer against the double-precision reference and PyTorch's outputs
#   2. `convc tune --target cuda` on each benchmark suite, into a copy of the schedule database
#      (skipped when TUNE_BUDGET is 0)
#   3. `convc bench --target cuda` with that database (tuned and untuned columns)
#   4. the same layers through PyTorch (cuDNN), when python3 has torch with CUDA
# usage: scripts/gpu-check.sh [BUILD_DIR] [OUT_DIR] [TUNE_BUDGET per suite]
# CONVC_GPU_SUITES: the spec files to tune and time (default: both benchmark suites).
# CONVC_GPU_CONSUMERS=0 skips step 1 (a second call in the same session).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-$root/build}
out_dir=${2:-$root/generated/gpu-check}
budget=${3:-150s}
suites=${CONVC_GPU_SUITES:-$root/specs/bench/suite.yaml $root/specs/bench/suite_nhwc.yaml}
convc=$build_dir/compiler/cli/convc
mkdir -p "$out_dir"
failures=0

step() {
    echo "== $*"
    "$@"
    local status=$?
    if [ "$status" -ne 0 ]; then
        echo "!! failed ($status): $*"
        failures=$((failures + 1))
    fi
}

if ! "$convc" targets | grep -q "CUDA device found"; then
    echo "gpu-check: no usable CUDA GPU here (convc targets); nothing to check"
    exit 77
fi
if [ "${CONVC_GPU_CONSUMERS:-1}" != 0 ]; then
    for consumer in "$build_dir"/tests/targets/cuda_*/build/consumer; do
        step "$consumer" --gpu --golden "$root/tests/golden/data" --time
    done
fi

cp "$root/schedules/db/tuned.yaml" "$out_dir/tuned.yaml"
has_torch=0
python3 -c 'import torch, yaml; assert torch.cuda.is_available()' 2>/dev/null && has_torch=1
for suite in $suites; do
    name=$(basename "$suite" .yaml)
    if [ "$budget" != 0 ]; then
        step "$convc" tune "$suite" --target cuda --budget "$budget" --db "$out_dir/tuned.yaml"
    fi
    step "$convc" bench "$suite" --target cuda --vs none --threads 1 --db "$out_dir/tuned.yaml" -o "$out_dir/bench_$name"
    if [ "$has_torch" = 1 ]; then
        step python3 "$root/bench/torch_gpu_rival.py" "$suite" --csv "$out_dir/torch_$name.csv"
    else
        echo "== python3 has no torch with CUDA: PyTorch's timings skipped"
    fi
done
echo "gpu-check: $failures step(s) failed; results in $out_dir"
exit $((failures > 0))
