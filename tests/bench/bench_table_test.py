#!/usr/bin/env python3
"""scripts/bench-table.py on a CSV whose ratios are known: per-row figures, the "-" of an untimed
default, the geometric means, and a clear failure on a file that is not there or is not bench's."""

import os
import subprocess
import sys
import tempfile

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "bench-table.py")
HEADER = ("layer,threads,gflop,convc_median_ms,convc_min_ms,convc_gflops,schedule_origin,untuned_gflops,"
          "onednn_median_ms,onednn_gflops,onednn_kernel,peak_gflops,onednn_nchw_gflops,convc_turn_spread,"
          "onednn_turn_spread\n")
# Layer a: 2x oneDNN, 4x plain, 2x its default, half the peak. Layer b: 0.5x, 1x plain, no default.
ROWS = [
    "a,1,1,1,1,200,tuned (database),100,1,100,k1,400,50,1,1",
    "b,1,1,1,1,100,heuristic default,nan,1,200,k2,400,100,1,1",
    "a,2,1,1,1,400,tuned (database),200,1,200,k1,800,100,1,1",
    "b,2,1,1,1,200,heuristic default,nan,1,400,k2,800,200,1,1",
]


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "results.csv")
        with open(path, "w") as f:
            f.write(HEADER + "\n".join(ROWS) + "\n")
        result = run(path)
        missing = run(os.path.join(folder, "absent.csv"))
        other = os.path.join(folder, "other.csv")
        with open(other, "w") as f:
            f.write("layer,threads\na,1\n")
        wrong = run(other)
    failures = []
    expected = [
        "| a | 200.0 | 100.0 | 2.00x | 4.00x | 2.00x | 50% | 400.0 | 200.0 | 2.00x | 4.00x | 2.00x | 50% | k1 |",
        "| b | 100.0 | 200.0 | 0.50x | 1.00x | - | 25% | 200.0 | 400.0 | 0.50x | 1.00x | - | 25% | k2 |",
        "| geometric mean |  |  | **1.00x** | 2.00x | 2.00x (1 rows) |  |  |  | **1.00x** | 2.00x | 2.00x (1 rows) |  |  |",
        "Measured FMA peak (GFLOP/s): 1T 400, 2T 800.",
    ]
    if result.returncode != 0:
        failures.append(f"exit status {result.returncode}: {result.stderr}")
    for line in expected:
        if line not in result.stdout.splitlines():
            failures.append(f"missing line: {line}")
    if missing.returncode == 0 or "absent.csv: No such file" not in missing.stderr:
        failures.append(f"a missing file gave status {missing.returncode}, stderr {missing.stderr!r}")
    if wrong.returncode == 0 or "no column convc_gflops" not in wrong.stderr:
        failures.append(f"a CSV of other columns gave status {wrong.returncode}, stderr {wrong.stderr!r}")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        print(result.stdout)
        return 1
    print("bench-table.py: rows, means and errors as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
