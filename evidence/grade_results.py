"""The summary-of-findings results: :class:`SofRow` and :class:`SummaryOfFindings`.

One concept of :mod:`evidence.grade` (its door, which re-exports every name
defined here): the frozen result types, their ``to_dict`` (numbers cleaned
of binary noise for JSON) and ``summary_frame`` (:data:`FRAME_COLUMNS`,
:data:`ROW_KINDS`), and :meth:`SummaryOfFindings.select`. How the rows are
built and graded is in :mod:`evidence.grade_rows`; the rules and their
references are in :mod:`evidence.grade`'s docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .analyses import timepoint_months as months_of  # the method's argument is timepoint_months
from .grade_domains import Downgrade


@dataclass(frozen=True)
class SofRow:
    """One row of a summary-of-findings table (GRADEpro style).

    Attributes
    ----------
    question : str
        E.g. ``"Acupuncture vs sham for tension-type headache"``.
    condition, comparison, outcome, timepoint : str
        As in the extraction table (timepoint codes are not banded).
    k_studies : int or None
        Studies (not reports); None when a review's abstract does not state how many
        studies its pooled result rests on (never shown as 0).
    participants : int or None
        Sum of ``n_randomised``; None when any study's number is unknown.
    measure : str
        MD, SMD, RR, OR, RD (trials' measure family), or the review's measure.
    estimate, ci_low, ci_high : float or None
        Natural scale; None when not pooled.
    absolute : str
        The absolute effect in words.
    mid : str
        The minimal important difference judged against, with its source.
    certainty : str
        One of :data:`CERTAINTIES`.
    downgrades : tuple of Downgrade
        One per GRADE domain, in :data:`DOMAINS_GRADE` order.
    study_ids, pmids : tuple of str
        The studies and their main reports' PMIDs, best evidence (largest
        weight) first.
    source : str
        ``"pooled from trials"``, ``"one trial"``, ``"trials, not pooled"``,
        ``"reported without usable numbers"`` (results of ``null_results.csv``
        for a question no trial row answers; no estimate) or
        ``"systematic review <study_id> as reported"``.
    footnotes : tuple of str
        What a reader must know (pooling notes, unknown participants, ...).
    i2, tau2, pi_low, pi_high : float or None
        Heterogeneity of a row that combines two or more studies (I2 in
        percent, tau2 on the analysis scale, the 95% prediction interval on
        the natural scale; None where not estimable or with one study). Kept
        when the studies are shown without a pooled estimate.
    table : str
        ``"main"`` (the main summary-of-findings table) or ``"further"``
        (surrogates, single sessions, results without numbers, other
        populations, reviews as reported: ``evidence sof --all``).
    sensitivity : tuple of dict
        The plan's sensitivity and subgroup analyses that change this row's
        studies, each ``{analysis, words, k_studies, study_ids, estimate,
        ci_low, ci_high, certainty}``.
    outcome_words, timepoint_words : str
        The outcome (domain) and timepoint (window) in words.
    studies : tuple of dict
        The results the row rests on, exactly as picked and pooled (one per study by the
        plan's rule, after any standardisation), in the pool's order: ``{study_id, study,
        outcome, pmid, estimate, ci_low, ci_high, weight, scale}``, estimate and 95% CI on the
        natural scale of :attr:`measure` (the common scale the pool used, e.g. 0-100 for
        pain), ``weight`` the random-effects weight in percent (None when nothing was
        pooled: one study, or results on different scales). Empty for narrative rows and
        the reviews' rows. The forest plots (:mod:`evidence.forests`) draw these.
    """

    question: str
    condition: str
    comparison: str
    outcome: str
    timepoint: str
    k_studies: int | None
    participants: int | None
    measure: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    absolute: str
    mid: str
    certainty: str
    downgrades: tuple[Downgrade, ...]
    study_ids: tuple[str, ...]
    pmids: tuple[str, ...]
    source: str
    footnotes: tuple[str, ...] = field(default=())
    i2: float | None = None
    tau2: float | None = None
    pi_low: float | None = None
    pi_high: float | None = None
    table: str = "main"
    sensitivity: tuple[dict, ...] = field(default=(), hash=False)
    outcome_words: str = ""
    timepoint_words: str = ""
    studies: tuple[dict, ...] = field(default=(), hash=False)

    @property
    def is_review(self) -> bool:
        """True for a systematic review's result as reported."""
        return self.source.startswith("systematic review")

    def to_dict(self) -> dict:
        """JSON-ready dict; ``downgrades`` as ``[{domain, levels, reason}]``."""
        return {
            "question": self.question, "condition": self.condition,
            "comparison": self.comparison, "outcome": self.outcome,
            "timepoint": self.timepoint, "k_studies": self.k_studies,
            "participants": self.participants, "measure": self.measure,
            "estimate": _clean(self.estimate), "ci_low": _clean(self.ci_low),
            "ci_high": _clean(self.ci_high), "absolute": self.absolute, "mid": self.mid,
            "certainty": self.certainty,
            "downgrades": [d.to_dict() for d in self.downgrades],
            "study_ids": list(self.study_ids), "pmids": list(self.pmids),
            "source": self.source, "footnotes": list(self.footnotes),
            "i2": _clean(self.i2), "tau2": _clean(self.tau2), "pi_low": _clean(self.pi_low),
            "pi_high": _clean(self.pi_high), "table": self.table,
            "sensitivity": [dict(s) for s in self.sensitivity],
            "studies": [{k: (_clean(v) if k in _STUDY_NUMBERS else v) for k, v in s.items()}
                        for s in self.studies],
        }


_STUDY_NUMBERS = ("estimate", "ci_low", "ci_high", "weight")


def _clean(x):
    """A finite float for JSON, without binary noise: 16.2 - 22.3 is -6.100000000000001 in
    floating point and is written -6.1 (12 significant digits, far beyond any estimate's
    precision); NaN and inf become None."""
    if x is None:
        return None
    x = float(x)
    return float(f"{x:.12g}") if math.isfinite(x) else None


#: Column order of :meth:`SummaryOfFindings.summary_frame`.
FRAME_COLUMNS = ("question", "comparison", "condition", "outcome", "timepoint", "k_studies",
                 "participants", "measure", "estimate", "ci_low", "ci_high", "absolute", "mid",
                 "certainty", "downgrades", "source", "study_ids", "pmids", "footnotes",
                 "i2", "tau2", "pi_low", "pi_high", "table")


#: Kinds of SoF rows (:meth:`SummaryOfFindings.summary_frame`).
ROW_KINDS = ("all", "trials", "narrative", "reviews", "main", "further")


def _kind(row: SofRow) -> str:
    if row.is_review:
        return "reviews"
    if row.source == "reported without usable numbers":
        return "narrative"
    return "trials"


@dataclass(frozen=True)
class SummaryOfFindings:
    """The summary-of-findings rows of the review.

    Attributes
    ----------
    rows : tuple of SofRow
        Trials' rows first (by condition, comparison, outcome, timepoint),
        then the systematic reviews' rows.
    """

    rows: tuple[SofRow, ...]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self) -> list[dict]:
        """A list of :meth:`SofRow.to_dict`."""
        return [r.to_dict() for r in self.rows]

    def summary_frame(self, *, kind: str = "all") -> pd.DataFrame:
        """One row per SoF row (:data:`FRAME_COLUMNS`); downgrades as ``"domain (-n): reason"``
        joined by ``"; "`` (only the domains that lowered the certainty).

        Parameters
        ----------
        kind : {"all", "trials", "narrative", "reviews", "main", "further"}
            Every row, or only the rows from trials' numbers, from results reported
            without usable numbers, from systematic reviews as reported, of the main
            table or of the further results.
        """
        if kind not in ROW_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ROW_KINDS)}; got {kind!r}")
        out = []
        for r in self.rows:
            if kind in ("main", "further"):
                if r.table != kind:
                    continue
            elif kind != "all" and _kind(r) != kind:
                continue
            d = r.to_dict()
            d["downgrades"] = "; ".join(f"{g.domain} (-{g.levels}): {g.reason}"
                                        for g in r.downgrades if g.levels)
            d["study_ids"] = ", ".join(r.study_ids)
            d["pmids"] = ", ".join(r.pmids)
            d["footnotes"] = " | ".join(r.footnotes)
            out.append(d)
        frame = pd.DataFrame(out, columns=list(FRAME_COLUMNS))
        frame["participants"] = frame["participants"].astype("Int64")
        frame["k_studies"] = frame["k_studies"].astype("Int64")
        return frame

    def select(self, *, conditions=None, comparisons=None, outcomes=None,
               timepoint_months=None) -> tuple[SofRow, ...]:
        """The rows that match every filter given.

        Parameters
        ----------
        conditions, comparisons, outcomes : iterable of str, optional
            Allowed values (any when None).
        timepoint_months : tuple (low, high), optional
            Keep rows whose timepoint, in months after randomisation or
            after the end of treatment (:func:`evidence.analyses.
            timepoint_months`), lies in ``[low, high]``; rows whose
            timepoint gives no time (``not_stated``) are left out.
        """
        def ok(values, x):
            return values is None or x in set([values] if isinstance(values, str) else values)

        if timepoint_months is not None:
            if len(timepoint_months) != 2:
                raise ValueError("timepoint_months must be a (low, high) pair of months; got "
                                 f"{timepoint_months!r}")
        out = []
        for r in self.rows:
            if not (ok(conditions, r.condition) and ok(comparisons, r.comparison)
                    and ok(outcomes, r.outcome)):
                continue
            if timepoint_months is not None:
                months = months_of(r.timepoint)
                if months is None:
                    continue
                if not timepoint_months[0] <= months <= timepoint_months[1]:
                    continue
            out.append(r)
        return tuple(out)
