#!/usr/bin/env bash
# Session 18 device call: correctness of the new CUDA kernels, then old vs new convc on the
# stored database entries side by side, PyTorch (cuDNN) in the same call, then a short tune.
set -u
budget=${1:-60s}
mkdir -p /opt/convc-libs /usr/lib/x86_64-linux-gnu/halide14 /tmp/gc
tar -xJf .gpu-carry/libs.tar.xz -C /opt/convc-libs
cp /opt/convc-libs/libautoschedule_li2018.so /usr/lib/x86_64-linux-gnu/halide14/
nvidia-smi -L
new=.gpu-carry/build/compiler/cli/convc
old=.gpu-carry/build/compiler/cli/convc_old
cp schedules/db/tuned.yaml /tmp/gc/tuned.yaml
t0=$(date +%s)
# 1. correctness: every CUDA consumer (new kernels) against the reference and PyTorch's outputs
for consumer in .gpu-carry/build/tests/targets/cuda_*/build/consumer; do
    echo "== $consumer"; "$consumer" --gpu --golden tests/golden/data --time 2>&1 | tail -3
done
echo "consumers done at $(( $(date +%s) - t0 )) s"
# 2. old vs new, same db entries, alternating, then cuDNN
for suite in specs/bench/suite.yaml specs/bench/suite_nhwc.yaml; do
    name=$(basename "$suite" .yaml)
    for turn in 1 2; do
        "$old" bench "$suite" --target cuda --vs none --threads 1 --db /tmp/gc/tuned.yaml -o /tmp/gc/old${turn}_$name >/tmp/gc/old${turn}_$name.log 2>&1
        "$new" bench "$suite" --target cuda --vs none --threads 1 --db /tmp/gc/tuned.yaml -o /tmp/gc/new${turn}_$name >/tmp/gc/new${turn}_$name.log 2>&1
        echo "$name turn $turn at $(( $(date +%s) - t0 )) s"
    done
    python3 bench/torch_gpu_rival.py "$suite" --csv /tmp/gc/torch_$name.csv >/tmp/gc/torch_$name.log 2>&1
done
# 3. a short tune with the new kernels, then its bench
if [ "$budget" != 0 ]; then
    for suite in specs/bench/suite.yaml specs/bench/suite_nhwc.yaml; do
        name=$(basename "$suite" .yaml)
        timeout 200 "$new" tune "$suite" --target cuda --budget "$budget" --db /tmp/gc/tuned.yaml >/tmp/gc/tune_$name.log 2>&1
        "$new" bench "$suite" --target cuda --vs none --threads 1 --db /tmp/gc/tuned.yaml -o /tmp/gc/tuned_$name >/tmp/gc/tuned_$name.log 2>&1
        echo "tuned $name at $(( $(date +%s) - t0 )) s"
    done
fi
tar -cf "${OUT:-/tmp}/gc.tar" -C /tmp/gc .
echo done
