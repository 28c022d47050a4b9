#!/usr/bin/env python3
"""Times every layer of a convc spec with PyTorch on a CUDA GPU (cuDNN, or PyTorch's own
kernels where cuDNN has none), the GPU counterpart of `convc bench --vs onednn`.

float32 throughout: TF32 is switched off, since convc's kernels do full float32 multiply-adds
and TF32 would compare a different arithmetic. cudnn.benchmark lets cuDNN pick its fastest
algorithm per shape, as a tuned framework would. Tensors stay on the device; each layer's
time is the median over repeated launches measured with CUDA events.

usage: torch_gpu_rival.py SPEC [--runs 200] [--csv OUT]
Prints: layer, median ms, GFLOP/s (2*N*K*(C/groups)*R*S*P*Q / s).
"""
import argparse
import statistics
import sys

import torch
import torch.nn.functional as F
import yaml


def pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def padding_of(layer, kernel, dilation):
    """(left, right, top, bottom) as convc resolves `padding` (docs/spec.md)."""
    padding = layer.get("padding", 0)
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        total_h, total_w = (d * (k - 1) for d, k in zip(dilation, kernel))
        return (total_w // 2, total_w - total_w // 2, total_h // 2, total_h - total_h // 2)
    ph, pw = pair(padding)
    return (pw, pw, ph, ph)


def layer_call(layer, device):
    kernel, stride = pair(layer["kernel_size"]), pair(layer.get("stride", 1))
    dilation, groups = pair(layer.get("dilation", 1)), layer.get("groups", 1)
    c, k = layer["in_channels"], layer["out_channels"]
    shape = layer.get("input_shape", [1, c, 56, 56])
    x = torch.randn(*shape, device=device)
    if layer.get("layout", "nchw") == "nhwc":
        x = x.contiguous(memory_format=torch.channels_last)
    w = torch.randn(k, c // groups, *kernel, device=device)
    b = torch.randn(k, device=device) if layer.get("bias", True) else None
    pad = padding_of(layer, kernel, dilation)
    mode = layer.get("padding_mode", "zeros")

    symmetric = pad[0] == pad[1] and pad[2] == pad[3]
    if mode == "zeros" and symmetric:
        def call():
            return F.conv2d(x, w, b, stride, (pad[2], pad[0]), dilation, groups)
    else:
        torch_mode = "constant" if mode == "zeros" else mode

        def call():
            return F.conv2d(F.pad(x, pad, mode=torch_mode), w, b, stride, 0, dilation, groups)

    out = call()
    n, _, p, q = out.shape
    gflop = 2.0 * n * k * (c // groups) * kernel[0] * kernel[1] * p * q * 1e-9
    return call, gflop


def median_ms(call, runs):
    for _ in range(10):
        call()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        call()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--csv")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to time")
        return 77
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    with open(args.spec) as f:
        spec = yaml.safe_load(f)
    rows = ["layer,torch_median_ms,torch_gflops"]
    print(f"PyTorch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name()}")
    with torch.no_grad():
        for layer in spec["layers"]:
            call, gflop = layer_call(layer, "cuda")
            ms = median_ms(call, args.runs)
            print(f"{layer['name']:<24} {ms:9.4f} ms {gflop / ms * 1e3:9.1f} GFLOP/s")
            rows.append(f"{layer['name']},{ms:.6f},{gflop / ms * 1e3:.2f}")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
