#!/usr/bin/python3
"""Checks `convc run` against torch.nn.functional.conv2d on random configurations, and
`convc check` against the configurations PyTorch rejects.

Run by ctest with /usr/bin/python3 (Debian's torch lives there). Exits 77, which ctest
reports as skipped, when torch cannot be imported.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch is not importable from", sys.executable, "- skipping")
    sys.exit(77)

MODES = ["zeros", "reflect", "replicate", "circular"]


def random_config(rng):
    groups = rng.choice([1, 1, 2, 3, 4])
    c = groups * rng.randint(1, 4)
    k = groups * rng.randint(1, 4)
    if rng.random() < 0.2:  # depthwise, sometimes with a channel multiplier
        c = groups = rng.randint(2, 6)
        k = c * rng.choice([1, 2])
    kh, kw = rng.randint(1, 6), rng.randint(1, 6)
    dh, dw = rng.randint(1, 3), rng.randint(1, 3)
    h, w = rng.randint(6, 20), rng.randint(6, 40)
    mode = rng.choice(MODES)
    if rng.random() < 0.25:
        padding, sh, sw = "same", 1, 1
    else:
        sh, sw = rng.randint(1, 3), rng.randint(1, 3)
        padding = [rng.randint(0, 3), rng.randint(0, 3)]
    return dict(n=rng.choice([1, 1, 2, 3]), c=c, k=k, h=h, w=w, kernel=[kh, kw], stride=[sh, sw],
                padding=padding, dilation=[dh, dw], groups=groups, bias=rng.random() < 0.6, mode=mode)


def spec_text(name, cfg, fixed_shape):
    lines = [f"name: {name}", "layers:", "  - name: layer", "    op: conv2d",
             f"    in_channels: {cfg['c']}", f"    out_channels: {cfg['k']}",
             f"    kernel_size: {cfg['kernel']}", f"    stride: {cfg['stride']}",
             f"    padding: {cfg['padding']}", f"    dilation: {cfg['dilation']}",
             f"    groups: {cfg['groups']}", f"    bias: {'true' if cfg['bias'] else 'false'}",
             f"    padding_mode: {cfg['mode']}"]
    if cfg.get("layout", "nchw") != "nchw":
        lines.append(f"    layout: {cfg['layout']}")
    if fixed_shape:
        lines.append(f"    input_shape: [{cfg['n']}, {cfg['c']}, {cfg['h']}, {cfg['w']}]")
    return "\n".join(lines) + "\n"


def torch_conv(cfg, x, w, b):
    """What nn.Conv2d computes: F.pad for the non-zero modes, then the convolution."""
    conv = torch.nn.Conv2d(cfg["c"], cfg["k"], cfg["kernel"], cfg["stride"],
                           cfg["padding"] if cfg["padding"] == "same" else tuple(cfg["padding"]),
                           cfg["dilation"], cfg["groups"], cfg["bias"], cfg["mode"])
    with torch.no_grad():
        conv.weight.copy_(w)
        if cfg["bias"]:
            conv.bias.copy_(b)
        return conv(x)


def run_case(convc, tmp, index, cfg, rng):
    torch.manual_seed(index)
    x = torch.randn(cfg["n"], cfg["c"], cfg["h"], cfg["w"])
    w = torch.randn(cfg["k"], cfg["c"] // cfg["groups"], *cfg["kernel"])
    b = torch.randn(cfg["k"])
    if cfg.get("layout") == "nhwc":  # PyTorch's channels_last; .npy files stay NCHW arrays
        x = x.contiguous(memory_format=torch.channels_last)
    try:
        want = torch_conv(cfg, x, w, b)
    except (RuntimeError, ValueError) as e:
        return "torch-rejects", str(e).splitlines()[0]
    spec = os.path.join(tmp, f"case{index}.yaml")
    with open(spec, "w") as f:
        f.write(spec_text(f"case{index}", cfg, rng.random() < 0.5))
    paths = {t: os.path.join(tmp, f"case{index}.{t}.npy") for t in ("x", "w", "b", "y")}
    np.save(paths["x"], x.contiguous().numpy())
    np.save(paths["w"], w.numpy())
    np.save(paths["b"], b.numpy())
    cmd = [convc, "run", spec, "--layer", "layer", "--input", paths["x"], "--weight", paths["w"],
           "--output", paths["y"]] + (["--bias", paths["b"]] if cfg["bias"] else [])
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        return "convc-failed", result.stderr.strip()
    got = np.load(paths["y"])
    if got.shape != tuple(want.shape):
        return "shape", f"{got.shape} != {tuple(want.shape)}"
    scale = max(1.0, float(want.abs().max())) if want.numel() else 1.0
    error = float(np.abs(got - want.numpy()).max()) / scale if want.numel() else 0.0
    return ("ok" if error <= 1e-4 else "mismatch"), f"max relative error {error:.2e}"


# Configurations PyTorch refuses; `convc check` must refuse each with exit status 2.
REJECTED = [
    dict(n=1, c=4, k=6, h=8, w=8, kernel=[3, 3], stride=[1, 1], padding=[1, 1], dilation=[1, 1], groups=3,
         bias=True, mode="zeros"),
    dict(n=1, c=4, k=4, h=8, w=8, kernel=[3, 3], stride=[2, 2], padding="same", dilation=[1, 1], groups=1,
         bias=True, mode="zeros"),
    dict(n=1, c=2, k=2, h=3, w=8, kernel=[3, 3], stride=[1, 1], padding=[3, 1], dilation=[1, 1], groups=1,
         bias=True, mode="reflect"),
    dict(n=1, c=2, k=2, h=4, w=4, kernel=[5, 5], stride=[1, 1], padding=[0, 0], dilation=[1, 1], groups=1,
         bias=True, mode="zeros"),
    dict(n=1, c=2, k=2, h=4, w=4, kernel=[3, 3], stride=[1, 1], padding=[5, 0], dilation=[1, 1], groups=1,
         bias=True, mode="circular"),
]


def check_rejections(convc, tmp):
    failures = 0
    for i, cfg in enumerate(REJECTED):
        x = torch.randn(cfg["n"], cfg["c"], cfg["h"], cfg["w"])
        try:
            torch_conv(cfg, x, torch.randn(cfg["k"], max(1, cfg["c"] // cfg["groups"]), *cfg["kernel"]),
                       torch.randn(cfg["k"]))
            print(f"rejected[{i}]: PyTorch accepted it; fix the test")
            failures += 1
            continue
        except (RuntimeError, ValueError):
            pass
        spec = os.path.join(tmp, f"rejected{i}.yaml")
        with open(spec, "w") as f:
            f.write(spec_text(f"rejected{i}", cfg, True))
        result = subprocess.run([convc, "check", spec], capture_output=True, text=True)
        verdict = "ok" if result.returncode == 2 and f"rejected{i}.yaml:" in result.stderr else "NOT REJECTED"
        print(f"rejected[{i}]: {verdict}: {result.stderr.strip()}")
        failures += verdict != "ok"
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--convc", required=True)
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    torch.set_num_threads(1)
    failures = 0
    compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        index = 0
        while compared < args.cases:
            cfg = random_config(rng)
            # Every third case in channels-last memory (layout: nhwc), without drawing from rng
            # so that the other cases stay what they were.
            cfg["layout"] = "nhwc" if index % 3 == 2 else "nchw"
            verdict, detail = run_case(args.convc, tmp, index, cfg, rng)
            index += 1
            if verdict == "torch-rejects":
                continue  # only configurations PyTorch accepts are compared
            compared += 1
            if verdict != "ok":
                failures += 1
            print(f"case {compared:2d}: {verdict}: {detail}: {cfg}")
        failures += check_rejections(args.convc, tmp)
    print(f"{compared + len(REJECTED) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
