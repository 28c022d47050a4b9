#!/usr/bin/env python3
"""Render `convc bench` results.csv files as the Markdown tables of docs/performance.md.

usage: python3 scripts/bench-table.py RESULTS.csv [RESULTS.csv ...]

One table per file: a row per layer with, at each thread count, convc's and oneDNN's GFLOP/s,
their ratio against oneDNN's convolution alone (x oneDNN) and against oneDNN on plain tensors,
reorders included (x plain), the selected schedule's speed over the heuristic default's (untuned;
"-" where bench did not time the default apart) and convc's share of the measured FMA peak. The last rows are the
geometric means that docs/performance.md compares with the targets of issue 4.
"""

import csv
import math
import sys


def ratio(a, b):
    return float(a) / float(b)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


COLUMNS = ("layer", "threads", "convc_gflops", "untuned_gflops", "onednn_gflops", "onednn_kernel", "peak_gflops",
           "onednn_nchw_gflops")


def read_rows(path):
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = reader.fieldnames or []
    except OSError as e:
        sys.exit(f"bench-table.py: {path}: {e.strerror}")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        sys.exit(f"bench-table.py: {path}: not a convc bench results.csv (no column {', '.join(missing)})")
    if not rows:
        sys.exit(f"bench-table.py: {path}: no rows")
    return rows


def table(path):
    rows = read_rows(path)
    threads = sorted({r["threads"] for r in rows}, key=int)
    layers = list(dict.fromkeys(r["layer"] for r in rows))
    by = {(r["layer"], r["threads"]): r for r in rows}

    head = ["layer"]
    for t in threads:
        head += [f"convc {t}T", f"oneDNN {t}T", f"x oneDNN {t}T", f"x plain {t}T", f"untuned {t}T", f"peak {t}T"]
    head.append("oneDNN kernel")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]

    x_onednn = {t: [] for t in threads}
    x_plain = {t: [] for t in threads}
    untuned = {t: [] for t in threads}
    for layer in layers:
        cells = [layer]
        kernel = ""
        for t in threads:
            r = by.get((layer, t))
            if r is None:
                cells += ["-"] * 6
                continue
            kernel = r["onednn_kernel"]
            x = ratio(r["convc_gflops"], r["onednn_gflops"])
            p = ratio(r["convc_gflops"], r["onednn_nchw_gflops"])
            x_onednn[t].append(x)
            x_plain[t].append(p)
            u = "-"
            if not math.isnan(float(r["untuned_gflops"])):
                slowdown = ratio(r["convc_gflops"], r["untuned_gflops"])
                untuned[t].append(slowdown)
                u = f"{slowdown:.2f}x"
            peak = 100 * ratio(r["convc_gflops"], r["peak_gflops"])
            cells += [f"{float(r['convc_gflops']):.1f}", f"{float(r['onednn_gflops']):.1f}", f"{x:.2f}x",
                      f"{p:.2f}x", u, f"{peak:.0f}%"]
        cells.append(kernel)
        lines.append("| " + " | ".join(cells) + " |")

    mean = ["geometric mean"]
    for t in threads:
        mean += ["", "", f"**{geomean(x_onednn[t]):.2f}x**", f"{geomean(x_plain[t]):.2f}x",
                 f"{geomean(untuned[t]):.2f}x ({len(untuned[t])} rows)", ""]
    mean.append("")
    lines.append("| " + " | ".join(mean) + " |")
    peaks = ", ".join(f"{t}T {float(by[(layers[0], t)]['peak_gflops']):.0f}" for t in threads if (layers[0], t) in by)
    lines.append("")
    lines.append(f"Measured FMA peak (GFLOP/s): {peaks}.")
    return "\n".join(lines)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("\n\n".join(table(path) for path in sys.argv[1:]))


if __name__ == "__main__":
    main()
