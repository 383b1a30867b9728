"""The claims report for content authors: JSON, Markdown and one self-contained HTML page.

The HTML page loads nothing from outside (no scripts, fonts, images or style
sheets by URL): styles are inline and the reference exports (RIS, BibTeX,
CSL-JSON) are embedded as ``data:`` links, so it can be mailed or opened
offline. Links to PubMed and DOIs are ordinary hyperlinks, followed only
when a reader clicks them.
"""

from __future__ import annotations

import html
import json
from datetime import date
from typing import Any
from urllib.parse import quote

from .claims import CERTAINTY_LABELS, VERDICT_LABELS, ClaimsReport, Verdict, reported_results, row_direction
from .texts import (CLAIM_RULES, CLAIM_SOF_HEADINGS, claim_absolute, claim_label, claim_number, claim_render,
                    claim_text, claim_timepoint)

__all__ = ["FORMATS", "LANGS", "coverage", "render_claims", "claims_html", "claims_markdown", "sof_markdown",
           "sof_html", "verdict_rules_markdown", "verdict_rules_html"]

FORMATS = ("json", "md", "html")
LANGS = ("en", "nl")

VERDICT_COLOURS = {
    "supported": ("#1b5e20", "#c8e6c9"),
    "supported_with_caveats": ("#33691e", "#f0f4c3"),
    "overstated": ("#e65100", "#ffe0b2"),
    "not_supported": ("#b71c1c", "#ffcdd2"),
    "no_evidence": ("#424242", "#e0e0e0"),
}

_UI = {
    "en": {
        "title": "Checking the claims of “Nekpijn en hoofdpijn” against PubMed evidence",
        "intro": "For each claim in the article's literature section: a verdict, how certain the evidence is, "
                 "why, and the references to cite. Verdicts follow explicit rules (see the workbook's "
                 "evidence/claims.py); certainty follows GRADE's domains.",
        "table": "Verdicts", "claim": "Claim", "verdict": "Verdict", "certainty": "Certainty",
        "refs": "References", "article_says": "The article says", "section": "section",
        "paraphrase": "In English", "why": "Why", "evidence": "Evidence", "cite": "References to cite",
        "more": "A live PubMed search that would find more",
        "design": "Design", "n": "n", "effects": "Effects (95% CI)", "relation": "Evidence",
        "direct": "direct", "indirect": "indirect", "cut": "abstract cut short in the snapshot",
        "coverage": "What this check covers",
        "coverage_text": "{n} PubMed records in the snapshot ({origin}; copied {date}); {cut} of them have an "
                         "abstract cut short and {noabs} have none, so some results could not be read. "
                         "{searches} A live search (record mode) would add records the snapshot lacks, "
                         "including those listed in data/pubmed/PROVENANCE.md (e.g. the 2016 Cochrane "
                         "review of neck disorders and a case series of the Balance Method).",
        "no_searches": "No search was recorded: the records were assembled from public pages.",
        "searches": "{k} recorded search(es).",
        "downloads": "All cited references", "none": "none",
        "generated": "Generated {date} from the snapshot in replay mode; every number traces to a PMID and "
                     "the sentence it was read from (data/effects.csv).",
    },
    "nl": {
        "title": "De beweringen van “Nekpijn en hoofdpijn” getoetst aan bewijs uit PubMed",
        "intro": "Per bewering in het literatuurdeel van het artikel: een oordeel, hoe zeker het bewijs is, "
                 "waarom, en de referenties om te citeren. Oordelen volgen expliciete regels (zie "
                 "evidence/claims.py in de werkmap); de zekerheid volgt de domeinen van GRADE.",
        "table": "Oordelen", "claim": "Bewering", "verdict": "Oordeel", "certainty": "Zekerheid",
        "refs": "Referenties", "article_says": "Het artikel zegt", "section": "paragraaf",
        "paraphrase": "In het Engels", "why": "Waarom", "evidence": "Bewijs", "cite": "Te citeren referenties",
        "more": "Een live PubMed-zoekopdracht die meer zou vinden",
        "design": "Design", "n": "n", "effects": "Effecten (95%-BI)", "relation": "Bewijs",
        "direct": "direct", "indirect": "indirect", "cut": "samenvatting afgekapt in de snapshot",
        "coverage": "Wat deze toets omvat",
        "coverage_text": "{n} PubMed-records in de snapshot ({origin}; gekopieerd {date}); bij {cut} daarvan "
                         "is de samenvatting afgekapt en {noabs} hebben er geen, dus sommige resultaten konden "
                         "niet worden gelezen. {searches} Een live zoekopdracht (record-modus) voegt records "
                         "toe die de snapshot mist, waaronder die in data/pubmed/PROVENANCE.md (bijv. de "
                         "Cochrane-review van 2016 over nekklachten en een case series van de Balance Method).",
        "no_searches": "Er is geen zoekopdracht vastgelegd: de records zijn samengesteld uit openbare pagina's.",
        "searches": "{k} vastgelegde zoekopdracht(en).",
        "downloads": "Alle geciteerde referenties", "none": "geen",
        "generated": "Gemaakt op {date} uit de snapshot in replay-modus; elk getal is herleidbaar tot een PMID "
                     "en de zin waaruit het is gelezen (data/effects.csv).",
    },
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


def render_claims(report: ClaimsReport, records, *, fmt: str = "json", lang: str = "en", snapshot=None) -> str:
    """The report as text: ``json`` (the contract's list), ``md`` or ``html``."""
    _check(fmt, lang)
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return claims_markdown(report, records, lang=lang, snapshot=snapshot)
    return claims_html(report, records, lang=lang, snapshot=snapshot)


def _coverage_sentence(records, snapshot, lang: str) -> str:
    ui = _UI[lang]
    cov = coverage(records, snapshot=snapshot)
    searches = ui["searches"].format(k=cov["searches"]) if cov["searches"] else ui["no_searches"]
    return ui["coverage_text"].format(n=cov["records"], origin=cov["origin"], date=cov["copied"] or "?",
                                      cut=cov["abstract_cut"], noabs=cov["no_abstract"], searches=searches)


def claims_markdown(report: ClaimsReport, records, *, lang: str = "en", snapshot=None) -> str:
    """The report as Markdown, to paste into a document or a CMS."""
    from .cite import links, vancouver

    _check("md", lang)
    ui = _UI[lang]
    by_pmid = records.set_index("pmid")
    out = [f"# {ui['title']}", "", ui["intro"], "", f"## {ui['table']}", "",
           f"| {ui['claim']} | {ui['verdict']} | {ui['certainty']} | {ui['refs']} |", "|---|---|---|---|"]
    for v in report:
        out.append(f"| {v.id} | {VERDICT_LABELS[lang][v.verdict]} | {CERTAINTY_LABELS[lang][v.certainty]} | "
                   f"{len(v.pmids)} |")
    out += ["", f"## {ui['coverage']}", "", _coverage_sentence(records, snapshot, lang), ""]
    out += verdict_rules_markdown(lang)
    for v in report:
        out += [f"## {v.id}: {VERDICT_LABELS[lang][v.verdict]} ({ui['certainty'].lower()}: "
                f"{CERTAINTY_LABELS[lang][v.certainty]})", ""]
        for q in v.quotes:
            out.append(f"> {q.text} ({ui['section']} {q.section})")
        if lang == "en":
            out += ["", f"*{ui['paraphrase']}:* {v.claim_en}"]
        out += ["", f"**{ui['why']}.** {v.summary(lang)}", ""]
        out += sof_markdown(v, lang)
        if v.evidence:
            out += [f"| PMID | | {ui['design']} | {ui['relation']} |", "|---|---|---|---|"]
            for e in v.evidence:
                flag = f" ({ui['cut']})" if e.abstract_complete is False else ""
                out.append(f"| [{e.pmid}](https://pubmed.ncbi.nlm.nih.gov/{e.pmid}/) | {e.first_author} {e.year}"
                           f"{flag} | {e.design} | {ui[e.relation]} |")
            out += ["", f"**{ui['cite']}:**", ""]
            for i, pmid in enumerate(v.pmids, start=1):
                if pmid in by_pmid.index:
                    row = by_pmid.loc[pmid].to_dict() | {"pmid": pmid}
                    link = links(row)
                    doi = f" <{link['doi']}>" if link.get("doi") else ""
                    out.append(f"{i}. {vancouver(row)} <{link['pubmed']}>{doi}")
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
a.dl{margin-right:1rem}
"""


def _badge(verdict: str, lang: str) -> str:
    fg, bg = VERDICT_COLOURS[verdict]
    return (f'<span class="badge verdict-{verdict}" style="color:{fg};background:{bg}">'
            f"{html.escape(VERDICT_LABELS[lang][verdict])}</span>")


def _data_link(name: str, mime: str, text: str) -> str:
    return (f'<a class="dl" download="{name}" href="data:{mime};charset=utf-8,{quote(text)}">'
            f"{html.escape(name)}</a>")


def claims_html(report: ClaimsReport, records, *, lang: str = "en", snapshot=None) -> str:
    """One self-contained HTML page: verdict table, per-claim evidence, references, exports."""
    from .cite import links, to_bibtex, to_csl_json, to_ris, vancouver

    _check("html", lang)
    ui = _UI[lang]
    e = html.escape
    by_pmid = records.set_index("pmid")
    cited = _cited(report, records)
    rows = "".join(
        f'<tr><td><a href="#{v.id}">{e(v.id)}</a></td><td>{e(v.claim_en if lang == "en" else v.claim_nl)}</td>'
        f'<td>{_badge(v.verdict, lang)}</td>'
        f"<td>{e(CERTAINTY_LABELS[lang][v.certainty])}</td><td>{len(v.pmids)}</td></tr>"
        for v in report)
    parts = [
        "<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(ui['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(ui['title'])}</h1><p>{e(ui['intro'])}</p>",
        f"<h2 id=\"verdicts\">{e(ui['table'])}</h2>",
        f"<table class=\"verdicts\"><thead><tr><th>id</th><th>{e(ui['claim'])}</th><th>{e(ui['verdict'])}</th>"
        f"<th>{e(ui['certainty'])}</th><th>{e(ui['refs'])}</th></tr></thead><tbody>{rows}</tbody></table>",
        f"<h2 id=\"coverage\">{e(ui['coverage'])}</h2><p>{e(_coverage_sentence(records, snapshot, lang))}</p>",
        verdict_rules_html(lang),
        f"<p>{e(ui['downloads'])}: "
        + _data_link("references.ris", "application/x-research-info-systems", to_ris(cited))
        + _data_link("references.bib", "application/x-bibtex", to_bibtex(cited))
        + _data_link("references.json", "application/vnd.citationstyles.csl+json",
                     json.dumps(to_csl_json(cited), ensure_ascii=False, indent=1))
        + "</p>",
    ]
    for v in report:
        quotes = "".join(f"<blockquote lang=\"nl\">{e(q.text)} <span class=\"muted\">({e(ui['section'])} "
                         f"{e(q.section)})</span></blockquote>" for q in v.quotes)
        parts.append(
            f'<section class="claim" id="{e(v.id)}"><h2>{e(v.id)} {_badge(v.verdict, lang)} '
            f'<span class="muted">{e(ui["certainty"])}: {e(CERTAINTY_LABELS[lang][v.certainty])}</span></h2>'
            f"<p><strong>{e(ui['article_says'])}:</strong></p>{quotes}"
            + (f"<p><em>{e(ui['paraphrase'])}:</em> {e(v.claim_en)}</p>" if lang == "en" else "")
            + f"<p><strong>{e(ui['why'])}.</strong> {e(v.summary(lang))}</p>" + sof_html(v, lang))
        if v.evidence:
            body = []
            for ev in v.evidence:
                flag = f' <span class="cut">({e(ui["cut"])})</span>' if ev.abstract_complete is False else ""
                body.append(
                    f'<tr><td><a href="https://pubmed.ncbi.nlm.nih.gov/{e(ev.pmid)}/">{e(ev.pmid)}</a></td>'
                    f"<td>{e(ev.first_author)} {ev.year or ''}{flag}<br><span class=\"muted\">{e(ev.title)}</span></td>"
                    f"<td>{e(ev.design)}</td><td>{e(ui[ev.relation])}</td></tr>")
            parts.append(
                f"<h3>{e(ui['evidence'])}</h3><table class=\"evidence\"><thead><tr><th>PMID</th><th></th>"
                f"<th>{e(ui['design'])}</th><th>{e(ui['relation'])}</th>"
                f"</tr></thead><tbody>{''.join(body)}</tbody></table>")
            refs = []
            for pmid in v.pmids:
                if pmid not in by_pmid.index:
                    continue
                row = by_pmid.loc[pmid].to_dict() | {"pmid": pmid}
                link = links(row)
                anchors = f' <a href="{e(link["pubmed"])}">PubMed</a>'
                if link.get("doi"):
                    anchors += f' <a href="{e(link["doi"])}">DOI</a>'
                refs.append(f"<li>{e(vancouver(row))}{anchors}</li>")
            parts.append(f"<h3>{e(ui['cite'])}</h3><ol class=\"refs\">{''.join(refs)}</ol>")
        parts.append(f"<p class=\"muted\">{e(ui['more'])}: <code>{e(v.query)}</code></p></section>")
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
        out.append("| " + " | ".join(c.replace("|", "/") for c in _sof_cells(row, lang)) + " |")
    out.append("")
    if verdict.parts:
        out += [f"*{h['parts']}:*", ""] + [f"- {t}" for t in _parts_text(verdict, lang)] + [""]
    return out


def sof_html(verdict: Verdict, lang: str = "en") -> str:
    """HTML: the claim's summary-of-findings rows (GRADEpro style) and its per-part verdicts."""
    e = html.escape
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
    e = html.escape
    rules = CLAIM_RULES[lang]
    return (f'<h2 id="how-verdicts-are-made">{e(rules["title"])}</h2><p>{e(rules["intro"])}</p><ul>'
            + "".join(f"<li>{e(r)}</li>" for r in rules["rules"]) + "</ul>")
