"""Benchmark: pooling time and memory as the number of studies k grows.

For k = 1,000 / 10,000 / 100,000 studies (random GENERIC effect sizes, fixed
seed) and each method (FE, DL, REML, PM) it runs two measurements, each in its
own subprocess so that each peak RSS is its own:

- ``pool``: :func:`evidence.meta.combine_effects` on arrays made in the
  subprocess (the statistics alone);
- ``csv``: the ``evidence meta`` path without the process start: reading a
  CSV file (:func:`evidence.meta.read_meta_csv`) and pooling it
  (:func:`evidence.meta.meta_analysis`).

It prints wall times (the best of 3 runs in the subprocess), peak RSS, the memory added by the measured step (peak
RSS minus the RSS just before it), and the ratios between the largest and the
next k, all measured side by side in this one run.

    .venv/bin/python benchmarks/meta.py [--sizes 1000 10000 100000] [--methods FE DL REML PM]

Target (issue 10, item 5): k = 100,000 pools in seconds with flat memory: the
pooling time grows at most linearly with k and its added memory is a few
vectors of k floats; no k x k matrix is ever built (the old ``np.diag(w)``
form asked for 74.5 GiB at k = 100,000 and took 42 s / 3.3 GB for REML at
k = 10,000).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

METHODS = ("FE", "DL", "REML", "PM")
REPEAT = 3  # runs of each measured step in a subprocess; the best time is reported


def simulate(k: int):
    """``k`` studies: vi ~ U(0.01, 0.5), yi ~ N(0.2, vi + 0.05) (true tau2 = 0.05), fixed seed."""
    import numpy as np

    rng = np.random.default_rng(20261201)
    vi = rng.uniform(0.01, 0.5, k)
    yi = rng.normal(0.2, np.sqrt(vi + 0.05))
    return yi, vi


def build(path: Path, k: int) -> None:
    """Write the :func:`simulate` studies as a GENERIC CSV file."""
    yi, vi = simulate(k)
    with open(path, "w", encoding="utf-8") as out:
        out.write("study,yi,vi\n")
        out.writelines(f"s{i},{y:.17g},{v:.17g}\n" for i, (y, v) in enumerate(zip(yi, vi)))


def _rss_mb() -> float:
    """Current resident set size (VmRSS) in MB; 0 where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker(mode: str, method: str, arg: str, repeat: int = REPEAT) -> dict:
    """Time the step ``repeat`` times (best time: other processes share the CPU)."""
    from evidence import meta

    if mode == "pool":
        yi, vi = simulate(int(arg))

        def step():
            return meta.combine_effects(yi, vi, method=method)
    else:
        def step():
            frame = meta.read_meta_csv(arg, measure="GENERIC")
            return meta.meta_analysis(frame, measure="GENERIC", method=method)
    base_mb = _rss_mb()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "method": method, "k": result.k, "seconds": min(times),
            "first_seconds": times[0], "peak_rss_mb": peak_mb,
            "added_mb": max(0.0, peak_mb - base_mb), "tau2": result.tau2}


def run(mode: str, method: str, arg) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", mode, method, str(arg)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--worker", nargs=3, metavar=("MODE", "METHOD", "ARG"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    results: dict[tuple[str, str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.sizes:
            path = Path(tmp) / f"studies_{k}.csv"
            build(path, k)
            print(f"\nk = {k:,} studies (CSV {path.stat().st_size / 1e6:.1f} MB)")
            print(f"  {'method':<6} {'pool s':>8} {'peak MB':>8} {'added MB':>9} |"
                  f" {'csv+pool s':>10} {'peak MB':>8} {'added MB':>9} | {'tau2':>8}")
            for method in args.methods:
                p = results[("pool", method, k)] = run("pool", method, k)
                c = results[("csv", method, k)] = run("csv", method, path)
                assert p["k"] == c["k"] == k, (p, c)
                print(f"  {method:<6} {p['seconds']:>8.3f} {p['peak_rss_mb']:>8.0f} "
                      f"{p['added_mb']:>9.1f} | {c['seconds']:>10.3f} {c['peak_rss_mb']:>8.0f} "
                      f"{c['added_mb']:>9.1f} | {p['tau2']:>8.5f}")
    if len(args.sizes) >= 2:
        small, large = sorted(args.sizes)[-2:]
        print(f"\nratios, k = {large:,} vs k = {small:,} ({large / small:g}x the studies)")
        print(f"  {'method':<6} {'pool time':>10} {'pool RSS':>9} | {'csv time':>9} {'csv RSS':>8}")
        for method in args.methods:
            ps, pl = results[("pool", method, small)], results[("pool", method, large)]
            cs, cl = results[("csv", method, small)], results[("csv", method, large)]
            print(f"  {method:<6} {pl['seconds'] / ps['seconds']:>9.1f}x "
                  f"{pl['peak_rss_mb'] / ps['peak_rss_mb']:>8.2f}x | "
                  f"{cl['seconds'] / cs['seconds']:>8.1f}x {cl['peak_rss_mb'] / cs['peak_rss_mb']:>7.2f}x")


if __name__ == "__main__":
    main()
