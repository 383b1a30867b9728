"""The claims report for content authors: JSON, Markdown and one self-contained HTML page.

The HTML page loads nothing from outside (no scripts, fonts, images or style
sheets by URL): styles are inline, the figures are embedded as ``data:`` PNG
images, and the reference exports (RIS, BibTeX, CSL-JSON, for the whole page
and for each claim) and the tables are ``data:`` links, so the page can be
mailed or opened offline on its own. Every label is in the page's language
(:mod:`evidence.texts`); codes are shown as words. Links to PubMed and DOIs are ordinary hyperlinks, followed only
when a reader clicks them.

Every field that comes from a record or a data file (titles, authors, quotes, claim ids,
queries) goes through :mod:`evidence.escape`: :func:`~evidence.escape.html_text` and
:func:`~evidence.escape.html_attr` in HTML (links through :func:`~evidence.escape.safe_url`),
:func:`~evidence.escape.md_escape` in Markdown.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from .cite import incomplete, links, to_bibtex, to_csl_json, to_ris, vancouver
from .claims import ClaimsReport, Verdict, reported_results, row_direction
from .escape import html_attr, html_text, md_escape, safe_url
from .plain import label_words, plain
from .texts import (CLAIM_RULES, CLAIM_SOF_HEADINGS, REPORT_CERTAINTY_MEANING, REPORT_GLOSSARY, REPORT_TEXTS,
                    UI_TEXTS, claim_absolute, claim_label, claim_number, claim_render, claim_text, claim_timepoint,
                    figure_text, ui_label)
from .triage import living_html, living_markdown

__all__ = ["FORMATS", "LANGS", "coverage", "render_claims", "claims_html", "claims_markdown", "sof_markdown", "sof_html", "verdict_rules_markdown",
           "verdict_rules_html"]

FORMATS = ("json", "md", "html")
LANGS = ("en", "nl")

VERDICT_COLOURS = {
    "supported": ("#1b5e20", "#c8e6c9"),
    "supported_with_caveats": ("#33691e", "#f0f4c3"),
    "overstated": ("#e65100", "#ffe0b2"),
    "not_supported": ("#b71c1c", "#ffcdd2"),
    "no_evidence": ("#424242", "#e0e0e0"),
}

def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")


def coverage(records, *, snapshot=None) -> dict[str, Any]:
    """What the evidence base is: record counts, cut abstracts, origin, recorded searches."""
    origin, copied, searches = "assembled from public pages", "", 0
    if snapshot is not None:
        entries = snapshot.entries()
        searches = sum(e.utility == "esearch" for e in entries)
        assembled = [e for e in entries if e.origin == "assembled"]
        if assembled:
            copied = assembled[0].retrieved_at
        if not assembled and entries:
            origin = "recorded from NCBI"
    complete = records["abstract_complete"] if "abstract_complete" in records else None
    return {
        "records": int(len(records)),
        "abstract_cut": int((complete == False).sum()) if complete is not None else 0,  # noqa: E712
        "no_abstract": int((records["abstract"].str.len() == 0).sum()),
        "origin": origin,
        "copied": copied,
        "searches": int(searches),
    }


def _cited(report: ClaimsReport, records):
    pmids: list[str] = []
    for v in report:
        for p in v.pmids:
            if p not in pmids:
                pmids.append(p)
    frame = records.set_index("pmid").loc[[p for p in pmids if p in set(records["pmid"])]].reset_index()
    return frame


def _title(verdict, lang: str) -> str:
    """A claim's heading in words (the id is a code, kept as the anchor only)."""
    return ui_label("claim", verdict.id, lang)


def render_claims(report: ClaimsReport, records, *, fmt: str = "json", lang: str = "en", snapshot=None) -> str:
    """The report as text: ``json`` (the contract's list), ``md`` or ``html``."""
    _check(fmt, lang)
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return claims_markdown(report, records, lang=lang, snapshot=snapshot)
    return claims_html(report, records, lang=lang, snapshot=snapshot)


def _coverage_sentence(records, snapshot, lang: str) -> str:
    ui = UI_TEXTS[lang]
    cov = coverage(records, snapshot=snapshot)
    origin = ui["origin_recorded"] if cov["origin"] == "recorded from NCBI" else ui["origin_assembled"]
    searches = ui["searches"].format(k=cov["searches"]) if cov["searches"] else ui["no_searches"]
    return ui["coverage_text"].format(n=cov["records"], origin=origin, date=cov["copied"] or "?",
                                      cut=cov["abstract_cut"], noabs=cov["no_abstract"], searches=searches)


def _reference(row, lang: str) -> tuple[str, str]:
    """The Vancouver reference and, when the record lacks parts of a full citation, a note saying which."""
    ui = UI_TEXTS[lang]
    missing = incomplete(row)
    if not missing:
        return vancouver(row), ""
    keys = ["missing_no_authors" if m == "authors" and not str(row.get("authors") or "").strip()
            else f"missing_{m}" for m in missing]
    return vancouver(row, flag=False), f"[{ui['incomplete']}: {'; '.join(ui[k] for k in keys)}]"


def _md_anchor(claim_id: str) -> str:
    """A claim id as a Markdown link target (``#id``): percent-encoded outside ``[A-Za-z0-9_.~-]``."""
    return quote(str(claim_id), safe="")


def _md_url(url: str | None) -> str:
    """A URL inside Markdown's ``<...>``: only a safe scheme (:func:`~evidence.escape.safe_url`),
    and no ``<``, ``>``, space or line break (percent-encoded)."""
    return quote(safe_url(url), safe="/:;()@!$&'*+,=-._~%#?")


# ----------------------------------------------------------------------------------------------
# one card per claim (issue 17): the article's sentence, the verdict, the certainty in plain words,
# what the evidence shows, a suggested wording, and the references to paste; the reasons fold away

#: The article's language: a suggested rewording is shown in it on both pages.
ARTICLE_LANG = "nl"
#: Verdicts for which the card suggests a wording the evidence supports.
REWORD = ("overstated", "not_supported")


def _sentence(verdict, lang: str) -> str:
    """The article's sentence(s) for the claim (the quotes, as published)."""
    return " … ".join(q.text for q in verdict.quotes) or (verdict.claim_nl if lang == "nl" else verdict.claim_en)


def _meaning(certainty, lang: str) -> str:
    """The certainty and GRADE's plain-language meaning of it (Balshem 2011, Table 2)."""
    return f"{ui_label('certainty', certainty, lang)}: {REPORT_CERTAINTY_MEANING[lang][certainty]}"


def _statement(verdict, lang: str) -> str:
    """The effect in words: the verdict's own statement, else the first summary-of-findings row's."""
    own = getattr(verdict, f"statement_{lang}", None)
    if own:
        return plain(own, lang)
    for row in verdict.sof_rows:
        effect = claim_absolute(row.absolute, lang) if row.absolute and not reported_results(row) else ""
        if not effect:
            continue
        return plain(f"{claim_label('outcome', row.outcome, lang)}, "
                     f"{claim_label('comparison', row.comparison, lang)} "
                     f"({claim_timepoint(row.timepoint, lang)}): {effect}", lang)
    return ""


def _suggestion(verdict) -> tuple[str, str]:
    """The suggested rewording in the article's language and its English, for overstated claims."""
    if verdict.verdict not in REWORD:
        return "", ""
    return (getattr(verdict, f"suggestion_{ARTICLE_LANG}", None) or "",
            getattr(verdict, "suggestion_en", None) or "")


def _rows_of_refs(verdict, by_pmid):
    """(pmid, record row or None) for EVERY work the verdict cites, best evidence first."""
    for pmid in verdict.pmids:
        yield pmid, (by_pmid.loc[pmid].to_dict() | {"pmid": pmid}) if pmid in by_pmid.index else None


def claims_markdown(report: ClaimsReport, records, *, lang: str = "en", snapshot=None) -> str:
    """The report as Markdown, to paste into a document or a CMS: one card per claim."""
    _check("md", lang)
    t = REPORT_TEXTS[lang]
    by_pmid = records.set_index("pmid")
    md = md_escape  # the one Markdown escape (evidence.escape)
    out = [f"# {t['title']}", "", t["intro"], "", f"## {t['overview']}", "",
           f"| {t['claim']} | {t['verdict']} | {t['certainty']} | {t['refs']} |", "|---|---|---|---|"]
    for v in report:
        out.append(f"| [{md(_title(v, lang))}](#{_md_anchor(v.id)}) | {ui_label('verdict', v.verdict, lang)} | "
                   f"{ui_label('certainty', v.certainty, lang)} | {len(v.pmids)} |")
    out += ["", f"**{t['legend']}**", ""]
    out += [f"- **{_meaning(c, lang).split(':')[0]}**:{_meaning(c, lang).split(':', 1)[1]}"
            for c in ("high", "moderate", "low", "very_low")]
    out += ["", f"**{t['glossary']}:** " + " ".join(f"*{a}*: {b}" for a, b in REPORT_GLOSSARY[lang]), ""]
    for v in report:
        out += [f'<a id="{html_attr(v.id)}"></a>', "", f"## {md(_title(v, lang))}", ""]
        out += [f"> {md(_sentence(v, lang))}", ""]
        out += [f"**{t['verdict']}:** {ui_label('verdict', v.verdict, lang)}. **{t['certainty']}:** "
                f"{md(_meaning(v.certainty, lang))}", ""]
        shows = _statement(v, lang)
        if shows:
            out += [f"**{t['shows']}:** {md(shows)}", ""]
        nl, en = _suggestion(v)
        if nl:
            out += [f"**{t['suggestion']}:** {md(nl)}" + (f" *({md(en)})*" if lang == "en" and en else ""), ""]
        out += [f"**{t['cite']}:**", ""]
        if not v.pmids:
            out += [t["none_cited"], ""]
        for i, (pmid, row) in enumerate(_rows_of_refs(v, by_pmid), start=1):
            if row is None:
                out.append(f"{i}. PMID {md_escape(pmid)} <{_md_url(f'https://pubmed.ncbi.nlm.nih.gov/{pmid}/')}>")
                continue
            link = links(row)
            doi = f" <{_md_url(link['doi'])}>" if link.get("doi") else ""
            text, note = _reference(row, lang)
            out.append(f"{i}. {md(text)} <{_md_url(link['pubmed'])}>{doi}" + (f" **{md(note)}**" if note else ""))
        out += ["", f"**{t['why']}.** {md(plain(v.summary(lang), lang))}", ""]
        out += living_markdown(v, lang)  # living review: studies not yet extracted, retractions
        out += sof_markdown(v, lang)
    out += synthesis_appendix_markdown(report, lang)
    out += [f"## {t['coverage']}", "", plain(_coverage_sentence(records, snapshot, lang), lang), ""]
    out += verdict_rules_markdown(lang)
    out.append(t["generated"].format(date=date.today().isoformat()))
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:1.2rem auto;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.45rem;margin:.2rem 0 .4rem}h2{font-size:1.2rem;margin:1.6rem 0 .5rem}h3{font-size:1rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .45rem;vertical-align:top;text-align:left;hyphens:auto;overflow-wrap:anywhere}th{background:#f5f5f5}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.8rem;font-weight:600;font-size:.88rem;white-space:nowrap}
blockquote{margin:.3rem 0;padding:.25rem .7rem;border-left:4px solid #90a4ae;background:#fafafa;font-style:italic}
.cut{color:#b71c1c;font-size:.85rem}.muted{color:#666;font-size:.88rem}
section.claim{border:1px solid #cfd8dc;border-radius:.5rem;padding:.5rem 1rem .7rem;margin:1rem 0;box-shadow:0 1px 2px #0001}
section.claim h2{margin:.2rem 0 .3rem;font-size:1.15rem}
.verdictline{margin:.35rem 0}.shows{margin:.35rem 0}.suggestion{background:#fff8e1;border-left:4px solid #ffb300;padding:.3rem .7rem;margin:.4rem 0}
ol.refs{margin:.2rem 0 .2rem 1.2rem;padding:0}ol.refs li{margin-bottom:.25rem;font-size:.93rem}
details{margin:.3rem 0}details>summary{cursor:pointer;color:#0d47a1;font-weight:600}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;font-size:.9rem;margin:.3rem 0}dl.legend dt{font-weight:600}
a.dl{margin-right:.8rem}figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.9rem}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:.2rem;font-size:.85rem}
ol.notes{font-size:.85rem;color:#333}sup{font-size:.7rem}
"""


def _badge(verdict: str, lang: str) -> str:
    fg, bg = VERDICT_COLOURS[verdict]
    return (f'<span class="badge verdict-{html_text(verdict)}" style="color:{fg};background:{bg}">'
            f"{html_text(ui_label('verdict', verdict, lang))}</span>")


def _data_link(name: str, mime: str, text: str) -> str:
    return (f'<a class="dl" download="{html_text(name)}" href="data:{mime};charset=utf-8,{quote(text)}">'
            f"{html_text(name)}</a> ")  # a space: a line of links can wrap


def _exports(frame, stem: str) -> str:
    """RIS, BibTeX and CSL-JSON of the references in ``frame`` as ``data:`` download links."""
    return (_data_link(f"{stem}.ris", "application/x-research-info-systems", to_ris(frame))
            + _data_link(f"{stem}.bib", "application/x-bibtex", to_bibtex(frame))
            + _data_link(f"{stem}.json", "application/vnd.citationstyles.csl+json",
                         json.dumps(to_csl_json(frame), ensure_ascii=False, indent=1)))


_FIGURE_ORDER = ("prisma_flow", "design_condition_heatmap", "publications_per_year", "comparator_counts")
#: The risk-of-bias figures (:mod:`evidence.robplots`), in the order shown.
ROB_FIGURES = ("rob_traffic_light", "rob_summary")


def _figure_caption(name: str, lang: str) -> str:
    if name.startswith("forest_"):
        from .forests import forest_caption  # the analysis plan's pooled rows

        return forest_caption(name, lang) or ui_label("figure", name, lang)
    if name in ROB_FIGURES:
        return figure_text(name, lang)
    return ui_label("figure", name, lang)


def _figure(name: str, png: bytes, lang: str) -> str:
    caption = _figure_caption(name, lang)
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure id="figure-{html_attr(name)}"><img alt="{html_attr(caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{html_text(caption)}</figcaption></figure>')


def _card(v, lang: str, by_pmid) -> str:
    """One claim's card: sentence, verdict, certainty in words, statement, suggestion, references,
    and folded under it the reasons, the summary-of-findings rows with footnotes and the studies."""
    e = html_text
    t = REPORT_TEXTS[lang]
    sentence = "".join(f'<blockquote lang="nl">{e(q.text)} <span class="muted">({e(t["section"])} '
                       f"{e(q.section)})</span></blockquote>" for q in v.quotes)
    parts = [f'<section class="claim" id="{e(v.id)}"><h2>{e(_title(v, lang))}</h2>', sentence]
    if lang == "en":
        parts.append(f'<p class="muted"><em>{e(t["paraphrase"])}:</em> {e(v.claim_en)}</p>')
    certainty = REPORT_CERTAINTY_MEANING[lang][v.certainty]
    parts.append(f'<p class="verdictline"><strong>{e(t["verdict"])}:</strong> {_badge(v.verdict, lang)} '
                 f'<strong>{e(t["certainty"])}:</strong> <span class="certainty">'
                 f"{e(ui_label('certainty', v.certainty, lang))}</span> "
                 f'<span class="muted">({e(certainty)})</span></p>')
    parts.append(living_html(v, lang))  # living review: studies not yet extracted, retractions
    shows = _statement(v, lang)
    if shows:
        parts.append(f'<p class="shows"><strong>{e(t["shows"])}:</strong> {e(shows)}</p>')
    nl, en = _suggestion(v)
    if nl:
        translation = f' <span class="muted">({e(en)})</span>' if lang == "en" and en else ""
        parts.append(f'<p class="suggestion"><strong>{e(t["suggestion"])}:</strong> '
                     f'<span lang="{ARTICLE_LANG}">{e(nl)}</span>{translation}</p>')
    refs = []
    for pmid, row in _rows_of_refs(v, by_pmid):
        pubmed = f"https://pubmed.ncbi.nlm.nih.gov/{quote(str(pmid))}/"
        if row is None:  # never dropped silently: the PMID and its link at least
            refs.append(f'<li data-pmid="{e(pmid)}">PMID {e(pmid)} <a href="{e(pubmed)}">PubMed</a></li>')
            continue
        link = links(row)
        anchors = f' <a href="{html_attr(safe_url(link["pubmed"]))}">PubMed</a>'
        if link.get("doi"):
            anchors += f' <a href="{html_attr(safe_url(link["doi"]))}">DOI</a>'
        text, note = _reference(row, lang)
        note = f' <strong class="incomplete cut">{e(note)}</strong>' if note else ""
        refs.append(f'<li data-pmid="{e(pmid)}">{e(text)}{anchors}{note}</li>')
    parts.append(f"<h3>{e(t['cite'])}</h3>")
    if refs:
        own = by_pmid.loc[[p for p in v.pmids if p in by_pmid.index]].reset_index()
        parts.append(f'<ol class="refs">{"".join(refs)}</ol>'
                     f'<p class="downloads">{e(t["downloads"])}: {_exports(own, v.id)}</p>')
    else:
        parts.append(f'<p class="muted">{e(t["none_cited"])}</p>')
    parts.append(f'<details class="why"><summary>{e(t["why"])}</summary>'
                 f"<p>{e(plain(v.summary(lang), lang))}</p></details>")
    parts.append(f'<details class="sof"><summary>{e(t["sof"])}</summary>{sof_html(v, lang)}</details>')
    if v.evidence:
        body = []
        for ev in v.evidence:
            flag = f' <span class="cut">({e(t["cut"])})</span>' if ev.abstract_complete is False else ""
            body.append(
                f'<tr><td><a href="https://pubmed.ncbi.nlm.nih.gov/{e(quote(str(ev.pmid)))}/">{e(ev.pmid)}</a></td>'
                f"<td>{e(ev.first_author)} {e(str(ev.year or ''))}{flag}<br><span class=\"muted\">{e(ev.title)}"
                f"</span></td><td>{e(ui_label('design', ev.design, lang))}</td>"
                f"<td>{e(ui_label('relation', ev.relation, lang))}</td></tr>")
        ui = UI_TEXTS[lang]
        parts.append(f'<details class="evidence"><summary>{e(t["evidence"])}</summary>'
                     f'<table class="evidence"><thead><tr><th>PMID</th><th>{e(ui["study"])}</th>'
                     f"<th>{e(ui['design'])}</th><th>{e(ui['relation'])}</th></tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table>"
                     f'<p class="muted">{e(t["more"])}: <code>{e(v.query)}</code></p></details>')
    parts.append("</section>")
    return "".join(parts)


def _legend_html(lang: str) -> str:
    e = html_text
    t = REPORT_TEXTS[lang]
    items = "".join(f"<dt>{e(ui_label('certainty', c, lang))}</dt><dd>{e(REPORT_CERTAINTY_MEANING[lang][c])}</dd>"
                    for c in ("high", "moderate", "low", "very_low"))
    words = "".join(f"<dt>{e(a)}</dt><dd>{e(b)}</dd>" for a, b in REPORT_GLOSSARY[lang])
    return (f'<p><strong>{e(t["legend"])}</strong></p><dl class="legend certainty-legend">{items}</dl>'
            f'<details class="glossary"><summary>{e(t["glossary"])}</summary><dl class="legend">{words}</dl>'
            "</details>")


def claims_html(report: ClaimsReport, records, *, lang: str = "en", snapshot=None,
                figures: Sequence[tuple[str, bytes]] = (), tables: Sequence[tuple[str, str]] = (),
                notebooks: Sequence[str] = ()) -> str:
    """One self-contained HTML page: a table of the claims, then one card per claim, then figures.

    Parameters
    ----------
    report : ClaimsReport
    records : DataFrame
        The records table (for the references).
    lang : {"en", "nl"}
        Language of every label on the page.
    snapshot : Snapshot, optional
        For the coverage note.
    figures : sequence of (name, PNG bytes)
        Embedded as images, drawn in the page's language: ``forest_<analysis key>`` under the
        meta-analyses, ``rob_traffic_light`` and ``rob_summary`` under the risk of bias, the
        others (``prisma_flow``, ``design_condition_heatmap``, ...) under the figures.
    tables : sequence of (file name, CSV text)
        Attached as ``data:`` download links.
    notebooks : sequence of str
        Names of the executed notebooks (counted: they are files of the report folder).

    Notes
    -----
    Each card shows first what an author acts on: the article's sentence, the verdict, the
    certainty with GRADE's plain-language meaning (Balshem et al. 2011, J Clin Epidemiol
    64:401-6), what the evidence shows, a suggested wording for an overstated claim, and every
    reference the verdict cites; the reasons, the summary-of-findings rows (GRADEpro layout,
    each downgrade with its reason as a footnote) and the studies fold away under it.
    Every field taken from a record or a data file is escaped.
    """
    _check("html", lang)
    t = REPORT_TEXTS[lang]
    e = html_text
    by_pmid = records.set_index("pmid")
    cited = _cited(report, records)
    rows = "".join(
        f'<tr><td><a href="#{e(v.id)}">{e(_title(v, lang))}</a></td>'
        f"<td>{_badge(v.verdict, lang)}</td><td>{e(ui_label('certainty', v.certainty, lang))}</td>"
        f"<td>{len(v.pmids)}</td></tr>"
        for v in report)
    parts = [
        "<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(t['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(t['title'])}</h1><p>{e(t['intro'])}</p>",
        f'<table class="verdicts" id="overview"><thead><tr><th>{e(t["claim"])}</th><th>{e(t["verdict"])}</th>'
        f"<th>{e(t['certainty'])}</th><th>{e(t['refs'])}</th></tr></thead><tbody>{rows}</tbody></table>",
        _legend_html(lang),
    ]
    parts += [_card(v, lang, by_pmid) for v in report]
    parts.append(f'<p>{e(t["all_downloads"])}: ' + _exports(cited, "references") + "</p>")
    forests = [(name, png) for name, png in figures if name.startswith("forest_")]
    robs = sorted(((name, png) for name, png in figures if name in ROB_FIGURES),
                  key=lambda item: ROB_FIGURES.index(item[0]))
    order = list(_FIGURE_ORDER)
    others = sorted(((name, png) for name, png in figures
                     if not name.startswith("forest_") and name not in ROB_FIGURES),
                    key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    if forests:
        parts.append(f'<h2 id="forest">{e(t["forest"])}</h2><p class="muted">{e(t["forest_note"])}</p>'
                     + "".join(_figure(name, png, lang) for name, png in forests))
    if robs:
        parts.append(f'<h2 id="risk-of-bias">{e(t["rob"])}</h2><p class="muted">{e(t["rob_note"])}</p>'
                     + "".join(_figure(name, png, lang) for name, png in robs))
    if others:
        parts.append(f'<h2 id="figures">{e(t["figures"])}</h2>'
                     + "".join(_figure(name, png, lang) for name, png in others))
    parts.append(synthesis_appendix_html(tables, lang))
    parts.append(f'<h2 id="coverage">{e(t["coverage"])}</h2>'
                 f"<p>{e(plain(_coverage_sentence(records, snapshot, lang), lang))}</p>")
    parts.append(verdict_rules_html(lang))
    if tables or notebooks:
        attached = "".join(_data_link(name, "text/csv", text) for name, text in tables)
        listed = "".join(f"<li>{e(name)}</li>" for name in notebooks)  # files beside the page, as text
        parts.append(f'<h2 id="workbook">{e(t["workbook"])}</h2><p>{e(t["workbook_text"])}</p>'
                     + (f"<p>{e(t['tables'])}: {attached}</p>" if attached else "")
                     + (f'<ol class="notebooks">{listed}</ol>' if listed else ""))
    parts.append(f'<p class="muted">{e(t["generated"].format(date=date.today().isoformat()))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ----------------------------------------------------------------------------------------------
# the summary-of-findings rows behind each verdict, and how verdicts are made


def _sof_cells(row, lang: str, notes: list[str]) -> list[str]:
    """The cells of one summary-of-findings row, in ``lang``; its footnotes are appended to ``notes``
    (numbered across the table) and referred to from the cell they explain, so none is an orphan."""
    h = CLAIM_SOF_HEADINGS[lang]

    def mark(text: str) -> str:
        notes.append(plain(text, lang))
        return f"[{len(notes)}]"

    reported = reported_results(row)
    if reported:
        effect = plain(claim_render("row_reported", {"items": ("@list", tuple(("@reported", *r) for r in reported))},
                                    lang), lang)
    elif row_direction(row) == "not_pooled":
        effect = claim_text("row_not_pooled", lang)
    else:
        effect = (f"{ui_label('measure', row.measure, lang)} {claim_number(row.estimate, lang)} "
                  f"({claim_number(row.ci_low, lang)} {'to' if lang == 'en' else 'tot'} "
                  f"{claim_number(row.ci_high, lang)})")
    effect += "".join(mark(f) for f in getattr(row, "footnotes", ()) or ())
    # Dutch: no thousands separator (a point would read as a decimal sign beside "1,8")
    people = (f"{row.participants:,}" if lang == "en" else str(row.participants)) if row.participants else h["unknown"]
    k = str(row.k_studies) if row.k_studies else h["unknown"]
    downgrades = "; ".join(
        f"{claim_label('domain', d.domain, lang)} (\u2212{d.levels})"
        + mark(f"{claim_label('domain', d.domain, lang).capitalize()}: {d.reason}")
        for d in row.downgrades if d.levels)
    return [plain(claim_label("outcome", row.outcome, lang), lang), claim_label("comparison", row.comparison, lang),
            claim_timepoint(row.timepoint, lang), f"{k} ({people})", effect,
            "" if reported else plain(claim_absolute(row.absolute, lang), lang),
            claim_label("certainty", row.certainty, lang), downgrades]


_SOF_COLUMNS = ("outcome", "comparison", "timepoint", "studies", "effect", "absolute", "certainty", "downgrades")


def _parts_text(verdict: Verdict, lang: str) -> list[str]:
    return [f"{claim_label('part', p.id, lang)}: {claim_label('verdict', p.verdict, lang)} "
            f"({claim_label('certainty', p.certainty, lang)})" for p in verdict.parts]


def sof_markdown(verdict: Verdict, lang: str = "en") -> list[str]:
    """Markdown lines: the claim's summary-of-findings rows (GRADEpro style), their footnotes
    (each downgrade's reason; every footnote is referred to from a cell) and per-part verdicts."""
    h = CLAIM_SOF_HEADINGS[lang]
    out = [f"**{h['title']}.**", ""]
    if not verdict.sof_rows:
        return out + [h["none"], ""]
    out += ["| " + " | ".join(h[c] for c in _SOF_COLUMNS) + " |", "|" + "---|" * len(_SOF_COLUMNS)]
    notes: list[str] = []
    for row in verdict.sof_rows:
        out.append("| " + " | ".join(md_escape(c) for c in _sof_cells(row, lang, notes)) + " |")
    out.append("")
    out += [f"\\[{i}\\] {md_escape(n)}  " for i, n in enumerate(notes, start=1)] + ([""] if notes else [])
    if verdict.parts:
        out += [f"*{h['parts']}:*", ""] + [f"- {md_escape(t)}" for t in _parts_text(verdict, lang)] + [""]
    return out


def sof_html(verdict: Verdict, lang: str = "en") -> str:
    """HTML: the claim's summary-of-findings rows (GRADEpro style), their numbered footnotes
    (each downgrade's reason, in ``lang``) and the per-part verdicts."""
    e = html_text
    h = CLAIM_SOF_HEADINGS[lang]
    if not verdict.sof_rows:
        return f"<p class=\"muted\">{e(h['none'])}</p>"
    head = "".join(f"<th>{e(h[c])}</th>" for c in _SOF_COLUMNS)
    notes: list[str] = []

    def cell(text: str) -> str:  # "[3]" footnote marks become links to the note
        return re.sub(r"\[(\d+)\]", r'<sup><a href="#NOTE-\1">\1</a></sup>', e(text))

    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in _sof_cells(row, lang, notes)) + "</tr>"
                   for row in verdict.sof_rows)
    body = body.replace("#NOTE-", f"#{e(verdict.id)}-note-")
    listed = "".join(f'<li id="{e(verdict.id)}-note-{i}">{e(n)}</li>' for i, n in enumerate(notes, start=1))
    parts = ""
    if verdict.parts:
        parts = (f"<p><strong>{e(h['parts'])}:</strong></p><ul>"
                 + "".join(f"<li>{e(t)}</li>" for t in _parts_text(verdict, lang)) + "</ul>")
    return (f"<table class=\"sof\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            + (f'<ol class="notes">{listed}</ol>' if listed else "") + parts)


def verdict_rules_markdown(lang: str = "en") -> list[str]:
    """Markdown lines: the section "How verdicts are made" (evidence/claims.py's rules, in ``lang``)."""
    rules = CLAIM_RULES[lang]
    return ([f"## {rules['title']}", "", plain(rules["intro"], lang), ""]
            + [f"- {plain(r, lang)}" for r in rules["rules"]] + [""])


def verdict_rules_html(lang: str = "en") -> str:
    """HTML: the section "How verdicts are made" (evidence/claims.py's rules, in ``lang``)."""
    e = html_text
    rules = CLAIM_RULES[lang]
    return (f'<h2 id="how-verdicts-are-made">{e(rules["title"])}</h2><p>{e(plain(rules["intro"], lang))}</p><ul>'
            + "".join(f"<li>{e(plain(r, lang))}</li>" for r in rules["rules"]) + "</ul>")


def insert_section(page: str, section: str) -> str:
    """``page`` (from :func:`claims_html`) with an HTML ``section`` placed before its coverage note
    (at the end of the body when it has none); used for "What changed since DATE" (evidence.diff)."""
    if not section:
        return page
    for anchor in ('<h2 id="coverage">', "</body>"):
        at = page.find(anchor)
        if at >= 0:
            return page[:at] + section + "\n" + page[at:]
    return page + section


# ----------------------------------------------------------------------------------------------
# appendix: the analysis plan's sensitivity analyses and the published anchors (issue 14)

_APPENDIX = {
    "en": {"title": "Appendix: sensitivity analyses and published results",
           "intro": "Each sensitivity or subgroup analysis of the analysis plan "
                    "(Cochrane Handbook 10.11 and 10.14) beside the main "
                    "result it changes, and the workbook's results beside published reviews' "
                    "results for the same questions (numbers from the project's field notes, "
                    "each with its source).",
           "changes": "changes the certainty or the side of the null",
           "sens": "Sensitivity analyses", "anchors": "Published results beside the workbook's"},
    "nl": {"title": "Bijlage: gevoeligheidsanalyses en gepubliceerde resultaten",
           "intro": "Elke gevoeligheids- of subgroepanalyse uit het analyseplan "
                    "(Cochrane Handbook 10.11 en 10.14) naast het "
                    "hoofdresultaat dat zij verandert, en de resultaten van het werkboek naast "
                    "die van gepubliceerde reviews voor dezelfde vragen (getallen uit de "
                    "veldnotities van het project, elk met bron).",
           "changes": "verandert de zekerheid of de kant van het nuleffect",
           "sens": "Gevoeligheidsanalyses", "anchors": "Gepubliceerde resultaten naast die van het werkboek"},
}
_APPENDIX_HEADINGS = {
    "en": {},
    "nl": {"question": "vraag", "outcome": "uitkomst", "timepoint": "tijdstip", "words": "analyse",
           "main": "hoofdresultaat", "certainty_main": "zekerheid hoofdresultaat",
           "k_studies": "studies", "estimate": "schatting", "ci_low": "BI onder",
           "ci_high": "BI boven", "certainty": "zekerheid", "changes": "verandert",
           "published": "gepubliceerd", "published_k": "studies (gepubliceerd)",
           "published_certainty": "zekerheid (gepubliceerd)", "source": "bron",
           "workbook": "werkboek", "workbook_k": "studies (werkboek)",
           "workbook_certainty": "zekerheid (werkboek)"},
}
_SENS_COLUMNS = ("question", "outcome", "timepoint", "words", "main", "certainty_main",
                 "k_studies", "estimate", "ci_low", "ci_high", "certainty", "changes")
_ANCHOR_COLUMNS = ("question", "outcome", "timepoint", "published", "published_k",
                   "published_certainty", "source", "workbook", "workbook_k",
                   "workbook_certainty")


def _appendix_rows(report) -> list[dict]:
    """The sensitivity analyses of the SoF rows the verdicts rest on (each row once)."""
    from .synthesis import sensitivity_results

    seen, rows = set(), []
    for v in report:
        for r in getattr(v, "sof_rows", ()):
            key = (r.question, r.outcome, r.timepoint, r.source)
            if key not in seen and getattr(r, "sensitivity", ()):
                seen.add(key)
                rows.append(r)
    return list(sensitivity_results(rows).rows)


def synthesis_appendix_markdown(report, lang: str = "en") -> list[str]:
    """The appendix as Markdown lines (the sensitivity analyses behind the verdicts); empty
    when no verdict rests on a row with one."""
    rows = _appendix_rows(report)
    if not rows:
        return []
    t = _APPENDIX[lang]

    def cell(x) -> str:
        if x is None or (isinstance(x, float) and x != x):
            return "-"
        if isinstance(x, float):
            return f"{x:.2f}" if lang == "en" else f"{x:.2f}".replace(".", ",")
        text = str(x).replace("|", "/").replace("\n", " ")
        for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("*", "\\*"), ("_", "\\_")):
            text = text.replace(a, b)
        return text

    heads = _APPENDIX_HEADINGS[lang]
    out = [f"## {t['title']}", "", plain(t["intro"], lang), "", f"### {t['sens']}", "",
           "| " + " | ".join(heads.get(c, c.replace("_", " ")) for c in _SENS_COLUMNS) + " |",
           "|" + "---|" * len(_SENS_COLUMNS)]
    for r in rows:
        r = dict(r, outcome=label_words(ui_label("outcome", r["outcome"], lang), lang),
                 timepoint=label_words(ui_label("timepoint", r["timepoint"], lang), lang),
                 certainty=ui_label("certainty", r["certainty"], lang) if r["certainty"] else None,
                 certainty_main=ui_label("certainty", r["certainty_main"], lang),
                 changes=t["changes"] if r["changes"] else "",
                 words=plain(claim_label("analysis", r["analysis"], lang), lang), question=plain(r["question"], lang),
                 main=plain(r["main"], lang))
        out.append("| " + " | ".join(cell(r[c]) for c in _SENS_COLUMNS) + " |")
    return out + [""]


def synthesis_appendix_html(tables, lang: str = "en") -> str:
    """The appendix as one HTML section, from the report's tables
    (``sensitivity_analyses.csv``, ``published_anchors.csv``; written by
    :func:`evidence.run.write_tables_and_figures`); empty when neither is attached. Every
    cell is escaped."""
    import io

    import pandas as pd

    found = {name: text for name, text in tables
             if name in ("sensitivity_analyses.csv", "published_anchors.csv")}
    if not found:
        return ""
    t = _APPENDIX[lang]
    e = html_text

    def table(text: str, columns) -> str:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        cols = [c for c in columns if c in frame.columns]
        heads = _APPENDIX_HEADINGS[lang]

        def words(c: str, x: str, row) -> str:
            if c in ("certainty", "certainty_main", "published_certainty", "workbook_certainty"):
                return ui_label("certainty", x, lang) if x else "-"
            if c in ("outcome", "timepoint"):
                return label_words(ui_label(c, x, lang), lang)
            if c == "changes":
                return t["changes"] if x == "True" else ""
            if c == "words" and row.get("analysis"):
                return plain(claim_label("analysis", row["analysis"], lang), lang)
            if c == "source":  # a quoted abstract stays as published: only the words around it
                return '"'.join(part if i % 2 else plain(part, lang) + (" " if part.endswith(" ") else "")
                                for i, part in enumerate(x.split('"')))
            return plain(x, lang)  # generated words: no codes, Dutch numbers on the Dutch page

        head = "".join(f"<th>{e(heads.get(c, c.replace('_', ' ')))}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{e(words(c, str(row[c]), row))}</td>" for c in cols)
                       + "</tr>" for _, row in frame.iterrows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    parts = [f'<h2 id="synthesis-appendix">{e(t["title"])}</h2><p>{e(plain(t["intro"], lang))}</p>']
    if "sensitivity_analyses.csv" in found:
        parts.append(f"<h3>{e(t['sens'])}</h3>"
                     + table(found["sensitivity_analyses.csv"], _SENS_COLUMNS))
    if "published_anchors.csv" in found:
        parts.append(f"<h3>{e(t['anchors'])}</h3>"
                     + table(found["published_anchors.csv"], _ANCHOR_COLUMNS))
    return "".join(parts)
