"""Benchmark: the project's streaming parser vs Bio.Entrez.read vs a bare iterparse walk.

Builds synthetic efetch files of 10,000 and 50,000 records (the snapshot's
records repeated with new PMIDs), then runs each parser on each file in its
own subprocess, so that each peak RSS is its own, and prints records/s, peak
RSS and the ratios, all measured side by side in this one run.

    .venv/bin/python benchmarks/parse.py [--sizes 10000 50000] [--parsers ...] [--rounds N]
                                         [--baseline DIR]

Seconds are wall-clock time; CPU s is the worker's own processor time, the fairer measure
when other programs share the machine (both ratios are printed). Each worker imports its
libraries before its clock starts (pandas for the DataFrame, Bio.Entrez, the project), so
a one-off import is not counted as parsing on one side only; the imports' CPU time is
printed in its own column. ``--rounds N`` runs every parser N times, interleaved, and keeps
each one's fastest run (wall and CPU separately), which steadies the ratios on a shared
machine. ``--baseline DIR`` also times the streaming pass and the DataFrame of the
``evidence`` package in DIR (e.g. ``git archive COMMIT evidence | tar -x -C DIR``), so a
change is measured against the code before it in the same run.

Targets (issue 2): project >= 3x Bio.Entrez.read records/s; the streaming
pass's peak RSS (records consumed one by one, before any DataFrame is built)
grows less than 1.5x from 10k to 50k records.
Issue 17: at 50k records the streaming pass >= 5x and the DataFrame >= 4x Bio.Entrez.read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE.parent / "data" / "pubmed" / "records.xml"
PARSERS = ("project", "project_frame", "bare_iterparse", "bio_entrez_read")


def build(path: Path, n: int) -> None:
    """Write an efetch file of ``n`` records: the snapshot's records with new PMIDs."""
    text = SNAPSHOT.read_text(encoding="utf-8")
    head, rest = text.split("<PubmedArticleSet>", 1)
    records = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", rest, flags=re.S)
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "<PubmedArticleSet>\n")
        for i in range(n):
            rec = records[i % len(records)]
            out.write(re.sub(r"<PMID Version=\"1\">\d+</PMID>", f'<PMID Version="1">{40_000_000 + i}</PMID>', rec, count=1))
            out.write("\n")
        out.write("</PubmedArticleSet>\n")


def worker(name: str, path: str) -> dict:
    name = name.removeprefix("baseline_")  # the same work, with the package from --baseline
    import_start = time.process_time()
    if name == "project":
        from evidence.records import iter_records
    elif name == "project_frame":
        import pandas  # noqa: F401  (parse_records imports it on its first call)

        from evidence.records import parse_records
    elif name == "bare_iterparse":
        import xml.etree.ElementTree as ET
    elif name == "bio_entrez_read":
        from Bio import Entrez
    else:
        raise SystemExit(f"unknown parser {name}")
    import_cpu = time.process_time() - import_start
    start, cpu_start = time.perf_counter(), time.process_time()
    if name == "project":
        count = sum(1 for _ in iter_records(path))
    elif name == "project_frame":
        count = len(parse_records(path))
    elif name == "bare_iterparse":
        count = 0
        for _, elem in ET.iterparse(path, events=("end",)):
            if elem.tag == "PubmedArticle":
                elem.findtext("MedlineCitation/Article/ArticleTitle")
                "".join(elem.find("MedlineCitation/Article/Abstract").itertext()) if elem.find(
                    "MedlineCitation/Article/Abstract") is not None else ""
                [a.findtext("LastName") for a in elem.iterfind("MedlineCitation/Article/AuthorList/Author")]
                count += 1
                elem.clear()
    else:
        with open(path, "rb") as handle:
            count = len(Entrez.read(handle, validate=True)["PubmedArticle"])
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"parser": name, "records": count, "seconds": seconds, "cpu_seconds": cpu,
            "import_cpu_seconds": import_cpu, "peak_rss_mb": peak_kb / 1024}


def run(name: str, path: Path, baseline: str | None) -> dict:
    env = dict(os.environ)
    if name.startswith("baseline_"):
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [baseline, env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, __file__, "--worker", name, str(path)],
                          capture_output=True, text=True, check=True, env=env)
    return json.loads(proc.stdout)


def best(runs: list[dict]) -> dict:
    """The fastest of a parser's runs: least wall time and least CPU time (each on its own)."""
    out = dict(min(runs, key=lambda r: r["seconds"]))
    for key in ("cpu_seconds", "import_cpu_seconds"):
        out[key] = min(r[key] for r in runs)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--parsers", nargs="+", default=list(PARSERS), choices=PARSERS)
    parser.add_argument("--rounds", type=int, default=1, help="runs per parser, interleaved; the fastest counts")
    parser.add_argument("--baseline", metavar="DIR", help="also time project and project_frame with the "
                        "evidence package in DIR")
    parser.add_argument("--worker", nargs=2, metavar=("PARSER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    names = list(args.parsers)
    if args.baseline:
        if not (Path(args.baseline) / "evidence" / "records.py").is_file():
            parser.error(f"--baseline {args.baseline}: no evidence/records.py there")
        args.baseline = str(Path(args.baseline).resolve())
        names += [f"baseline_{n}" for n in ("project", "project_frame") if n in args.parsers]
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"efetch_{n}.xml"
            build(path, n)
            size_mb = path.stat().st_size / 1e6
            print(f"\n{n:,} records ({size_mb:.0f} MB)")
            runs: dict[str, list[dict]] = {name: [] for name in names}
            for _ in range(args.rounds):
                for name in names:
                    r = run(name, path, args.baseline)
                    assert r["records"] == n, r
                    runs[name].append(r)
            print(f"  {'parser':<22} {'records/s':>10} {'seconds':>8} {'CPU s':>8} {'import CPU s':>13} "
                  f"{'peak RSS MB':>12}")
            for name in names:
                r = results[(name, n)] = best(runs[name])
                print(f"  {name:<22} {n / r['seconds']:>10,.0f} {r['seconds']:>8.2f} {r['cpu_seconds']:>8.2f} "
                      f"{r['import_cpu_seconds']:>13.2f} {r['peak_rss_mb']:>12.0f}")
    print(f"\nratios (best of {args.rounds} run{'s' if args.rounds > 1 else ''} each)")
    for n in args.sizes:
        if ("bio_entrez_read", n) in results:
            base = results[("bio_entrez_read", n)]
            for name in ("project", "project_frame", "bare_iterparse", "baseline_project", "baseline_project_frame"):
                if (name, n) in results:
                    r = results[(name, n)]
                    print(f"  {n:,}: {name} / Bio.Entrez.read speed = {base['seconds'] / r['seconds']:.1f}x "
                          f"(CPU time: {base['cpu_seconds'] / r['cpu_seconds']:.1f}x)")
        if ("project", n) in results and ("bare_iterparse", n) in results:
            ratio = results[("project", n)]["seconds"] / results[("bare_iterparse", n)]["seconds"]
            print(f"  {n:,}: project time / bare iterparse time = {ratio:.2f}")
    if len(args.sizes) >= 2 and all(("project", n) in results for n in args.sizes[:2]):
        small, large = args.sizes[0], args.sizes[-1]
        growth = results[("project", large)]["peak_rss_mb"] / results[("project", small)]["peak_rss_mb"]
        print(f"  streaming peak RSS {large:,} / {small:,} records = {growth:.2f}x (target < 1.5x)")


if __name__ == "__main__":
    main()
