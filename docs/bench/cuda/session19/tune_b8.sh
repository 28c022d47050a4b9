#!/usr/bin/env bash
# Session 19 device call 2: tune the two batch-8 layers of each suite on the GPU (the split
# reduction's default lost 1.21x to an unsplit one on 64@56 in call 1), bench them with the new
# entries, and bring the database back.
set -u
budget=${1:-90s}
mkdir -p /tmp/gc
bash .gpu-carry/unpack.sh  # written by scripts/gpu-pack.sh (these calls ran it inline)
convc=.gpu-carry/build/compiler/cli/convc
here=docs/bench/cuda/session19
cp schedules/db/tuned.yaml /tmp/gc/tuned.yaml
t0=$(date +%s)
for layout in nchw nhwc; do
    "$convc" bench "$here/b8_$layout.yaml" --target cuda --vs none --threads 1 --db /tmp/gc/tuned.yaml -o /tmp/gc/before_$layout >/tmp/gc/before_$layout.log 2>&1
    timeout 200 "$convc" tune "$here/b8_$layout.yaml" --target cuda --budget "$budget" --db /tmp/gc/tuned.yaml >/tmp/gc/tune_$layout.log 2>&1
    echo "tune $layout rc=$? at $(( $(date +%s) - t0 )) s"
    tr '\r' '\n' </tmp/gc/tune_$layout.log | grep -E "candidates? +default" | cut -c1-220
    "$convc" bench "$here/b8_$layout.yaml" --target cuda --vs none --threads 1 --db /tmp/gc/tuned.yaml -o /tmp/gc/after_$layout >/tmp/gc/after_$layout.log 2>&1
    echo "before:"; cut -d, -f1,6,7,8 /tmp/gc/before_$layout/results.csv
    echo "after:"; cut -d, -f1,6,7,8 /tmp/gc/after_$layout/results.csv
done
cp /tmp/gc/tuned.yaml "${OUT:-/tmp}/tuned.yaml"
tar -cf "${OUT:-/tmp}/gc.tar" -C /tmp/gc .
echo done
