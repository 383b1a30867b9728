"""Plan-driven synthesis: which trial results pool, one per study, and the sensitivity sets.

The analysis plan (:mod:`evidence.plan`) maps each row of the extraction
table to an outcome domain and a time window of its condition
(:func:`assign`); :func:`pick_one_per_study` applies the plan's written rule
so that each study (``study_id``) enters an analysis once; :func:`
sensitivity_sets` gives, for a picked set of studies, the subsets of the
plan's sensitivity and subgroup analyses. Grading and pooling stay in
:mod:`evidence.grade` and :func:`evidence.analyses.pool_studies`; this module
only decides what goes together. Data come as arguments.

Rules
-----
- **Domain**: the plan's domain of the row's outcome code; an outcome code in
  no domain keeps its own code and goes to the further results.
- **Window**: the row's timepoint read in weeks
  (:func:`evidence.analyses.timepoint_weeks`); a result whose timepoint is
  not stated goes to the condition's ``unstated`` window (footnoted, and
  left out by the ``without_unstated_timepoint`` sensitivity analysis). The
  immediate effect of a single session, and conditions without windows in
  the plan, keep their own timepoint code (further results).
- **Common scale**: pain in cm is put on the 0-100 scale (x 10, variance x
  100; Cochrane Handbook 10.5.1); other mean differences pool only on one
  instrument or outcome scale as the plan's domain says.
- **One result per study** (Cochrane Handbook 10.3): the plan's
  ``pick_rule`` keys in order (primary endpoint, the study's own row,
  adjusted, intention to treat, timepoint nearest the window's centre,
  stated timepoint, outcome code listed first in the domain).

References
----------
Higgins JPT, Thomas J, et al. (eds.) Cochrane Handbook for Systematic Reviews
of Interventions, version 6.4 (2023), sections 9.3, 10.3, 10.5, 10.11, 10.14.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .analyses import timepoint_weeks
from .plan import AnalysisPlan
from .texts import PICK_RULE_WORDS

__all__ = ["assign", "place", "pick_one_per_study", "sensitivity_sets", "SINGLE_SESSION",
           "MAIN_OUTCOMES", "choose_main",
           "SensitivityResults", "sensitivity_results", "AnchorComparison",
           "compare_with_anchors"]

SINGLE_SESSION = "immediate_post_session"
_ADJUSTED = re.compile(r"\badjusted\b", re.I)
_UNADJUSTED = re.compile(r"\bunadjusted\b", re.I)
_ITT = re.compile(r"\b(ITT|intent(ion)?[- ]to[- ]treat)\b", re.I)
_CROSSOVER = re.compile(r"cross-?over", re.I)


def _instrument(row) -> str:
    """The instrument named first in the reviewer's note (``[NPQ, lower is better]`` -> NPQ)."""
    source = str(row.get("source", "") or "")
    note = source[source.rfind("[") + 1:].rstrip("]") if "[" in source else ""
    first = note.split(";")[0].split(",")[0].split("(")[0].strip()
    return first.split()[0] if first.split() else "instrument not stated"


def place(outcome: str, condition: str, timepoint: str,
          plan: AnalysisPlan) -> tuple[str, str, float | None, bool, bool]:
    """Where one result goes: ``(domain, window, weeks, unstated, in_plan)``.

    ``domain`` is the plan's domain code (else the outcome code), ``window``
    the condition's window code (else the timepoint code: single sessions,
    conditions without windows, times outside every window); ``unstated`` is
    True when the unstated rule placed it; ``in_plan`` when both come from
    the plan.
    """
    domain = plan.domain_of(str(outcome))
    weeks, _after = timepoint_weeks(str(timepoint))
    window = None
    if str(timepoint) != SINGLE_SESSION:
        window = plan.window_of(str(condition), weeks)
    return (domain.code if domain else str(outcome), window.code if window else str(timepoint),
            weeks, weeks is None and window is not None, domain is not None and window is not None)


def assign(frame: pd.DataFrame, plan: AnalysisPlan) -> pd.DataFrame:
    """Add the plan's domain, window and scale to the prepared extraction rows.

    Parameters
    ----------
    frame : DataFrame
        Rows with ``outcome``, ``condition``, ``timepoint``, ``_family``,
        ``_unit``, ``_yi``, ``_vi`` (as :mod:`evidence.grade` prepares them).
    plan : AnalysisPlan

    Returns
    -------
    DataFrame
        A copy with ``_domain``, ``_window``, ``_weeks`` (NaN when not
        stated), ``_unstated`` (placed by the unstated rule), ``_in_plan``
        (a domain and a window of the plan) and ``_scale``; pain in cm is
        converted to the common 0-100 scale (``_yi`` x 10, ``_vi`` x 100).
    """
    out = frame.copy()
    domains, windows, weeks_, unstated, in_plan, scales = [], [], [], [], [], []
    yi = out["_yi"].astype(float).to_numpy().copy()
    vi = out["_vi"].astype(float).to_numpy().copy()
    for i, (_, row) in enumerate(out.iterrows()):
        domain = plan.domain_of(str(row["outcome"]))
        code_d, code_w, weeks, placed_unstated, placed = place(
            row["outcome"], row["condition"], row["timepoint"], plan)
        domains.append(code_d)
        windows.append(code_w)
        weeks_.append(math.nan if weeks is None else weeks)
        unstated.append(placed_unstated)
        in_plan.append(placed)
        family = row["_family"]
        scale = family
        if family == "MD" and domain is not None:
            if domain.scale == "unit":
                unit = row.get("_unit")
                factor = domain.convert.get(unit) if unit else None
                if factor is not None:
                    yi[i] *= factor
                    vi[i] *= factor * factor
                    scale = domain.common_scale or "common scale"
                else:
                    scale = f"{domain.code} ({unit or 'unit not stated'})"
            elif domain.scale == "outcome":
                scale = domain.scales.get(str(row["outcome"]), str(row["outcome"]))
            else:
                scale = _instrument(row)
        elif family == "MD":
            scale = str(row.get("_scale", family))
        scales.append(scale)
    out["_domain"] = domains
    out["_window"] = windows
    out["_weeks"] = weeks_
    out["_unstated"] = unstated
    out["_in_plan"] = in_plan
    out["_scale"] = scales
    out["_yi"] = yi
    out["_vi"] = vi
    return out


def _key(row, key: str, plan: AnalysisPlan, centre: float | None, domain_order) -> float:
    """Sort key of one pick-rule key: lower comes first."""
    source = str(row.get("source", "") or "")
    if key == "primary":
        return 0.0 if str(row.get("endpoint", "")) == "primary" else 1.0
    if key == "own_label":
        return 0.0 if "(" not in str(row.get("study", "")) else 1.0
    if key == "adjusted":
        return 0.0 if _ADJUSTED.search(source) and not _UNADJUSTED.search(source) else 1.0
    if key == "itt":
        return 0.0 if _ITT.search(source) else 1.0
    if key == "centre":
        weeks = row.get("_weeks")
        if centre is None or weeks is None or not math.isfinite(float(weeks)):
            return math.inf
        return abs(float(weeks) - centre)
    if key == "stated":
        return 1.0 if bool(row.get("_unstated")) else 0.0
    if key == "domain_order":
        return float(domain_order.index(row["outcome"])) if row["outcome"] in domain_order \
            else float(len(domain_order))
    raise ValueError(f"unknown pick key {key!r}")


def pick_one_per_study(group: pd.DataFrame, plan: AnalysisPlan) -> tuple[pd.DataFrame, list[str]]:
    """One row per study (``_study_id``) by the plan's pick rule.

    Parameters
    ----------
    group : DataFrame
        Rows of one comparison x condition x domain x window x measure family
        (from :func:`assign`).
    plan : AnalysisPlan

    Returns
    -------
    picked : DataFrame
        One row per study, in the group's order of studies.
    notes : list of str
        One footnote per row set aside ("... not used: same study; the plan's rule
        takes ...").

    References
    ----------
    Cochrane Handbook 6.4, section 10.3 (a study counts once in an analysis)
    and 9.3.4 (selecting one result per study by a pre-specified rule).
    """
    if group.empty:
        return group, []
    first = group.iloc[0]
    window = plan.window(str(first["condition"]), str(first["_window"]))
    centre = window.centre if window is not None else None
    domain = plan.domain_of(str(first["outcome"]))
    order_codes = list(domain.outcomes) if domain else []
    keys = []
    for _, row in group.iterrows():
        keys.append(tuple(_key(row, k, plan, centre, order_codes) for k in plan.pick_rule))
    ranked = pd.DataFrame({"_study_id": group["_study_id"].to_numpy(), "_rank": keys,
                           "_pos": np.arange(len(group))})
    ranked = ranked.sort_values(["_study_id", "_rank"], kind="stable")
    keep = ranked.drop_duplicates("_study_id", keep="first")
    kept = set(keep["_pos"])
    notes = []
    for _, r in ranked[~ranked["_pos"].isin(kept)].iterrows():
        row = group.iloc[int(r["_pos"])]
        chosen = group.iloc[int(keep[keep["_study_id"] == r["_study_id"]]["_pos"].iloc[0])]
        notes.append(f"{row['study']} ({str(row['outcome']).replace('_', ' ')}, "
                     f"{str(row['timepoint']).replace('_', ' ')}) not used: same study; the "
                     f"plan's rule for one result per study "
                     f"({', '.join(PICK_RULE_WORDS['en'].get(k, k) for k in plan.pick_rule)}) takes "
                     f"{str(chosen['outcome']).replace('_', ' ')} at "
                     f"{str(chosen['timepoint']).replace('_', ' ')}.")
    return group.iloc[sorted(kept)], notes


def _crossover(row, plan: AnalysisPlan) -> bool:
    design = plan.attribute(str(row["_study_id"]), "design")
    if design:
        return design == "crossover"
    return bool(_CROSSOVER.search(str(row.get("n_source", "")) + str(row.get("source", ""))))


def sensitivity_sets(picked: pd.DataFrame, plan: AnalysisPlan, *, high_risk) -> list[tuple]:
    """The plan's sensitivity and subgroup subsets of one analysis.

    Parameters
    ----------
    picked : DataFrame
        One row per study (:func:`pick_one_per_study`).
    plan : AnalysisPlan
    high_risk : callable
        ``high_risk(row) -> bool``: the row's RoB 2 overall judgement is high.

    Returns
    -------
    list of (Sensitivity, DataFrame)
        Only the analyses that change the set of studies (a subset that
        equals the whole set, or a subgroup no study belongs to, is left
        out; an analysis that leaves out every study is kept with an empty
        subset).
    """
    out = []
    comparisons = set(picked["comparison"]) if "comparison" in picked else set()
    for s in plan.sensitivity:
        if s.comparisons and not comparisons <= set(s.comparisons):
            continue
        if s.kind == "without_high_risk":
            mask = np.array([not high_risk(r) for _, r in picked.iterrows()], dtype=bool)
        elif s.kind == "without_crossover":
            mask = np.array([not _crossover(r, plan) for _, r in picked.iterrows()], dtype=bool)
        elif s.kind == "without_unstated_timepoint":
            mask = ~picked["_unstated"].astype(bool).to_numpy()
        else:
            values = [plan.attribute(str(sid), s.attribute) for sid in picked["_study_id"]]
            if not any(values):
                continue
            mask = np.array([v == s.value for v in values], dtype=bool)
            if not mask.any():
                continue
        if mask.all():
            continue
        out.append((s, picked[mask]))
    return out


# ----------------------------------------------------------------------------------------------
# the main table

#: At most this many outcomes per comparison x condition in the main table (GRADE guidelines
#: 12 and 13, Guyatt et al. 2013: a summary-of-findings table holds up to seven
#: patient-important outcomes).
MAIN_OUTCOMES = 7
_TRIAL_SOURCES = ("pooled from trials", "one trial", "trials, not pooled")


def choose_main(rows: list, plan: AnalysisPlan) -> list:
    """Main table or further results, and words for the domain and window of every row.

    The main table takes, per comparison x condition, trial rows with numbers whose outcome
    is a plan domain and whose timepoint is a plan window of a condition of the review, in
    the plan's domain order then its window order, at most :data:`MAIN_OUTCOMES`; everything
    else (surrogates, single sessions, results without numbers, other populations, the
    reviews as reported) goes to the further results (``evidence sof --all``).
    """
    domain_rank = {d.code: i for i, d in enumerate(plan.domains)}
    words_d = {d.code: d.words for d in plan.domains}

    def eligible(r) -> bool:
        return (r.source in _TRIAL_SOURCES and r.outcome in domain_rank
                and plan.window(r.condition, r.timepoint) is not None
                and r.comparison != "acupuncture_vs_mixed")

    def rank(r):
        order = plan.main_windows.get(r.condition, ())
        return (domain_rank[r.outcome],
                order.index(r.timepoint) if r.timepoint in order else len(order))

    chosen: set[int] = set()
    by_question: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        if eligible(r):
            by_question.setdefault((r.comparison, r.condition), []).append(i)
    for idx in by_question.values():
        chosen.update(sorted(idx, key=lambda i: rank(rows[i]))[:MAIN_OUTCOMES])
    out = []
    for i, r in enumerate(rows):
        window = plan.window(r.condition, r.timepoint)
        out.append(replace(r, table="main" if i in chosen else "further",
                           outcome_words=words_d.get(r.outcome, ""),
                           timepoint_words=window.words if window else ""))
    main = sorted((r for r in out if r.table == "main"),
                  key=lambda r: (r.condition, r.comparison, domain_rank[r.outcome],
                                 plan.main_windows[r.condition].index(r.timepoint)))
    return main + [r for r in out if r.table == "further"]


# ----------------------------------------------------------------------------------------------
# results for notebook 04 and the report's appendix


def _num(x) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _estimate_text(measure: str, est, lo, hi) -> str:
    if est is None:
        return "not pooled"
    return f"{measure} {est:.2f} ({lo:.2f} to {hi:.2f})"


@dataclass(frozen=True)
class SensitivityResults:
    """The plan's sensitivity and subgroup analyses beside each main result.

    Attributes
    ----------
    rows : tuple of dict
        One per SoF row x analysis: ``question``, ``outcome``, ``timepoint``
        (the row's domain and window codes; :func:`evidence.texts.ui_label` gives
        their words), ``analysis``, ``words``, ``k_main``, ``main`` (estimate in
        words), ``certainty_main``, ``k_studies``, ``estimate``, ``ci_low``,
        ``ci_high``, ``certainty``, ``changes`` (the certainty or the side of
        the null differs from the main result).
    """

    rows: tuple[dict, ...]

    def summary_frame(self) -> pd.DataFrame:
        """One row per analysis (columns as :attr:`rows`' keys)."""
        columns = ["question", "outcome", "timepoint", "analysis", "words", "k_main", "main",
                   "certainty_main", "k_studies", "estimate", "ci_low", "ci_high",
                   "certainty", "changes"]
        return pd.DataFrame(list(self.rows), columns=columns)

    def to_dict(self) -> list[dict]:
        """A list of the rows."""
        return [dict(r) for r in self.rows]


def _side(est, lo, hi) -> int:
    if est is None or lo is None or hi is None:
        return 0
    return 1 if lo > 0 else (-1 if hi < 0 else 0)


def sensitivity_results(sof) -> SensitivityResults:
    """Collect the sensitivity analyses of every SoF row that has them (main table first).

    Parameters
    ----------
    sof : evidence.grade.SummaryOfFindings or sequence of SofRow

    Returns
    -------
    SensitivityResults

    References
    ----------
    Cochrane Handbook 6.4, sections 10.11 (subgroups) and 10.14 (sensitivity analyses).
    """
    out = []
    rows = sorted(getattr(sof, "rows", sof), key=lambda r: r.table != "main")
    for r in rows:
        for s in r.sensitivity:
            est, lo, hi = s.get("estimate"), s.get("ci_low"), s.get("ci_high")
            changes = (s.get("certainty") != r.certainty
                       or _side(est, lo, hi) != _side(r.estimate, r.ci_low, r.ci_high))
            out.append({"question": r.question, "outcome": r.outcome,
                        "timepoint": r.timepoint,
                        "analysis": s["analysis"], "words": s.get("words", s["analysis"]),
                        "k_main": r.k_studies,
                        "main": _estimate_text(r.measure, r.estimate, r.ci_low, r.ci_high),
                        "certainty_main": r.certainty, "k_studies": s["k_studies"],
                        "estimate": _num(est) if est is not None else None,
                        "ci_low": _num(lo) if lo is not None else None,
                        "ci_high": _num(hi) if hi is not None else None,
                        "certainty": s.get("certainty"), "changes": bool(changes)})
    return SensitivityResults(rows=tuple(out))


@dataclass(frozen=True)
class AnchorComparison:
    """The workbook's rows beside published results for the same questions.

    Attributes
    ----------
    rows : tuple of dict
        ``anchor``, ``question``, ``outcome``, ``timepoint``, ``published``,
        ``published_k``, ``published_certainty``, ``source``, ``workbook``
        (the workbook's estimate in words, or why there is none),
        ``workbook_k``, ``workbook_certainty``, ``workbook_source``.
    """

    rows: tuple[dict, ...]

    def summary_frame(self) -> pd.DataFrame:
        """One row per published anchor."""
        columns = ["anchor", "question", "outcome", "timepoint", "published", "published_k",
                   "published_certainty", "source", "workbook", "workbook_k",
                   "workbook_certainty", "workbook_source"]
        return pd.DataFrame(list(self.rows), columns=columns)

    def to_dict(self) -> list[dict]:
        """A list of the rows."""
        return [dict(r) for r in self.rows]


def compare_with_anchors(sof, plan: AnalysisPlan) -> AnchorComparison:
    """Set the plan's published anchors beside the workbook's trial rows of the same
    comparison x condition x domain x window (the reviews' own rows are not used: the
    comparison is of the workbook's synthesis)."""
    out = []
    for a in plan.anchors:
        mine = [r for r in sof.rows if (r.comparison, r.condition, r.outcome, r.timepoint)
                == (a.comparison, a.condition, a.domain, a.window) and not r.is_review]
        domain = next((d for d in plan.domains if d.code == a.domain), None)
        window = plan.window(a.condition, a.window)
        base = {"anchor": a.code, "question": f"{a.comparison} / {a.condition}",
                "outcome": domain.words if domain else a.domain,
                "timepoint": window.words if window else a.window,
                "published": a.published, "published_k": a.k_studies,
                "published_certainty": a.certainty, "source": a.source}
        if mine:
            r = mine[0]
            base.update(question=r.question,
                        workbook=(_estimate_text(r.measure, r.estimate, r.ci_low, r.ci_high)
                                  + (f"; I2 = {r.i2:.0f}%" if r.i2 is not None else "")),
                        workbook_k=r.k_studies, workbook_certainty=r.certainty,
                        workbook_source=r.source)
        else:
            base.update(workbook="no trial result with numbers in the snapshot",
                        workbook_k=0, workbook_certainty=None, workbook_source="")
        out.append(base)
    return AnchorComparison(rows=tuple(out))
