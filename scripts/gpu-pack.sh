#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a lent GPU machine that has no Debian packages:
# convc, the CUDA consumers that ctest built, and Debian's Halide/LLVM libraries (xz, about
# 50 MB). The folder is ignored by git; the device tool carries it. On the GPU machine:
#   bash .gpu-carry/run.sh [TUNE_BUDGET per suite] [gpu-check's time limit in s]
# usage: scripts/gpu-pack.sh [BUILD_DIR]   (run `ctest -R '^cuda_'` first to build the consumers)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-$root/build}
pack=$root/.gpu-carry
grep -qx '/.gpu-carry/' "$root/.git/info/exclude" 2>/dev/null || echo '/.gpu-carry/' >>"$root/.git/info/exclude"
rm -rf "$pack"
mkdir -p "$pack/build/compiler/cli" "$pack/libs"
cp "$build_dir/compiler/cli/convc" "$pack/build/compiler/cli/convc.bin"
for consumer in "$build_dir"/tests/targets/cuda_*/build/consumer; do
    dir=$pack/build/${consumer#"$build_dir"/}
    mkdir -p "$(dirname "$dir")"
    cp "$consumer" "$dir"
done
# The C library stays the machine's own; everything else convc links travels.
for lib in $(ldd "$build_dir/compiler/cli/convc" | awk '$3 ~ /^\// {print $3}'); do
    case $(basename "$lib") in
        libc.so* | libm.so* | libgcc_s.so*) ;;
        *) cp -L "$lib" "$pack/libs/" ;;
    esac
done
# tune --target cuda seeds its search with Li2018, which convc loads from Debian's path.
cp /usr/lib/x86_64-linux-gnu/halide14/libautoschedule_li2018.so "$pack/libs/"
tar -cJf "$pack/libs.tar.xz" -C "$pack/libs" .
rm -rf "$pack/libs"

cat >"$pack/build/compiler/cli/convc" <<'WRAPPER'
#!/usr/bin/env bash
# Debian's libraries beside convc, seen by convc alone (PyTorch keeps the machine's own).
export LD_LIBRARY_PATH=/opt/convc-libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
exec "$(dirname "$0")/convc.bin" "$@"
WRAPPER
cat >"$pack/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU machine, from the repository root: unpack, then scripts/gpu-check.sh; results in
# $OUT/gc.tar (the device tool brings back a few files only).
budget=${1:-100s}
limit=${2:-470}
set -u
bash .gpu-carry/unpack.sh
.gpu-carry/build/compiler/cli/convc targets 2>&1 | tail -4
timeout "$limit" bash scripts/gpu-check.sh "$PWD/.gpu-carry/build" /tmp/gc "$budget"
echo "gpu-check exit $?"
tar -cf "${OUT:-/tmp}/gc.tar" -C /tmp/gc .
RUN
cat >"$pack/unpack.sh" <<'UNPACK'
#!/usr/bin/env bash
# On the GPU machine, from the repository root: the libraries where convc and Halide look.
mkdir -p /opt/convc-libs /usr/lib/x86_64-linux-gnu/halide14
tar -xJf .gpu-carry/libs.tar.xz -C /opt/convc-libs
cp /opt/convc-libs/libautoschedule_li2018.so /usr/lib/x86_64-linux-gnu/halide14/
nvidia-smi -L
UNPACK
chmod +x "$pack/build/compiler/cli/convc" "$pack/run.sh" "$pack/unpack.sh"
du -sh "$pack"
