"""Benchmark: the project's streaming parser vs Bio.Entrez.read vs a bare iterparse walk.

Builds synthetic efetch files of 10,000 and 50,000 records (the snapshot's
records repeated with new PMIDs), then runs each parser on each file in its
own subprocess, so that each peak RSS is its own, and prints records/s, peak
RSS and the ratios, all measured side by side in this one run.

    .venv/bin/python benchmarks/parse.py [--sizes 10000 50000] [--parsers ...]

Seconds are wall-clock time; CPU s is the worker's own processor time, the fairer measure
when other programs share the machine (both ratios are printed).

Targets (issue 2): project >= 3x Bio.Entrez.read records/s; the streaming
pass's peak RSS (records consumed one by one, before any DataFrame is built)
grows less than 1.5x from 10k to 50k records.
Issue 17: at 50k records the streaming pass >= 5x and the DataFrame >= 4x Bio.Entrez.read.
"""

from __future__ import annotations

import argparse
import json
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
    start, cpu_start = time.perf_counter(), time.process_time()
    if name == "project":
        from evidence.records import iter_records

        count = sum(1 for _ in iter_records(path))
    elif name == "project_frame":
        from evidence.records import parse_records

        count = len(parse_records(path))
    elif name == "bare_iterparse":
        import xml.etree.ElementTree as ET

        count = 0
        for _, elem in ET.iterparse(path, events=("end",)):
            if elem.tag == "PubmedArticle":
                elem.findtext("MedlineCitation/Article/ArticleTitle")
                "".join(elem.find("MedlineCitation/Article/Abstract").itertext()) if elem.find(
                    "MedlineCitation/Article/Abstract") is not None else ""
                [a.findtext("LastName") for a in elem.iterfind("MedlineCitation/Article/AuthorList/Author")]
                count += 1
                elem.clear()
    elif name == "bio_entrez_read":
        from Bio import Entrez

        with open(path, "rb") as handle:
            count = len(Entrez.read(handle, validate=True)["PubmedArticle"])
    else:
        raise SystemExit(f"unknown parser {name}")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"parser": name, "records": count, "seconds": seconds, "cpu_seconds": cpu,
            "peak_rss_mb": peak_kb / 1024}


def run(name: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", name, str(path)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--parsers", nargs="+", default=list(PARSERS), choices=PARSERS)
    parser.add_argument("--worker", nargs=2, metavar=("PARSER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"efetch_{n}.xml"
            build(path, n)
            size_mb = path.stat().st_size / 1e6
            print(f"\n{n:,} records ({size_mb:.0f} MB)")
            print(f"  {'parser':<16} {'records/s':>10} {'seconds':>8} {'CPU s':>8} {'peak RSS MB':>12}")
            for name in args.parsers:
                r = run(name, path)
                assert r["records"] == n, r
                results[(name, n)] = r
                print(f"  {name:<16} {n / r['seconds']:>10,.0f} {r['seconds']:>8.2f} {r['cpu_seconds']:>8.2f} "
                      f"{r['peak_rss_mb']:>12.0f}")
    print("\nratios")
    for n in args.sizes:
        if ("bio_entrez_read", n) in results:
            base = results[("bio_entrez_read", n)]
            for name in ("project", "project_frame", "bare_iterparse"):
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
