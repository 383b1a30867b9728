"""The claims report for content authors: JSON, Markdown and one self-contained HTML page.

The HTML page loads nothing from outside (no scripts, fonts, images or style
sheets by URL): styles are inline, the figures are embedded as ``data:`` PNG
images, and the reference exports (RIS, BibTeX, CSL-JSON, for the whole page
and for each claim) and the tables are ``data:`` links, so the page can be
mailed or opened offline on its own. Every label is in the page's language
(:mod:`evidence.texts`); codes are shown as words. Links to PubMed and DOIs are ordinary hyperlinks, followed only
when a reader clicks them.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from .cite import incomplete, links, to_bibtex, to_csl_json, to_ris, vancouver
from .claims import ClaimsReport
from .texts import UI_TEXTS, ui_label

__all__ = ["FORMATS", "LANGS", "coverage", "render_claims", "claims_html", "claims_markdown"]

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


def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "NA"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:.0f}"


def _effect_text(effect, lang: str) -> str:
    """One effect in words: study, outcome (timepoint), measure, estimate and 95% CI."""
    ui = UI_TEXTS[lang]
    timepoint = f" ({ui_label('timepoint', effect.timepoint, lang)})" if effect.timepoint else ""
    measure = str(effect.measure).replace("GENERIC_", "")
    return (f"{effect.study}: {ui_label('outcome', effect.outcome, lang)}{timepoint}, {measure} "
            f"{_num(effect.estimate)} ({ui['ci']} {_num(effect.ci_low)} {ui['to']} {_num(effect.ci_high)})")


def _effects_text(evidence, lang: str = "en") -> str:
    return "; ".join(_effect_text(e, lang) for e in evidence.effects)


def _title(verdict, lang: str) -> str:
    """A claim's heading in words (the id is a code, kept as the anchor only)."""
    return ui_label("claim", verdict.id, lang)


def render_claims(report: ClaimsReport, records, *, fmt: str = "json", lang: str = "en", snapshot=None) -> str:
    """The report as text: ``json`` (the contract's list), ``md`` or ``html``."""
    _check(fmt, lang)
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
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


def claims_markdown(report: ClaimsReport, records, *, lang: str = "en", snapshot=None) -> str:
    """The report as Markdown, to paste into a document or a CMS."""
    _check("md", lang)
    ui = UI_TEXTS[lang]
    by_pmid = records.set_index("pmid")
    out = [f"# {ui['title']}", "", ui["intro"], "", f"## {ui['table']}", "",
           f"| {ui['claim']} | {ui['verdict']} | {ui['certainty']} | {ui['refs']} |", "|---|---|---|---|"]
    for v in report:
        out.append(f"| [{_title(v, lang)}](#{v.id}) | {ui_label('verdict', v.verdict, lang)} | "
                   f"{ui_label('certainty', v.certainty, lang)} | {len(v.pmids)} |")
    out += ["", f"## {ui['coverage']}", "", _coverage_sentence(records, snapshot, lang), ""]
    for v in report:
        out += [f'<a id="{v.id}"></a>', "",
                f"## {_title(v, lang)}: {ui_label('verdict', v.verdict, lang)} ({ui['certainty'].lower()}: "
                f"{ui_label('certainty', v.certainty, lang)})", ""]
        for q in v.quotes:
            out.append(f"> {q.text} ({ui['section']} {q.section})")
        out.append("")
        if lang == "en":
            out += [f"*{ui['paraphrase']}:* {v.claim_en}", ""]
        out += [f"**{ui['why']}.** {v.summary(lang)}", ""]
        if v.evidence:
            out += [f"| PMID | {ui['study']} | {ui['design']} | {ui['n']} | {ui['relation']} | {ui['effects']} |",
                    "|---|---|---|---|---|---|"]
            for e in v.evidence:
                flag = f" ({ui['cut']})" if e.abstract_complete is False else ""
                out.append(f"| [{e.pmid}](https://pubmed.ncbi.nlm.nih.gov/{e.pmid}/) | {e.first_author} {e.year}"
                           f"{flag} | {ui_label('design', e.design, lang)} | {e.n or ''} | "
                           f"{ui_label('relation', e.relation, lang)} | {_effects_text(e, lang)} |")
            out += ["", f"**{ui['cite']}:**", ""]
            for i, pmid in enumerate(v.pmids, start=1):
                if pmid in by_pmid.index:
                    row = by_pmid.loc[pmid].to_dict() | {"pmid": pmid}
                    link = links(row)
                    doi = f" <{link['doi']}>" if link.get("doi") else ""
                    text, note = _reference(row, lang)
                    note = f" **{note}**" if note else ""
                    out.append(f"{i}. {text} <{link['pubmed']}>{doi}{note}")
            out.append("")
        out += [f"*{ui['more']}:* `{v.query}`", ""]
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
            f"{html.escape(ui_label('verdict', verdict, lang))}</span>")


def _data_link(name: str, mime: str, text: str) -> str:
    return (f'<a class="dl" download="{html.escape(name)}" href="data:{mime};charset=utf-8,{quote(text)}">'
            f"{html.escape(name)}</a>")


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
    caption = html.escape(_figure_caption(name, lang))
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure id="figure-{html.escape(name)}"><img alt="{caption}" src="data:image/png;base64,{data}">'
            f"<figcaption>{caption}</figcaption></figure>")


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
    e = html.escape
    by_pmid = records.set_index("pmid")
    cited = _cited(report, records)
    rows = "".join(
        f'<tr><td><a href="#{v.id}">{e(_title(v, lang))}</a></td>'
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
        f"<p>{e(ui['downloads'])}: " + _exports(cited, "references") + "</p>",
    ]
    for v in report:
        quotes = "".join(f"<blockquote lang=\"nl\">{e(q.text)} <span class=\"muted\">({e(ui['section'])} "
                         f"{e(q.section)})</span></blockquote>" for q in v.quotes)
        paraphrase = f"<p><em>{e(ui['paraphrase'])}:</em> {e(v.claim_en)}</p>" if lang == "en" else ""
        parts.append(
            f'<section class="claim" id="{e(v.id)}"><h2>{e(_title(v, lang))} {_badge(v.verdict, lang)} '
            f'<span class="muted">{e(ui["certainty"])}: {e(ui_label("certainty", v.certainty, lang))}</span></h2>'
            f"<p><strong>{e(ui['article_says'])}:</strong></p>{quotes}{paraphrase}"
            f"<p><strong>{e(ui['why'])}.</strong> {e(v.summary(lang))}</p>")
        if v.evidence:
            body = []
            for ev in v.evidence:
                flag = f' <span class="cut">({e(ui["cut"])})</span>' if ev.abstract_complete is False else ""
                body.append(
                    f'<tr><td><a href="https://pubmed.ncbi.nlm.nih.gov/{e(ev.pmid)}/">{e(ev.pmid)}</a></td>'
                    f"<td>{e(ev.first_author)} {ev.year or ''}{flag}<br><span class=\"muted\">{e(ev.title)}</span></td>"
                    f"<td>{e(ui_label('design', ev.design, lang))}</td><td>{ev.n or ''}</td>"
                    f"<td>{e(ui_label('relation', ev.relation, lang))}</td>"
                    f"<td>{e(_effects_text(ev, lang))}</td></tr>")
            parts.append(
                f"<h3>{e(ui['evidence'])}</h3><table class=\"evidence\"><thead><tr><th>PMID</th>"
                f"<th>{e(ui['study'])}</th><th>{e(ui['design'])}</th><th>{e(ui['n'])}</th>"
                f"<th>{e(ui['relation'])}</th><th>{e(ui['effects'])}</th></tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>")
            refs = []
            for pmid in v.pmids:
                if pmid not in by_pmid.index:
                    continue
                row = by_pmid.loc[pmid].to_dict() | {"pmid": pmid}
                link = links(row)
                anchors = f' <a href="{e(link["pubmed"])}">PubMed</a>'
                if link.get("doi"):
                    anchors += f' <a href="{e(link["doi"])}">DOI</a>'
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
