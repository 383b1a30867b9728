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
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from .cite import incomplete, links, to_bibtex, to_csl_json, to_ris, vancouver
from .claims import ClaimsReport, Verdict, reported_results, row_direction
from .escape import html_attr, html_text, md_escape, safe_url
from .texts import (CLAIM_RULES, CLAIM_SOF_HEADINGS, UI_TEXTS, claim_absolute, claim_label, claim_number,
                    claim_render, claim_text, claim_timepoint, ui_label)

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


def claims_markdown(report: ClaimsReport, records, *, lang: str = "en", snapshot=None) -> str:
    """The report as Markdown, to paste into a document or a CMS."""
    _check("md", lang)
    ui = UI_TEXTS[lang]
    by_pmid = records.set_index("pmid")
    out = [f"# {ui['title']}", "", ui["intro"], "", f"## {ui['table']}", "",
           f"| {ui['claim']} | {ui['verdict']} | {ui['certainty']} | {ui['refs']} |", "|---|---|---|---|"]
    for v in report:
        out.append(f"| [{md_escape(_title(v, lang))}](#{_md_anchor(v.id)}) | {ui_label('verdict', v.verdict, lang)} | "
                   f"{ui_label('certainty', v.certainty, lang)} | {len(v.pmids)} |")
    out += ["", f"## {ui['coverage']}", "", _coverage_sentence(records, snapshot, lang), ""]
    out += verdict_rules_markdown(lang)
    for v in report:
        out += [f'<a id="{html_attr(v.id)}"></a>', "",
                f"## {md_escape(_title(v, lang))}: {ui_label('verdict', v.verdict, lang)} ({ui['certainty'].lower()}: "
                f"{ui_label('certainty', v.certainty, lang)})", ""]
        for q in v.quotes:
            out.append(f"> {md_escape(q.text)} ({ui['section']} {md_escape(q.section)})")
        out.append("")
        if lang == "en":
            out += [f"*{ui['paraphrase']}:* {md_escape(v.claim_en)}", ""]
        out += [f"**{ui['why']}.** {md_escape(v.summary(lang))}", ""]
        out += sof_markdown(v, lang)
        if v.evidence:
            out += [f"| PMID | {ui['study']} | {ui['design']} | {ui['relation']} |", "|---|---|---|---|"]
            for e in v.evidence:
                flag = f" ({ui['cut']})" if e.abstract_complete is False else ""
                out.append(f"| [{md_escape(e.pmid)}](<{_md_url(f'https://pubmed.ncbi.nlm.nih.gov/{e.pmid}/')}>) | "
                           f"{md_escape(e.first_author)} {e.year}"
                           f"{flag} | {ui_label('design', e.design, lang)} | "
                           f"{ui_label('relation', e.relation, lang)} |")
            out += ["", f"**{ui['cite']}:**", ""]
            for i, pmid in enumerate(v.pmids, start=1):
                if pmid in by_pmid.index:
                    row = by_pmid.loc[pmid].to_dict() | {"pmid": pmid}
                    link = links(row)
                    doi = f" <{_md_url(link['doi'])}>" if link.get("doi") else ""
                    text, note = _reference(row, lang)
                    note = f" **{md_escape(note)}**" if note else ""
                    out.append(f"{i}. {md_escape(text)} <{_md_url(link['pubmed'])}>{doi}{note}")
            out.append("")
        out += [f"*{ui['more']}:* {md_escape(v.query)}", ""]
    out.append(ui["generated"].format(date=date.today().isoformat()))
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-top:1px solid #ddd;padding-top:1rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}th{background:#f5f5f5}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:.8rem;font-weight:600;font-size:.9rem}
blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:4px solid #90a4ae;background:#fafafa}
.cut{color:#b71c1c;font-size:.85rem}.muted{color:#666;font-size:.9rem}
ol.refs li{margin-bottom:.35rem}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:.2rem;font-size:.85rem}
a.dl{margin-right:1rem}figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.92rem}
"""


def _badge(verdict: str, lang: str) -> str:
    fg, bg = VERDICT_COLOURS[verdict]
    return (f'<span class="badge verdict-{verdict}" style="color:{fg};background:{bg}">'
            f"{html_text(ui_label('verdict', verdict, lang))}</span>")


def _data_link(name: str, mime: str, text: str) -> str:
    return (f'<a class="dl" download="{html_attr(name)}" href="data:{mime};charset=utf-8,{quote(text)}">'
            f"{html_text(name)}</a>")


def _exports(frame, stem: str) -> str:
    """RIS, BibTeX and CSL-JSON of the references in ``frame`` as ``data:`` download links."""
    return (_data_link(f"{stem}.ris", "application/x-research-info-systems", to_ris(frame))
            + _data_link(f"{stem}.bib", "application/x-bibtex", to_bibtex(frame))
            + _data_link(f"{stem}.json", "application/vnd.citationstyles.csl+json",
                         json.dumps(to_csl_json(frame), ensure_ascii=False, indent=1)))


_FIGURE_ORDER = ("prisma_flow", "design_condition_heatmap", "publications_per_year", "comparator_counts")


def _figure_caption(name: str, lang: str) -> str:
    if name.startswith("forest_"):
        return ui_label("question", name[len("forest_"):], lang)
    return ui_label("figure", name, lang)


def _figure(name: str, png: bytes, lang: str) -> str:
    caption = _figure_caption(name, lang)
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure id="figure-{html_attr(name)}"><img alt="{html_attr(caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{html_text(caption)}</figcaption></figure>')


def claims_html(report: ClaimsReport, records, *, lang: str = "en", snapshot=None,
                figures: Sequence[tuple[str, bytes]] = (), tables: Sequence[tuple[str, str]] = (),
                notebooks: Sequence[str] = ()) -> str:
    """One self-contained HTML page: verdict table, per-claim evidence, references, exports.

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
        Embedded as images: ``forest_<analysis key>`` under the meta-analyses, the
        others (``prisma_flow``, ``design_condition_heatmap``, ...) under the figures.
    tables : sequence of (file name, CSV text)
        Attached as ``data:`` download links.
    notebooks : sequence of str
        Names of the executed notebooks (listed as text: they are files of the report folder).
    """
    _check("html", lang)
    ui = UI_TEXTS[lang]
    e = html_text
    by_pmid = records.set_index("pmid")
    cited = _cited(report, records)
    rows = "".join(
        f'<tr><td><a href="#{html_attr(v.id)}">{e(_title(v, lang))}</a></td>'
        f"<td>{e(v.claim_en if lang == 'en' else v.claim_nl)}</td><td>{_badge(v.verdict, lang)}</td>"
        f"<td>{e(ui_label('certainty', v.certainty, lang))}</td><td>{len(v.pmids)}</td></tr>"
        for v in report)
    parts = [
        "<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(ui['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(ui['title'])}</h1><p>{e(ui['intro'])}</p>",
        f"<h2 id=\"verdicts\">{e(ui['table'])}</h2>",
        f"<table class=\"verdicts\"><thead><tr><th>{e(ui['claim'])}</th><th>{e(ui['article_says'] if lang != 'en' else ui['paraphrase'])}</th>"
        f"<th>{e(ui['verdict'])}</th><th>{e(ui['certainty'])}</th><th>{e(ui['refs'])}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
        f"<h2 id=\"coverage\">{e(ui['coverage'])}</h2><p>{e(_coverage_sentence(records, snapshot, lang))}</p>",
        verdict_rules_html(lang),
        f"<p>{e(ui['downloads'])}: " + _exports(cited, "references") + "</p>",
    ]
    for v in report:
        quotes = "".join(f"<blockquote lang=\"nl\">{e(q.text)} <span class=\"muted\">({e(ui['section'])} "
                         f"{e(q.section)})</span></blockquote>" for q in v.quotes)
        paraphrase = f"<p><em>{e(ui['paraphrase'])}:</em> {e(v.claim_en)}</p>" if lang == "en" else ""
        parts.append(
            f'<section class="claim" id="{html_attr(v.id)}"><h2>{e(_title(v, lang))} {_badge(v.verdict, lang)} '
            f'<span class="muted">{e(ui["certainty"])}: {e(ui_label("certainty", v.certainty, lang))}</span></h2>'
            f"<p><strong>{e(ui['article_says'])}:</strong></p>{quotes}{paraphrase}"
            f"<p><strong>{e(ui['why'])}.</strong> {e(v.summary(lang))}</p>" + sof_html(v, lang))
        if v.evidence:
            body = []
            for ev in v.evidence:
                flag = f' <span class="cut">({e(ui["cut"])})</span>' if ev.abstract_complete is False else ""
                body.append(
                    f'<tr><td><a href="{html_attr(safe_url(f"https://pubmed.ncbi.nlm.nih.gov/{ev.pmid}/"))}">'
                    f'{e(ev.pmid)}</a></td>'
                    f"<td>{e(ev.first_author)} {ev.year or ''}{flag}<br><span class=\"muted\">{e(ev.title)}</span></td>"
                    f"<td>{e(ui_label('design', ev.design, lang))}</td>"
                    f"<td>{e(ui_label('relation', ev.relation, lang))}</td></tr>")
            parts.append(
                f"<h3>{e(ui['evidence'])}</h3><table class=\"evidence\"><thead><tr><th>PMID</th>"
                f"<th>{e(ui['study'])}</th><th>{e(ui['design'])}</th>"
                f"<th>{e(ui['relation'])}</th></tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>")
            refs = []
            for pmid in v.pmids:
                if pmid not in by_pmid.index:
                    continue
                row = by_pmid.loc[pmid].to_dict() | {"pmid": pmid}
                link = links(row)
                anchors = f' <a href="{html_attr(safe_url(link["pubmed"]))}">PubMed</a>'
                if link.get("doi"):
                    anchors += f' <a href="{html_attr(safe_url(link["doi"]))}">DOI</a>'
                text, note = _reference(row, lang)
                note = f' <strong class="incomplete cut">{e(note)}</strong>' if note else ""
                refs.append(f"<li>{e(text)}{anchors}{note}</li>")
            own = by_pmid.loc[[p for p in v.pmids if p in by_pmid.index]].reset_index()
            parts.append(f"<h3>{e(ui['cite'])}</h3><ol class=\"refs\">{''.join(refs)}</ol>"
                         f"<p class=\"downloads\">{e(ui['claim_downloads'])}: {_exports(own, v.id)}</p>")
        parts.append(f"<p class=\"muted\">{e(ui['more'])}: <code>{e(v.query)}</code></p></section>")
    forests = [(name, png) for name, png in figures if name.startswith("forest_")]
    order = list(_FIGURE_ORDER)
    others = sorted(((name, png) for name, png in figures if not name.startswith("forest_")),
                    key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    if forests:
        parts.append(f"<h2 id=\"forest\">{e(ui['forest'])}</h2><p class=\"muted\">{e(ui['forest_note'])}</p>"
                     + "".join(_figure(name, png, lang) for name, png in forests))
    if others:
        parts.append(f"<h2 id=\"figures\">{e(ui['figures'])}</h2>"
                     + "".join(_figure(name, png, lang) for name, png in others))
    if tables or notebooks:
        listed = "".join(f"<li><code>notebooks/{e(name)}</code></li>" for name in notebooks)
        attached = "".join(_data_link(name, "text/csv", text) for name, text in tables)
        parts.append(f"<h2 id=\"workbook\">{e(ui['workbook'])}</h2><p>{e(ui['workbook_text'])}</p>"
                     + (f"<ol>{listed}</ol>" if listed else "")
                     + (f"<p>{e(ui['tables'])}: {attached}</p>" if attached else ""))
    parts.append(f"<p class=\"muted\">{e(ui['generated'].format(date=date.today().isoformat()))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ----------------------------------------------------------------------------------------------
# the summary-of-findings rows behind each verdict, and how verdicts are made


def _sof_cells(row, lang: str) -> list[str]:
    """The cells of one summary-of-findings row, in ``lang``."""
    h = CLAIM_SOF_HEADINGS[lang]
    reported = reported_results(row)
    if reported:
        effect = claim_render("row_reported", {"items": ("@list", tuple(("@reported", *r) for r in reported))}, lang)
    elif row_direction(row) == "not_pooled":
        effect = claim_text("row_not_pooled", lang)
    else:
        effect = (f"{row.measure} {claim_number(row.estimate, lang)} ({claim_number(row.ci_low, lang)} "
                  f"{'to' if lang == 'en' else 'tot'} {claim_number(row.ci_high, lang)})")
    people = f"{row.participants:,}" if row.participants else h["unknown"]
    k = str(row.k_studies) if row.k_studies else h["unknown"]
    downgrades = "; ".join(
        f"{claim_label('domain', d.domain, lang)} (\u2212{d.levels})" + (f": {d.reason}" if lang == "en" else "")
        for d in row.downgrades if d.levels)
    return [claim_label("outcome", row.outcome, lang), claim_label("comparison", row.comparison, lang),
            claim_timepoint(row.timepoint, lang), f"{k} ({people})", effect,
            "" if reported else claim_absolute(row.absolute, lang), claim_label("certainty", row.certainty, lang),
            downgrades]


_SOF_COLUMNS = ("outcome", "comparison", "timepoint", "studies", "effect", "absolute", "certainty", "downgrades")


def _parts_text(verdict: Verdict, lang: str) -> list[str]:
    return [f"{claim_label('part', p.id, lang)}: {claim_label('verdict', p.verdict, lang)} "
            f"({claim_label('certainty', p.certainty, lang)})" for p in verdict.parts]


def sof_markdown(verdict: Verdict, lang: str = "en") -> list[str]:
    """Markdown lines: the claim's summary-of-findings rows (GRADEpro style) and its per-part verdicts."""
    h = CLAIM_SOF_HEADINGS[lang]
    out = [f"**{h['title']}.**", ""]
    if not verdict.sof_rows:
        return out + [h["none"], ""]
    out += ["| " + " | ".join(h[c] for c in _SOF_COLUMNS) + " |", "|" + "---|" * len(_SOF_COLUMNS)]
    for row in verdict.sof_rows:
        out.append("| " + " | ".join(md_escape(c) for c in _sof_cells(row, lang)) + " |")
    out.append("")
    if verdict.parts:
        out += [f"*{h['parts']}:*", ""] + [f"- {md_escape(t)}" for t in _parts_text(verdict, lang)] + [""]
    return out


def sof_html(verdict: Verdict, lang: str = "en") -> str:
    """HTML: the claim's summary-of-findings rows (GRADEpro style) and its per-part verdicts."""
    e = html_text
    h = CLAIM_SOF_HEADINGS[lang]
    if not verdict.sof_rows:
        return f"<h3>{e(h['title'])}</h3><p class=\"muted\">{e(h['none'])}</p>"
    head = "".join(f"<th>{e(h[c])}</th>" for c in _SOF_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in _sof_cells(row, lang)) + "</tr>"
                   for row in verdict.sof_rows)
    parts = ""
    if verdict.parts:
        parts = (f"<p><strong>{e(h['parts'])}:</strong></p><ul>"
                 + "".join(f"<li>{e(t)}</li>" for t in _parts_text(verdict, lang)) + "</ul>")
    return (f"<h3>{e(h['title'])}</h3><table class=\"sof\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{parts}")


def verdict_rules_markdown(lang: str = "en") -> list[str]:
    """Markdown lines: the section "How verdicts are made" (evidence/claims.py's rules, in ``lang``)."""
    rules = CLAIM_RULES[lang]
    return [f"## {rules['title']}", "", rules["intro"], ""] + [f"- {r}" for r in rules["rules"]] + [""]


def verdict_rules_html(lang: str = "en") -> str:
    """HTML: the section "How verdicts are made" (evidence/claims.py's rules, in ``lang``)."""
    e = html_text
    rules = CLAIM_RULES[lang]
    return (f'<h2 id="how-verdicts-are-made">{e(rules["title"])}</h2><p>{e(rules["intro"])}</p><ul>'
            + "".join(f"<li>{e(r)}</li>" for r in rules["rules"]) + "</ul>")
