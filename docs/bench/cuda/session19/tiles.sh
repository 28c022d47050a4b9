#!/usr/bin/env bash
# Session 19 device call 1 (run with convc built with 32 in cuda_conv.cpp's kTileK and a tile_k
# limit of 32 in cuda_direct_space, an experiment not kept): the batch-8 layers (0.41-0.55x of cuDNN in session 18) under wider
# register tiles (32 output channels a lane) and without the split reduction, side by side with
# their stored entries and defaults (`convc compare`), then PyTorch/cuDNN on the same layers.
set -u
mkdir -p /tmp/gc
bash .gpu-carry/unpack.sh  # written by scripts/gpu-pack.sh (these calls ran it inline)
convc=.gpu-carry/build/compiler/cli/convc
t0=$(date +%s)
for suite in specs/bench/suite.yaml specs/bench/suite_nhwc.yaml; do
    name=$(basename "$suite" .yaml)
    for layer in r50_3x3_64_56_b8 r50_3x3_256_14_b8; do
        timeout 100 "$convc" compare "$suite" -l "$layer" -t cuda --rounds 2 \
            -v reduction_split=1 \
            -v reduction_split=1,tile_k=16,rows=8 \
            -v tile_k=32,rows=2,channel_chunk=4 \
            -v tile_k=32,rows=4,channel_chunk=4 \
            -v reduction_split=1,tile_k=32,rows=4,channel_chunk=4 \
            >/tmp/gc/compare_${name}_$layer.log 2>&1
        echo "$name $layer rc=$? at $(( $(date +%s) - t0 )) s"
        grep -A20 '^best' /tmp/gc/compare_${name}_$layer.log | cut -c1-160
    done
done
python3 bench/torch_gpu_rival.py specs/bench/suite.yaml --csv /tmp/gc/torch_suite.csv >/tmp/gc/torch_suite.log 2>&1
grep -E "b8" /tmp/gc/torch_suite.csv
tar -cf "${OUT:-/tmp}/gc.tar" -C /tmp/gc .
echo done
