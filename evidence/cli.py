"""The ``evidence`` command: a thin layer over the package's public functions.

Every subcommand exits 0 on success and 2 with one line on stderr (naming the
input and the problem, no traceback) on bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import EvidenceError, clean_line, redact
from .escape import terminal_text
from .vocab import POOLING_MEASURES

# Only light modules above: `evidence --help` must not import pandas, scipy, matplotlib or the
# review (they take seconds). Each subcommand imports what it needs when it runs;
# tests/test_cli_imports.py checks what `--help` leaves in sys.modules.

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (its default prints the usage too)."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised through main()
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _emit(text: str, out: str | None) -> None:
    if out:
        from .snapshot import atomic_write

        atomic_write(Path(out), text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _out_file(value: str | None, option: str = "--out") -> str | None:
    """Check an output file path before any work is done: its folder exists and it is not a folder."""
    if not value:
        return value
    path = Path(value)
    if path.is_dir():
        raise EvidenceError(f"{option} {value}: is a folder; give a file name, e.g. {path / 'out.csv'}")
    parent = path.parent
    if not parent.exists():
        raise EvidenceError(f"{option} {value}: the folder {parent} does not exist; create it first")
    if not parent.is_dir():
        raise EvidenceError(f"{option} {value}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK):
        raise EvidenceError(f"{option} {value}: the folder {parent} is not writable")
    return value


def _out_dir(value: str, option: str = "--out") -> Path:
    """Check an output folder before any work is done: not a file, creatable, writable."""
    path = Path(value)
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        what = "is a file" if probe == path else f"cannot be created: {probe} is a file"
        raise EvidenceError(f"{option} {value}: {what}; give a folder for the report")
    if not os.access(probe, os.W_OK):
        raise EvidenceError(f"{option} {value}: {probe} is not writable")
    return path


def _date_option(value: str) -> str:
    """argparse type of --mindate/--maxdate: YYYY, YYYY/MM or YYYY/MM/DD, checked at once."""
    from .pubmed import _parse_date

    try:
        _parse_date(value, end=False, name="")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: {str(exc).split('is not a date: ', 1)[-1]}") from None
    return value


def _batch_option(value: str) -> int:
    """argparse type of --batch: a whole number from 1 to 9,999."""
    if not value.strip().isdigit() or not 1 <= int(value) <= 9_999:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number from 1 to 9999")
    return int(value)


def _input_file(value: str, name: str, what: str) -> Path:
    """An input file that must exist and be a file; ``name`` is how the message names it."""
    path = Path(value)
    if not path.exists():
        raise EvidenceError(f"{name}: no such file")
    if path.is_dir():
        raise EvidenceError(f"{name}: is a folder, not {what}")
    return path


def _xml_path(value: str) -> str:
    _input_file(value, f"--xml {value}", "an efetch XML file")
    return value


# -- subcommands --------------------------------------------------------------
def _cmd_records(args) -> int:
    from .frames import frame_text
    from .records import read_records

    _out_file(args.out)
    frame = read_records(_xml_path(args.xml), progress=args.progress)
    _emit(frame_text(frame, args.format), args.out)
    return 0


def _cmd_classify(args) -> int:
    from .designs import classify_xml
    from .frames import frame_text

    frame = classify_xml(_xml_path(args.xml))
    _emit(frame_text(frame[["pmid", "design", "condition", "comparator", "rule"]], args.format), None)
    return 0


def _cmd_mine(args) -> int:
    from .frames import frame_text
    from .miner import mine_xml

    _emit(frame_text(mine_xml(_xml_path(args.xml)), args.format), None)
    return 0


def _cmd_fetch(args) -> int:
    from .frames import frame_text
    from .pubmed import PubMed, _parse_date, normalise_pmids
    from .records import parse_records
    from .settings import load_settings

    _out_file(args.out)
    if args.term is not None and not args.term.strip():
        raise EvidenceError("--term is empty; give a PubMed query, e.g. --term 'acupuncture AND neck pain'")
    if bool(args.mindate) != bool(args.maxdate):
        raise EvidenceError("--mindate and --maxdate go together (E-utilities needs both); give both or neither")
    if args.mindate and _parse_date(args.mindate, end=False) > _parse_date(args.maxdate, end=True):
        raise EvidenceError(f"--mindate {args.mindate} is after --maxdate {args.maxdate}")
    if args.pmids is not None:
        try:
            pmids = normalise_pmids(args.pmids)
        except ValueError as exc:
            raise EvidenceError(f"--pmids: {exc}; give PMIDs separated by commas, e.g. --pmids 9758075,11128820") from None
        if not pmids:
            raise EvidenceError("--pmids is empty; give PMIDs separated by commas, e.g. --pmids 9758075,11128820")
    settings = load_settings()
    client = PubMed(settings, progress="auto")  # in record mode: checks the snapshot is writable
    if args.term:
        result = client.search(args.term, mindate=args.mindate, maxdate=args.maxdate,
                               datetype=args.datetype)
        searched = (
            f"esearch: {result.count} records in {len(result.slices)} request(s); "
            f"PubMed read the query as: {terminal_text(result.query_translation)}"
        )
        source = result
    else:
        source = args.pmids
    bodies = client.fetch(source, batch=args.batch)
    frame = parse_records(bodies)
    if args.term:  # after the fetch, so that a failure prints one line only
        print(searched, file=sys.stderr)
    where = f"; recorded in {settings.snapshot_dir}" if settings.mode == "record" else ""
    print(f"efetch: {len(frame)} records in {len(bodies)} batch(es) ({settings.mode}){where}",
          file=sys.stderr)
    if args.out:
        _emit(frame_text(frame, args.format), args.out)
    return 0


def _cmd_meta(args) -> int:
    from .meta import meta_from_csv

    _input_file(args.input, f"--input {args.input}", "a CSV file")
    result = meta_from_csv(args.input, measure=args.measure, method=args.method,
                           hksj=args.hksj, transf=args.transf)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


def _cmd_claims(args) -> int:
    from . import review
    from .report import render_claims
    from .settings import load_settings
    from .snapshot import Snapshot

    _out_file(args.out)
    settings = load_settings()
    records = review.load_records(settings=settings)
    report = review.check_claims(settings, records=records)
    text = render_claims(report, records, fmt=args.format, lang=args.lang,
                         snapshot=Snapshot(settings.snapshot_dir))
    _emit(text, args.out)
    return 0


def _cmd_sof(args) -> int:
    from . import review
    from .grade import sof_text

    # with the records: studies whose main report is retracted leave the table
    _emit(sof_text(review.load_sof(records=review.load_records()), fmt=args.format, all=args.all), args.out)
    return 0


def _cmd_cite_check(args) -> int:
    from . import review
    from .citecheck import STRICT_FAILURES

    _input_file(args.file, args.file, "a reference list (one reference a line)")
    text, results = review.check_reference_file(args.file, fmt=args.format)
    _emit(text, None)
    return 1 if args.strict and any(r.status in STRICT_FAILURES for r in results) else 0


def _cmd_init(args) -> int:
    from .settings import REPO_ROOT
    from .workbook import copy_workbook

    dest = Path(args.dir).expanduser().absolute()
    files = copy_workbook(REPO_ROOT, dest)
    print(f"evidence init: {len(files)} files in {dest} (notebooks/, data/). To use them:\n"
          f"  export EVIDENCE_DATA={dest / 'data'} EVIDENCE_SNAPSHOT={dest / 'data' / 'pubmed'}\n"
          f"  jupyter lab {dest / 'notebooks'}", file=sys.stderr)
    return 0


def _cmd_run(args) -> int:
    from .run import run_workbook

    if args.since is not None and not Path(args.since).exists():
        raise EvidenceError(f"--since {args.since}: no such report folder")
    run_workbook(out=_out_dir(args.out), store=args.store_outputs, since=args.since)
    return 0


def _cmd_diff(args) -> int:
    # imported here: only `evidence diff` needs it
    from .diff import diff_reviews, read_state

    _out_file(args.out)
    changes = diff_reviews(read_state(args.old), read_state(args.new))
    _emit(changes.render(args.format), args.out)
    return 0


def _cmd_update(args) -> int:
    # imported here: only `evidence update` needs the import machinery
    from dataclasses import replace

    from . import review
    from .frames import frame_text
    from .pubmed import PubMed
    from .settings import load_settings
    from .snapshot import Snapshot
    from .update import import_file, live_update

    settings = load_settings()
    if args.file is None:  # the recorded searches again, from their last run (record/live modes)
        result = live_update(PubMed(settings, progress="auto"))
        stored = bool(result.stored)
    else:
        _input_file(args.file, f"--file {args.file}", "a PubMed file")
        result = import_file(Snapshot(settings.snapshot_dir), args.file)
        stored = result.entry is not None
    if stored and (settings.data_dir / "studies.csv").exists():
        # the queue changed: refresh the miner's suggestions for the records waiting in it
        replay = replace(settings, mode="replay")  # the records just stored: no network needed
        queue = review.load_queue(replay, records=review.load_records(settings=replay))
        print(f"evidence update: {len(queue)} records in the triage queue; suggestions in "
              f"{review.write_suggested_effects(queue, replay)}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(frame_text(result.summary_frame(), "csv"))
    print(f"evidence update: {result.message()}", file=sys.stderr)
    return 0


def _xml_command(sub, name: str, func, *, formats: tuple[str, ...], help: str, description: str):
    """A subcommand that reads one efetch XML file (``--xml``) and prints a table."""
    p = sub.add_parser(name, help=help, description=description)
    p.add_argument("--xml", required=True, metavar="PATH", help="efetch XML file (.xml or .xml.gz)")
    p.add_argument("--format", choices=formats, default=formats[0],
                   help=f"output format (default {formats[0]})")
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evidence",
        description="Evidence-review workbook: acupuncture for tension-type headache and neck pain. "
        "Mode and folders come from EVIDENCE_MODE, NCBI_EMAIL, NCBI_API_KEY, "
        "EVIDENCE_SNAPSHOT and EVIDENCE_DATA (see the README).",
    )
    parser.add_argument("--version", action="version", version=f"evidence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = _xml_command(sub, "records", _cmd_records, formats=("csv", "json"),
                     help="parse PubMed efetch XML into the records table",
                     description="Parse a PubMed efetch XML file (PubmedArticleSet; .xml or "
                     ".xml.gz) into the records table, one row per record. A provenance.csv "
                     "beside the file adds abstract_complete and authors_complete.")
    p.add_argument("--out", metavar="PATH", help="write here (atomically) instead of standard output")
    p.add_argument("--progress", action="store_true", help="show a progress bar while parsing")

    _xml_command(sub, "classify", _cmd_classify, formats=("csv", "json"),
                 help="classify study designs, conditions and comparators",
                 description="Classify each record of a PubMed efetch XML file: design "
                 "(systematic_review, rct, non_randomised_trial, protocol, observational, "
                 "narrative_review, mechanistic, case_report, guideline, other), condition "
                 "(tension_type_headache, neck_pain, both, chronic_pain, other), comparator for "
                 "trials (sham, usual_care, active, mixed, none) and the rule that decided.")

    _xml_command(sub, "mine", _cmd_mine, formats=("json", "csv"),
                 help="find effect statements with a confidence interval in abstracts",
                 description="Find the effect statements with a confidence interval in the "
                 "abstracts of a PubMed efetch XML file: pmid, measure (RR, OR, HR, RD, SMD, MD, "
                 "WMD, other), value, ci_low, ci_high, ci_level, p, start, end (offsets into the "
                 "record's abstract as `evidence records` gives it) and text.")

    p = sub.add_parser("fetch", help="search and fetch PubMed records (record/live/replay)",
                       description="Search PubMed and fetch every record found, in the mode "
                       "EVIDENCE_MODE says: record (live, writes the snapshot), live (no writes), "
                       "replay (from the snapshot). Live modes need NCBI_EMAIL.")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--term", help="PubMed query, e.g. 'acupuncture AND tension-type headache'")
    what.add_argument("--pmids", help="comma-separated PMIDs to fetch instead of searching")
    p.add_argument("--mindate", type=_date_option, help="publication date from (YYYY, YYYY/MM or YYYY/MM/DD)")
    p.add_argument("--maxdate", type=_date_option, help="publication date to (YYYY, YYYY/MM or YYYY/MM/DD)")
    p.add_argument("--datetype", default="pdat", choices=("pdat", "edat", "mdat", "crdt"),
                   help="date the range applies to (default pdat, publication date)")
    p.add_argument("--batch", type=_batch_option, default=500,
                   help="records per efetch request, 1 to 9999 (default 500)")
    p.add_argument("--out", metavar="PATH", help="also write the records table here")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="format of --out (default csv)")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("meta", help="pool the studies of a CSV file (metafor-equal)",
                       description="Pool the studies in a CSV file and print one JSON object "
                       "(k, measure, method, hksj, estimate, ci_low, ci_high, yi, se, tau2, i2, h2, "
                       "q, q_df, q_p, pi_low, pi_high). Effect sizes and zero cells follow R "
                       "metafor's escalc defaults; results equal metafor 3.8 to 1e-6.")
    p.add_argument("--input", required=True, metavar="CSV",
                   help="binary: study,events_t,n_t,events_c,n_c; continuous: "
                   "study,mean_t,sd_t,n_t,mean_c,sd_c,n_c; GENERIC: study,yi,vi")
    p.add_argument("--measure", required=True, type=str.upper,
                   choices=POOLING_MEASURES, help="effect measure")
    p.add_argument("--method", required=True, type=str.upper, choices=("FE", "MH", "DL", "REML", "PM"),
                   help="FE (inverse variance), MH (Mantel-Haenszel, binary only), or random "
                   "effects with the DL, REML or PM tau^2 estimator")
    p.add_argument("--hksj", action="store_true",
                   help="Hartung-Knapp-Sidik-Jonkman interval (t on k-1 df; metafor test='knha')")
    p.add_argument("--transf", choices=("exp", "none"), default="none",
                   help="GENERIC only: exponentiate estimate, CI and PI (yi on the log scale)")
    p.add_argument("--format", choices=("json",), default="json", help="output format (json)")
    p.set_defaults(func=_cmd_meta)

    p = sub.add_parser("claims", help="check the article's claims against the evidence",
                       description="Check the claims of the article's literature section against the "
                       "records and extracted effects: a verdict (supported, supported_with_caveats, "
                       "overstated, not_supported, no_evidence), a GRADE-style certainty, the PMIDs "
                       "cited (best evidence first) and a summary of why.")
    p.add_argument("--format", choices=("json", "md", "html"), default="json",
                   help="json (the contract's list), md (Markdown to paste) or html (one self-contained page)")
    p.add_argument("--out", metavar="PATH", help="write here (atomically) instead of standard output")
    p.add_argument("--lang", choices=("en", "nl"), default="en",
                   help="language of verdict labels and the summaries' fixed text in md/html (default en)")
    p.set_defaults(func=_cmd_claims)

    p = sub.add_parser("sof", help="GRADE summary-of-findings table per question",
                       description="Print the summary-of-findings rows (GRADE): question, "
                       "comparison, outcome, timepoint, k_studies, participants, measure, "
                       "estimate, ci_low, ci_high, absolute, mid, certainty and downgrades "
                       "({domain, reason}), from the data folder's effects, studies, risk of "
                       "bias, null results and MIDs.")
    p.add_argument("--format", choices=("json", "csv", "md"), default="json",
                   help="json (list of rows), csv or md (Markdown table with footnotes)")
    p.add_argument("--all", action="store_true",
                   help="add the further results (surrogates, single sessions, results without "
                   "numbers, other populations, reviews as reported) to the main table (at most "
                   "7 outcomes per comparison x condition, chosen by data/analysis_plan.yaml)")
    p.add_argument("--out", metavar="PATH", help="write here (atomically) instead of standard output")
    p.set_defaults(func=_cmd_sof)

    p = sub.add_parser("cite-check", help="check an author's reference list against PubMed records",
                       description="Resolve each line of FILE (a PMID, a DOI, or a Vancouver/APA "
                       "reference; blank lines and lines starting with # are skipped) to a PubMed record "
                       "and report ok, mismatch (year, journal, first_author, title), not_found, "
                       "ambiguous or retracted. Replay mode uses the snapshot only.")
    p.add_argument("file", metavar="FILE", help="the reference list, one reference a line")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (terminal, default), csv or json")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when any reference is a mismatch or not_found (for CI); default: exit 0")
    p.set_defaults(func=_cmd_cite_check)

    p = sub.add_parser("run", help="run the whole workbook headless and write the report",
                       description="Run the workbook from the snapshot (or live, per "
                       "EVIDENCE_MODE) and write the report: index.html, tables/*.csv, figures/*.png.")
    p.add_argument("--out", default="reports", metavar="DIR", help="report folder (default reports/)")
    p.add_argument("--store-outputs", action="store_true",
                   help="also write the executed notebooks back to notebooks/ (refreshes the outputs "
                   "that nbval compares against; commit them after a deliberate change)")
    p.add_argument("--since", metavar="OLD_REPORT",
                   help="an earlier report folder: index.html gets a 'What changed since DATE' section")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("diff", help="what changed between two report folders (living review)",
                       description="Compare the review.json of two report folders written by `evidence "
                       "run`: records new, changed or removed (pmid, design, screening decision, status), "
                       "and the pooled estimates, summary-of-findings certainties and verdicts that "
                       "changed, each with its old and new value.")
    p.add_argument("old", metavar="OLD", help="the earlier report folder (or its review.json)")
    p.add_argument("new", metavar="NEW", help="the later report folder (or its review.json)")
    p.add_argument("--format", choices=("json", "md", "html"), default="json",
                   help="json (default), md (Markdown) or html (a section to paste into a page)")
    p.add_argument("--out", metavar="PATH", help="write here (atomically) instead of standard output")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("update", help="add new PubMed records to the snapshot (living review)",
                       description="In record/live mode: run each recorded search again from the "
                       "date of its last run (PubMed entry date, datetype=edat) and fetch only the PMIDs "
                       "the snapshot lacks (record mode stores them as new manifest entries, origin "
                       "update). Or import a file saved from PubMed (--file: the PubMed text format, "
                       "MEDLINE tags, or PubMed XML) into the snapshot as a new manifest entry (origin "
                       "import); existing entries and files stay byte-identical, and the same file "
                       "imported twice adds nothing. Prints each record's status: new, changed (title, "
                       "abstract or publication types differ from the held record) or unchanged, and "
                       "whether it is retracted.")
    p.add_argument("--file", metavar="PATH", help="PubMed text (MEDLINE) or PubMed XML file to import")
    p.add_argument("--format", choices=("csv", "json"), default="csv",
                   help="output: csv (one row per record, default) or json")
    p.set_defaults(func=_cmd_update)

    p = sub.add_parser("init", help="copy the notebooks and data into a new folder to edit",
                       description="Copy the workbook's notebooks and data files (the snapshot "
                       "included) into DIR, a new or empty folder: from the repository or from the "
                       "copy a wheel install (pip install .) put under <prefix>/share/evidence. "
                       "Point EVIDENCE_DATA and EVIDENCE_SNAPSHOT at the copy to use it.")
    p.add_argument("dir", metavar="DIR", help="the new workbook folder (must not exist, or be empty)")
    p.set_defaults(func=_cmd_init)
    return parser


def _one_line(exc: object) -> str:
    """The error as one clean line, the API key and e-mail redacted (a last defence)."""
    secrets = (os.environ.get("NCBI_API_KEY", "").strip(), os.environ.get("NCBI_EMAIL", "").strip())
    return redact(clean_line(str(exc)), secrets)


def _file_error(exc: OSError) -> str:
    """An OSError as 'PATH: what is wrong' (no errno, no traceback)."""
    where = exc.filename or ""
    reason = exc.strerror or str(exc)
    hints = {
        IsADirectoryError: "is a folder; give a file name",
        NotADirectoryError: "a part of this path is a file, not a folder",
        FileNotFoundError: "no such file or folder (create the folder first)",
        PermissionError: "permission denied (not writable/readable by you)",
    }
    for kind, hint in hints.items():
        if isinstance(exc, kind):
            reason = hint
            break
    return f"{where}: {reason}" if where else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (EvidenceError, ValueError) as exc:
        print(f"evidence {args.command}: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"evidence {args.command}: {_one_line(_file_error(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"evidence {args.command}: interrupted", file=sys.stderr)
        return 130
