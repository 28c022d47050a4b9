#!/usr/bin/python3
"""Writes the golden conv2d fixtures that convc's outputs are checked against.

Run as `/usr/bin/python3 tests/golden/make_golden.py` (Debian's python3-torch is only
importable from /usr/bin/python3). Every output comes from PyTorch itself, so the fixtures
say what nn.Conv2d does, independently of convc and of tests/reference/conv2d_reference.h.

Writes, next to this script:
  golden.yaml         a convc spec named `golden`, one layer per case
  cases.txt           one line per case with the padding already resolved, for tests that must
                      not depend on convc's YAML parser. Columns:
                      name N C H W K kh kw sh sw pad_top pad_bottom pad_left pad_right dh dw groups bias mode
  data/NAME.*.npy     input, weight, bias (only when bias is true) and output, float32, C order

Running it twice gives byte-identical files: each case seeds torch from a hash of its own
name (so adding a case does not change the others), and torch runs single-threaded with
deterministic algorithms.
"""

import os
import warnings
import zlib

import numpy
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def case(name, cin, cout, k, input_shape, stride=1, padding=0, dilation=1, groups=1, bias=True, mode="zeros"):
    return dict(name=name, in_channels=cin, out_channels=cout, kernel_size=k, stride=stride, padding=padding,
                dilation=dilation, groups=groups, bias=bias, padding_mode=mode, input_shape=input_shape)


CASES = [
    # zeros
    case("zeros_k3_p1", 4, 6, 3, [1, 4, 7, 5], padding=1, groups=2),
    case("zeros_k1_p0_b2", 3, 5, 1, [2, 3, 7, 5], bias=False),
    case("zeros_k5_s2_p2", 3, 6, 5, [1, 3, 13, 11], stride=2, padding=2),
    case("zeros_k6_s2_p2", 3, 4, 6, [1, 3, 13, 11], stride=2, padding=2),
    case("zeros_k7_s3_p3", 3, 4, 7, [1, 3, 13, 11], stride=3, padding=3, bias=False),
    case("zeros_k1x7_p0x3", 4, 4, [1, 7], [1, 4, 7, 5], padding=[0, 3]),
    case("zeros_k3x1_s2x1_p1x0", 5, 5, [3, 1], [2, 5, 13, 11], stride=[2, 1], padding=[1, 0]),
    case("zeros_k2x4_s1x3_p1x2_g2", 4, 6, [2, 4], [1, 4, 9, 13], stride=[1, 3], padding=[1, 2], groups=2, bias=False),
    case("zeros_same_k3", 6, 6, 3, [1, 6, 7, 5], padding="same"),
    case("zeros_same_k4", 3, 5, 4, [1, 3, 7, 5], padding="same"),
    case("zeros_same_k2x4_b2", 4, 4, [2, 4], [2, 4, 9, 7], padding="same", bias=False),
    case("zeros_same_k2_d3", 3, 6, 2, [1, 3, 11, 9], padding="same", dilation=3),
    case("zeros_same_k3_d2x3", 4, 4, 3, [1, 4, 13, 11], padding="same", dilation=[2, 3], groups=4),
    case("zeros_valid_k3_b3", 5, 5, 3, [3, 5, 7, 5], padding="valid"),
    case("zeros_valid_k3_s2_d2_g4", 4, 8, 3, [1, 4, 13, 11], stride=2, padding="valid", dilation=2, groups=4,
         bias=False),
    case("zeros_k3_d3_p3", 3, 5, 3, [1, 3, 13, 11], padding=3, dilation=3),
    case("zeros_dw_k3_p1", 12, 12, 3, [1, 12, 7, 5], padding=1, groups=12),
    case("zeros_dw_mult2_k5_p2_b2", 6, 12, 5, [2, 6, 9, 7], padding=2, groups=6, bias=False),
    # Whole channel vectors on narrow rows: the channel-vector depthwise schedule.
    case("zeros_dw16_k3_p1", 16, 16, 3, [1, 16, 7, 7], padding=1, groups=16),
    case("zeros_dw_mult2_16_k3_s2_p1", 8, 16, 3, [2, 8, 9, 10], stride=2, padding=1, groups=8, bias=False),
    case("zeros_g4_k3_s2_p1", 12, 12, 3, [1, 12, 9, 9], stride=2, padding=1, groups=4),
    # Stride-2 3x3 depthwise on rows of more than a vector, read in place: the deinterleaved family.
    case("zeros_dw_k3_s2_p1_rows18", 6, 6, 3, [2, 6, 12, 36], stride=2, padding=1, groups=6),
    # reflect
    case("reflect_k3_p1", 3, 5, 3, [1, 3, 7, 5], padding=1, mode="reflect"),
    case("reflect_k5_s2_p2_g2_b2", 4, 6, 5, [2, 4, 9, 7], stride=2, padding=2, groups=2, bias=False, mode="reflect"),
    case("reflect_k3x5_p1x2", 5, 5, [3, 5], [1, 5, 7, 5], padding=[1, 2], mode="reflect"),
    case("reflect_same_k4_dw", 6, 6, 4, [1, 6, 7, 5], padding="same", groups=6, mode="reflect"),
    case("reflect_dw32_k3_d2_p2", 32, 32, 3, [1, 32, 11, 9], padding=2, dilation=2, groups=32, mode="reflect"),
    case("reflect_k3_s3x2_p2_d2", 4, 4, 3, [1, 4, 13, 11], stride=[3, 2], padding=2, dilation=2, bias=False,
         mode="reflect"),
    case("reflect_same_k2_d3", 3, 5, 2, [1, 3, 7, 5], padding="same", dilation=3, mode="reflect"),
    case("reflect_k3_p2_edge", 2, 3, 3, [1, 2, 4, 3], padding=2, mode="reflect"),  # pad = W - 1, the largest allowed
    # replicate
    case("replicate_k3_p1_dwmult2", 3, 6, 3, [1, 3, 7, 5], padding=1, groups=3, mode="replicate"),
    case("replicate_k7_p3", 4, 4, 7, [1, 4, 7, 5], padding=3, bias=False, mode="replicate"),
    case("replicate_same_k2x4_b2", 5, 5, [2, 4], [2, 5, 7, 9], padding="same", mode="replicate"),
    case("replicate_k3_s2_p2x1_d2x1_g2", 6, 12, 3, [1, 6, 13, 11], stride=2, padding=[2, 1], dilation=[2, 1],
         groups=2, bias=False, mode="replicate"),
    case("replicate_valid_k1x3", 3, 3, [1, 3], [1, 3, 5, 7], padding="valid", mode="replicate"),
    # circular
    case("circular_k3_p1", 3, 5, 3, [1, 3, 7, 5], padding=1, mode="circular"),
    case("circular_k5_s2x3_p2_g4", 4, 8, 5, [1, 4, 13, 11], stride=[2, 3], padding=2, groups=4, mode="circular"),
    case("circular_k3_p3x1_d3x1_b2", 5, 5, 3, [2, 5, 7, 5], padding=[3, 1], dilation=[3, 1], bias=False,
         mode="circular"),
    case("circular_same_k4x3_d1x2_g2", 6, 6, [4, 3], [1, 6, 7, 5], padding="same", dilation=[1, 2], groups=2,
         mode="circular"),
    case("circular_dw_k3_p1", 12, 12, 3, [1, 12, 7, 5], padding=1, groups=12, bias=False, mode="circular"),
    case("circular_k3_p3_full", 2, 3, 3, [1, 2, 3, 3], padding=3, mode="circular"),  # pad = size, the largest allowed
]


def pair(v):
    return list(v) if isinstance(v, (list, tuple)) else [v, v]


def resolved_padding(c):
    """(top, bottom, left, right) as PyTorch applies them."""
    kh, kw = pair(c["kernel_size"])
    dh, dw = pair(c["dilation"])
    if c["padding"] == "valid":
        return 0, 0, 0, 0
    if c["padding"] == "same":
        # PyTorch puts the odd element of an odd total at the bottom/right.
        th, tw = dh * (kh - 1), dw * (kw - 1)
        return th // 2, th - th // 2, tw // 2, tw - tw // 2
    ph, pw = pair(c["padding"])
    return ph, ph, pw, pw


def torch_arg(v):
    return tuple(v) if isinstance(v, list) else v


def compute(c):
    torch.manual_seed(zlib.crc32(c["name"].encode()))
    n, cin, h, w = c["input_shape"]
    assert cin == c["in_channels"]
    kh, kw = pair(c["kernel_size"])
    x = torch.randn(n, cin, h, w, dtype=torch.float32)
    weight = torch.randn(c["out_channels"], cin // c["groups"], kh, kw, dtype=torch.float32)
    bias = torch.randn(c["out_channels"], dtype=torch.float32) if c["bias"] else None
    stride, padding, dilation = torch_arg(c["stride"]), torch_arg(c["padding"]), torch_arg(c["dilation"])
    with torch.no_grad():
        if c["padding_mode"] == "zeros":
            y = torch.nn.functional.conv2d(x, weight, bias, stride, padding, dilation, c["groups"])
        else:
            conv = torch.nn.Conv2d(cin, c["out_channels"], (kh, kw), stride=stride, padding=padding,
                                   dilation=dilation, groups=c["groups"], bias=c["bias"],
                                   padding_mode=c["padding_mode"])
            conv.weight.copy_(weight)
            if bias is not None:
                conv.bias.copy_(bias)
            y = conv(x)
    return x, weight, bias, y


def yaml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(str(e) for e in v) + "]"
    return str(v)


def save(path, tensor):
    numpy.save(path, numpy.ascontiguousarray(tensor.numpy().astype(numpy.float32)))


def main():
    # PyTorch warns that even-kernel 'same' pads a copy of the input; that is expected here and would
    # drown the one-line summary.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(DATA, exist_ok=True)
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names), "layer names must be unique"

    written = set()
    yaml_lines = ["# Generated by tests/golden/make_golden.py; do not edit by hand.", "name: golden", "layers:"]
    case_lines = []
    for c in CASES:
        x, weight, bias, y = compute(c)
        arrays = {"input": x, "weight": weight, "output": y}
        if bias is not None:
            arrays["bias"] = bias
        for role, tensor in arrays.items():
            filename = "%s.%s.npy" % (c["name"], role)
            save(os.path.join(DATA, filename), tensor)
            written.add(filename)

        yaml_lines.append("  - name: %s" % c["name"])
        yaml_lines.append("    op: conv2d")
        for key in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias",
                    "padding_mode", "input_shape"):
            yaml_lines.append("    %s: %s" % (key, yaml_value(c[key])))

        top, bottom, left, right = resolved_padding(c)
        n, cin, h, w = c["input_shape"]
        kh, kw = pair(c["kernel_size"])
        sh, sw = pair(c["stride"])
        dh, dw = pair(c["dilation"])
        # A wrong resolution would make every consumer of cases.txt agree on a wrong answer, so check it
        # against the shape PyTorch produced.
        assert y.shape[2] == (h + top + bottom - dh * (kh - 1) - 1) // sh + 1, c["name"]
        assert y.shape[3] == (w + left + right - dw * (kw - 1) - 1) // sw + 1, c["name"]
        fields = [c["name"], n, cin, h, w, c["out_channels"], kh, kw, sh, sw, top, bottom, left, right, dh, dw,
                  c["groups"], int(c["bias"]), c["padding_mode"]]
        case_lines.append(" ".join(str(f) for f in fields))

    # Arrays of cases that were renamed or removed would otherwise linger and look like fixtures.
    for stale in sorted(os.listdir(DATA)):
        if stale.endswith(".npy") and stale not in written:
            os.remove(os.path.join(DATA, stale))

    with open(os.path.join(HERE, "golden.yaml"), "w") as f:
        f.write("\n".join(yaml_lines) + "\n")
    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("\n".join(case_lines) + "\n")

    size = sum(os.path.getsize(os.path.join(DATA, name)) for name in written)
    print("make_golden: %d cases, %d arrays (%.1f KiB) in %s" % (len(CASES), len(written), size / 1024.0, DATA))


if __name__ == "__main__":
    main()
