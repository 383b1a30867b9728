"""What changed between two runs of the review: ``review.json`` and ``evidence diff OLD NEW``.

``evidence run`` writes ``review.json`` beside ``index.html``
(:func:`review_state`): the run's date and mode; every record with its PMID,
design, condition, comparator, screening decision, whether it is retracted
and sha256 fingerprints of its title, abstract and publication types; the
pooled estimates (the analysis plan's rows that combine two or more studies,
:func:`evidence.pooled.pooled_rows`, keyed ``comparison | condition | domain | window |
measure`` as the SoF rows are); the summary-of-findings rows with their certainty; the
verdicts (with ``pending_studies``); the triage queue and the retraction
warnings. :func:`diff_reviews` compares two such states (pure: two dicts in,
a :class:`ReviewDiff` out) and lists

- records that are ``new``, ``changed`` (title, abstract, publication types,
  retraction, design or screening decision) or ``removed``, each with
  ``pmid``, ``design``, ``screening`` and ``status``;
- pooled estimates, SoF certainties and verdicts that changed, each with
  its old and new value (``null`` where it did not exist).

A ``review.json`` written before the pooled estimates came from the analysis plan (no
``pooled_from``) keys them by the former fixed questions (``tth_sham_frequency``): against a
newer one, each is listed as removed and each plan row as added, and the diff's ``notes`` say
why.

A living review reports what changed and why at each update (Elliott 2017).

References
----------
Elliott JH, Synnot A, Turner T, et al. Living systematic review: 1. Introduction - the why,
what, when, and how. J Clin Epidemiol. 2017;91:23-30.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError

__all__ = ["STATE_FORMAT", "FORMATS", "POOLED_FROM", "review_state", "read_state", "diff_reviews",
           "ReviewDiff"]

STATE_FORMAT = 1
FORMATS = ("json", "md", "html")
#: Where the pooled estimates of ``review.json`` come from (absent in files written before).
POOLED_FROM = "analysis_plan"
#: Fields of a pooled estimate compared between runs.
POOLED_FIELDS = ("pooled", "k", "measure", "estimate", "ci_low", "ci_high", "i2", "tau2", "pi_low",
                 "pi_high")
#: Record fields whose change makes a record ``changed``.
RECORD_FIELDS = ("title_sha", "abstract_sha", "publication_types_sha", "retracted", "design", "screening")


def _sha(value) -> str:
    text = " ".join(str(value if isinstance(value, str) else "").split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if hasattr(value, "item"):
        value = value.item()
        return round(value, 6) if isinstance(value, float) and not math.isnan(value) else (
            None if isinstance(value, float) else value)
    return value


def review_state(review, *, date: str) -> dict:
    """The machine-readable state of a review run (written as ``review.json``).

    Parameters
    ----------
    review : evidence.review.Review
        The chain computed once.
    date : str
        The run's date (ISO).
    """
    from .pooled import is_pooled, row_key, row_words

    decisions = review.screening.decisions.set_index("pmid")
    records = []
    for row in review.records.to_dict("records"):
        pmid = str(row["pmid"])
        dec = decisions.loc[pmid] if pmid in decisions.index else None
        records.append({
            "pmid": pmid, "title": " ".join(str(row.get("title") or "").split()),
            "year": _plain(row.get("year")),
            "design": None if dec is None else str(dec["design"]),
            "condition": None if dec is None else str(dec["condition"]),
            "comparator": None if dec is None else str(dec["comparator"] or ""),
            "screening": None if dec is None else ("included" if bool(dec["included"]) else "excluded"),
            "reason": None if dec is None else str(dec["reason"] or ""),
            "retracted": bool(row.get("retracted") or False),
            "title_sha": _sha(row.get("title")), "abstract_sha": _sha(row.get("abstract")),
            "publication_types_sha": _sha(row.get("publication_types")),
        })
    pooled, sof, seen = [], [], {}
    for r, row in zip(review.sof.rows, review.sof.summary_frame().to_dict("records")):
        key = row_key(r)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} #{seen[key]}"
        sof.append({"key": key, "certainty": _plain(row["certainty"]), "k_studies": _plain(row["k_studies"]),
                    "estimate": _plain(row["estimate"]), "ci_low": _plain(row["ci_low"]),
                    "ci_high": _plain(row["ci_high"])})
        if is_pooled(r):  # the analysis plan's pooled rows, under the same key as their SoF row
            values = {"pooled": r.estimate is not None, "k": r.k_studies, "measure": r.measure,
                      **{f: getattr(r, f) for f in POOLED_FIELDS[3:]}}
            pooled.append({"key": key, "question": row_words(r), **{f: _plain(values[f]) for f in POOLED_FIELDS}})
    verdicts = [{"id": v.id, "verdict": v.verdict, "certainty": v.certainty,
                 "pending_studies": int(getattr(v, "pending_studies", 0)),
                 "warnings": [str(w) for w in getattr(v, "warnings", ())]} for v in review.claims]
    queue = getattr(review, "queue", None)
    return {
        "format": STATE_FORMAT, "date": date, "mode": review.settings.mode,
        "records": records, "pooled_from": POOLED_FROM, "pooled": pooled, "sof": sof, "verdicts": verdicts,
        "queue": [] if queue is None else [str(p) for p in queue.items["pmid"]],
        "warnings": [str(w) for w in getattr(review, "warnings", ())],
    }


def read_state(folder: str | Path) -> dict:
    """``review.json`` of a report folder (or the file itself), checked for its shape."""
    path = Path(folder)
    if path.is_dir():
        path = path / "review.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: no such file; give a report folder written by `evidence run` "
                        "(it holds review.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not a readable review.json ({str(exc)[:120]})") from None
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        raise DataError(f"{path}: not a review.json of format {STATE_FORMAT}")
    for key in ("records", "pooled", "sof", "verdicts"):
        if not isinstance(data.get(key), list) or not all(isinstance(x, dict) for x in data[key]):
            raise DataError(f"{path}: '{key}' must be a list of objects")
    if not isinstance(data.get("pooled_from", ""), str):
        raise DataError(f"{path}: 'pooled_from' must be a text")
    for key, field in (("records", "pmid"), ("pooled", "key"), ("sof", "key"), ("verdicts", "id")):
        if not all(isinstance(x.get(field), str) for x in data[key]):
            raise DataError(f"{path}: every item of '{key}' needs a text '{field}'")
    return data


@dataclass(frozen=True)
class ReviewDiff:
    """Differences between two review states (:func:`diff_reviews`)."""

    old_date: str
    new_date: str
    records: tuple[dict, ...]
    pooled: tuple[dict, ...]
    sof: tuple[dict, ...]
    verdicts: tuple[dict, ...]
    #: What a reader must know to read the lists (e.g. pooled estimates keyed differently).
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"old_date": self.old_date, "new_date": self.new_date, "records": list(self.records),
                "pooled": list(self.pooled), "sof": list(self.sof), "verdicts": list(self.verdicts),
                "notes": list(self.notes)}

    def summary_frame(self) -> pd.DataFrame:
        """How many records, pooled estimates, SoF rows and verdicts changed."""
        rows = [(f"records {s}", sum(r["status"] == s for r in self.records)) for s in ("new", "changed", "removed")]
        rows += [("pooled estimates changed", len(self.pooled)), ("SoF certainties changed", len(self.sof)),
                 ("verdicts changed", len(self.verdicts))]
        return pd.DataFrame(rows, columns=["what", "n"]).set_index("what")

    @property
    def empty(self) -> bool:
        return not (self.records or self.pooled or self.sof or self.verdicts)

    def render(self, fmt: str = "json") -> str:
        """The diff as ``json``, ``md`` or ``html`` (an HTML section, escaped)."""
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"
        tables = self._tables()
        if fmt == "md":
            from .triage import MD_SPECIAL as esc

            out = [f"## What changed since {self.old_date.translate(esc)}", ""]
            if self.empty:
                out += ["Nothing changed.", ""]
            out += [note.translate(esc) + "\n" for note in self.notes]
            for title, header, rows in tables:
                out += [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                out += ["| " + " | ".join(str(c).translate(esc) for c in row) + " |" for row in rows]
                out.append("")
            return "\n".join(out)
        e = html.escape
        parts = [f'<section id="changes"><h2>What changed since {e(self.old_date)}</h2>']
        if self.empty:
            parts.append("<p>Nothing changed.</p>")
        parts += [f"<p>{e(note)}</p>" for note in self.notes]
        for title, header, rows in tables:
            head = "".join(f"<th>{e(h)}</th>" for h in header)
            body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
            parts.append(f"<h3>{e(title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        parts.append("</section>")
        return "".join(parts) + "\n"

    def _tables(self) -> list[tuple[str, list[str], list[list]]]:
        def show(value):
            return "—" if value is None else value

        out = []
        if self.records:
            out.append(("Records", ["PMID", "status", "design", "screening", "what changed", "title"],
                        [[r["pmid"], r["status"], show(r["design"]), show(r["screening"]),
                          ", ".join(r["fields"]), r["title"][:120]] for r in self.records]))
        if self.pooled:
            rows = []
            for p in self.pooled:
                if p["old"] is None or p["new"] is None:  # one line for an estimate added or removed
                    rows.append([p["key"], "added" if p["old"] is None else "removed",
                                 show(_brief(p["old"])), show(_brief(p["new"]))])
                else:
                    rows += [[p["key"], f, show(p["old"].get(f)), show(p["new"].get(f))] for f in p["fields"]]
            out.append(("Pooled estimates", ["analysis", "field", "old", "new"], rows))
        if self.sof:
            out.append(("Summary-of-findings certainty", ["row", "old", "new"],
                        [[s["key"], show(s["old"]), show(s["new"])] for s in self.sof]))
        if self.verdicts:
            out.append(("Verdicts", ["claim", "field", "old", "new"],
                        [[v["id"], f, show(v["old"].get(f) if v["old"] else None),
                          show(v["new"].get(f) if v["new"] else None)] for v in self.verdicts for f in v["fields"]]))
        return out


def _brief(pooled: dict | None) -> str | None:
    """A pooled estimate in one line (``MD -1.493753 (-2.52937 to -0.458135), k = 2``)."""
    if pooled is None:
        return None
    if pooled.get("estimate") is None:
        return f"{pooled.get('measure') or '?'}, k = {pooled.get('k')}, no pooled estimate"
    return (f"{pooled.get('measure')} {pooled.get('estimate')} ({pooled.get('ci_low')} to "
            f"{pooled.get('ci_high')}), k = {pooled.get('k')}")


def _by(items: list[dict], key: str) -> dict[str, dict]:
    return {str(x[key]): x for x in items}


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def diff_reviews(old: dict, new: dict) -> ReviewDiff:
    """What changed from the ``old`` review state to the ``new`` one (both as :func:`review_state` gives)."""
    records = []
    old_r, new_r = _by(old["records"], "pmid"), _by(new["records"], "pmid")
    for pmid, row in new_r.items():
        before = old_r.get(pmid)
        if before is None:
            fields, status = [], "new"
        else:
            fields = [f for f in RECORD_FIELDS if before.get(f) != row.get(f)]
            if not fields:
                continue
            status = "changed"
        records.append({"pmid": pmid, "status": status, "design": row.get("design"),
                        "screening": row.get("screening"), "retracted": bool(row.get("retracted")),
                        "fields": [f.replace("_sha", "") for f in fields], "title": row.get("title", "")})
    for pmid, row in old_r.items():
        if pmid not in new_r:
            records.append({"pmid": pmid, "status": "removed", "design": row.get("design"),
                            "screening": row.get("screening"), "retracted": bool(row.get("retracted")),
                            "fields": [], "title": row.get("title", "")})
    pooled = []
    old_p, new_p = _by(old["pooled"], "key"), _by(new["pooled"], "key")
    for key in list(dict.fromkeys([*old_p, *new_p])):
        a, b = old_p.get(key), new_p.get(key)
        fields = [f for f in POOLED_FIELDS if a is None or b is None or not _close(a.get(f), b.get(f))]
        if fields:
            pooled.append({"key": key, "fields": fields,
                           "old": None if a is None else {f: a.get(f) for f in POOLED_FIELDS},
                           "new": None if b is None else {f: b.get(f) for f in POOLED_FIELDS}})
    sof = []
    old_s, new_s = _by(old["sof"], "key"), _by(new["sof"], "key")
    for key in list(dict.fromkeys([*old_s, *new_s])):
        a, b = old_s.get(key, {}).get("certainty"), new_s.get(key, {}).get("certainty")
        if key not in old_s or key not in new_s or a != b:
            sof.append({"key": key, "old": a, "new": b})
    verdicts = []
    old_v, new_v = _by(old["verdicts"], "id"), _by(new["verdicts"], "id")
    compared = ("verdict", "certainty", "pending_studies", "warnings")
    for key in list(dict.fromkeys([*old_v, *new_v])):
        a, b = old_v.get(key), new_v.get(key)
        fields = [f for f in compared if a is None or b is None or a.get(f) != b.get(f)]
        if fields:
            verdicts.append({"id": key, "fields": fields,
                             "old": None if a is None else {f: a.get(f) for f in compared},
                             "new": None if b is None else {f: b.get(f) for f in compared}})
    notes = []
    if old.get("pooled_from") != new.get("pooled_from"):
        notes.append(f"The pooled estimates come from different sources ({_source(old)} before, "
                     f"{_source(new)} now), keyed differently: each old one is listed as removed "
                     "and each new one as added, not as changed.")
    return ReviewDiff(old_date=str(old.get("date", "")), new_date=str(new.get("date", "")),
                      records=tuple(records), pooled=tuple(pooled), sof=tuple(sof), verdicts=tuple(verdicts),
                      notes=tuple(notes))


def _source(state: dict) -> str:
    """Where a state's pooled estimates come from, in words."""
    if state.get("pooled_from") == POOLED_FROM:
        return "the analysis plan's summary-of-findings rows"
    if "pooled_from" not in state:
        return "the former fixed review questions"
    return f"'{str(state['pooled_from'])[:40]}'"
