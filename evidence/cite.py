"""Citations of records: Vancouver reference text, links, and RIS / BibTeX / CSL-JSON exports.

Everything here is a pure function of rows of the records table
(:func:`evidence.records.parse_records`, :func:`evidence.review.load_records`):
nothing is fetched, read or written.

- :func:`vancouver` - the NLM/ICMJE ("Vancouver") reference text of one record.
- :func:`links` - PubMed, DOI and PMC addresses of one record.
- :func:`to_ris`, :func:`to_bibtex`, :func:`to_csl_json` (and
  :func:`to_csl_json_string`) - a set of records in the three formats that
  reference managers such as Zotero import; :func:`export` picks one by name.

A row is anything with ``row[column]`` or ``row.get(column)``: a pandas
Series (``frame.iloc[i]``), a dict, a namedtuple's ``_asdict()``. Missing
values (``""``, ``None``, ``NaN``, ``pd.NA``) are left out of the output.

Where each concept lives
------------------------
This module is the public door: every name of its parts is importable from
``evidence.cite``, as before the split. It holds :func:`export`; the rest
lives in

- :mod:`evidence.cite_fields`: a row read for citing (columns, author names,
  pages, completeness, links);
- :mod:`evidence.cite_vancouver`: the Vancouver reference text;
- :mod:`evidence.cite_export`: RIS, BibTeX and CSL-JSON.

Author names
------------
The records table keeps each author as PubMed's "Last FM" (initials without
periods) or, for a group, the collective name as written. The exports need
family and given names apart, so a name is read as a person when its last
word is one to three capital letters (the initials) and no word is one that
names a group ("Group", "Collaboration", "Investigators", ...); anything else
is a collective name (CSL ``literal``, a brace-protected BibTeX name, an RIS
name without a comma). A person's initials become given names written
"R. N." in the exports.

References
----------
.. [1] Patrias K, Wendling D, technical editor. Citing Medicine: The NLM
   Style Guide for Authors, Editors, and Publishers [Internet]. 2nd ed.
   Bethesda (MD): National Library of Medicine (US); 2007-. Chapter 1
   (Journals) and Chapter 2 (Books). https://www.ncbi.nlm.nih.gov/books/NBK7256/
.. [2] International Committee of Medical Journal Editors. Samples of
   Formatted References for Authors of Journal Articles.
   https://www.nlm.nih.gov/bsd/uniform_requirements.html
.. [3] RIS format specification (Research Information Systems, 2012):
   tags ``TY`` ... ``ER``, each line ``TAG  - value``.
.. [4] Patashnik O. BibTeXing. 1988 (``btxdoc``): entry types, fields, names
   ("Last, First and ..."), ``and others``.
.. [5] Citation Style Language. CSL-JSON input schema ``csl-data.json``
   (citation-style-language/schema) and CSL 1.0.2 specification, Appendix IV
   (variables).
"""

from __future__ import annotations

from typing import Any

# re-exported: evidence.cite is the door to every name its parts define
from .cite_export import (_BIBTEX_SPECIAL, _BIBTEX_SPECIAL_RE, _KEY_STOPWORDS,  # noqa: F401
                          _MONTHS, _PUB_DATE, _ascii_word, _balanced, _bib_escape, _bib_name,
                          _bib_title, bibtex_keys, _csl_name, _date_parts, _key_base, _one_line,
                          _ris_name, _suffix, to_bibtex, to_csl_json, to_csl_json_string, to_ris)
from .cite_fields import (DOI_URL, _GROUP_WORDS, _INCOMPLETE_WORDS, PMC_URL,  # noqa: F401
                          PUBMED_URL, _RANGE, _authors, _authors_complete, _doi_url, _elide, _flag,
                          _full_pages, _get, _given, incomplete, incomplete_note, links, _missing,
                          nlm_pages, page_range, _rows, _s, split_name, _year)
from .cite_vancouver import (_LANGUAGES, MAX_AUTHORS, _end, _language_note, vancouver,  # noqa: F401
                             _vancouver_authors, _vancouver_book, _vancouver_date)

__all__ = [
    "FORMATS",
    "vancouver",
    "links",
    "page_range",
    "nlm_pages",
    "incomplete",
    "incomplete_note",
    "to_ris",
    "to_bibtex",
    "to_csl_json",
    "to_csl_json_string",
    "export",
    "bibtex_keys",
    "split_name",
]

#: Output formats of :func:`export`.
FORMATS = ("ris", "bibtex", "csl-json", "vancouver")


def export(frame: Any, fmt: str = "ris") -> str:
    """The records in one of :data:`FORMATS`, as text.

    Parameters
    ----------
    frame : DataFrame or iterable of rows
    fmt : {"ris", "bibtex", "csl-json", "vancouver"}
        ``"bib"`` and ``"csl"``/``"json"`` are accepted as aliases.
        ``"vancouver"`` gives one numbered reference a line.
    """
    aliases = {"bib": "bibtex", "csl": "csl-json", "json": "csl-json", "csljson": "csl-json"}
    name = aliases.get(str(fmt).lower(), str(fmt).lower())
    if name not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if name == "ris":
        return to_ris(frame)
    if name == "bibtex":
        return to_bibtex(frame)
    if name == "csl-json":
        return to_csl_json_string(frame)
    return "".join(f"{i}. {vancouver(row)}\n" for i, row in enumerate(_rows(frame), start=1))
