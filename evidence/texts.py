"""Translated texts of the workbook, English and Dutch.

Everything the workbook writes around the evidence lives here, so that a translator edits
one file and the Dutch page shows no English fragment. The evidence itself (titles, quoted
sentences, study names) stays as published.

This module is the door: every name of its parts is importable from ``evidence.texts``, as
before the split. The parts, one concept each (a translator edits these files):

- :mod:`evidence.texts_ui`: the report's user interface (headings, column names, the words for
  the codes of the vocabularies): names start with ``UI_``/``ui_``. :func:`ui_label` turns a
  code (``tension_type_headache``, ``acupuncture_vs_sham``, ``weeks_9_to_12``) into words in a
  language; an unknown code becomes its words with the underscores as spaces, so that no code
  is ever shown as it is stored;
- :mod:`evidence.texts_claims`: the claims' verdict texts: names start with ``CLAIM_``/``claim_``
  (labels for sentences, the summaries' fixed texts, the rules, numbers and timepoints in words);
- :mod:`evidence.texts_render`: stored claim sentences rendered in a language; the absolute
  effect in Dutch (:func:`claim_render`, :func:`claim_absolute`);
- :mod:`evidence.texts_statements`: GRADE's informative statements (``STATEMENT_*``);
- :mod:`evidence.texts_report`: the report's cards (``REPORT_*``, :func:`report_text`);
- :mod:`evidence.texts_figures`: the figures' words (:data:`FIGURE_TEXTS`, :func:`figure_text`).
"""

from __future__ import annotations

# re-exported: evidence.texts is the door to every name its parts define
from .texts_claims import (CLAIM_ANALYSIS_LABELS, CLAIM_CERTAINTY_LABELS, CLAIM_COMPARISON_LABELS,  # noqa: F401
                           CLAIM_CONDITION_LABELS, CLAIM_DESIGN_LABELS, CLAIM_DOMAIN_LABELS, CLAIM_LANGS,
                           CLAIM_OUTCOME_LABELS, CLAIM_PART_LABELS, CLAIM_RULES, CLAIM_SOF_HEADINGS, CLAIM_TEXTS,
                           CLAIM_VERDICT_LABELS, PICK_RULE_WORDS, _SHARED, _TABLES, _TIMEPOINT_NL, _check_lang,
                           _claim_labels, claim_join, claim_label, claim_number, claim_text, claim_timepoint)
from .texts_figures import FIGURE_TEXTS, _PLAN_FOREST_TEXTS, figure_text  # noqa: F401
from .texts_render import (_DIRECTION_NL, _FIRST, _FIRST_NL, _FIXED_NL, _ON_NL, _ONE, _UNIT_NL,  # noqa: F401
                           _WORDS, _on_nl, _one_nl, _unit_nl, claim_absolute, claim_render)
from .texts_report import REPORT_CERTAINTY_MEANING, REPORT_GLOSSARY, REPORT_TEXTS, report_text  # noqa: F401
from .texts_statements import (STATEMENT_COMPARISONS, STATEMENT_INTERVENTION, STATEMENT_OUTCOMES,  # noqa: F401
                               STATEMENT_TEXTS, STATEMENT_VERBS, statement_sentence)
from .texts_ui import UI_LABELS, UI_LANGS, UI_TEXTS, _PLAN_LABELS, _ui_check_lang, ui_label, ui_text  # noqa: F401
