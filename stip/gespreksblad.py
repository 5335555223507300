"""The gespreksblad of a difficult conversation (issue 16, step 9): one printable A4 page for the room.

In the order of the talk: a header (student, klas, when and where, who is there, interpreter), then the parts
of the conversation plan (`stip.gespreksplan.build_flow`: the positive opening, the concern as facts, the
views, the shared goal, what school can and cannot do, with the chosen questions and the minutes), then room
for agreements and notes. Every filled field appears once; an empty field prints nothing, not even its
heading; every value is escaped. `to_pdf(html)` renders it with WeasyPrint (loaded on that call only, nothing
fetched from elsewhere, like `stip.sheets.to_pdf`) and tightens the layout when a very long preparation
would run onto a second page.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import escape
from itertools import groupby
from typing import Any

from stip import content, gespreksplan, timefmt
from stip.i18n import t

__all__ = ["LEVELS", "sheet_html", "to_pdf"]

LINE_CHARS = 420  # the most characters of one line that the page shows (the whole text stays in Stip)
LONG_LINE_CHARS = 700  # the facts and the bad-news message may take more room
LONG_FIELDS = ("feiten", "boodschap")
LEVELS = ("", "compact", "krap")  # ever tighter layouts, tried in order until the page fits

SOORT_KEYS = {
    "gedrag": "gespreksblad.soort.gedrag",
    "verzuim": "gespreksblad.soort.verzuim",
    "resultaten": "gespreksblad.soort.resultaten",
    "welbevinden": "gespreksblad.soort.welbevinden",
    "incident": "gespreksblad.soort.incident",
    "slecht_nieuws": "gespreksblad.soort.slecht_nieuws",
    "anders": "gespreksblad.soort.anders",
}
ASKED_BY_KEYS = {
    "mentor": "gespreksblad.by.mentor",
    "ouders": "gespreksblad.by.ouders",
    "leerling": "gespreksblad.by.leerling",
    "collega": "gespreksblad.by.collega",
    "zorg": "gespreksblad.by.zorg",
    "directie": "gespreksblad.by.directie",
}

CSS = """
@page { size: A4; margin: 10mm 12mm 10mm; }
body { font-family: "Liberation Sans", Arial, "DejaVu Sans Condensed", "DejaVu Sans", sans-serif;
  font-size: 8.4pt; line-height: 1.26; color: #1d2733; margin: 0; }
header { border-bottom: 1.5pt solid #1f4e79; padding-bottom: 2mm; margin-bottom: 3mm; }
h1 { font-size: 15pt; color: #1f4e79; margin: 0 0 1mm; font-weight: bold; }
.meta { margin: 0.6mm 0 0; color: #3d4752; }
.meta .sep { color: #9aa5b1; padding: 0 1.6mm; }
.meta b { color: #1d2733; font-weight: bold; }
.flow { columns: 2; column-gap: 7mm; column-fill: balance; }
section.part { margin: 0 0 2.2mm; }
p, li { orphans: 2; widows: 2; }
h2 { font-size: 9.6pt; color: #1f4e79; margin: 0 0 0.8mm; padding-bottom: 0.4mm;
  border-bottom: 0.6pt solid #c9d3de; break-after: avoid; }
h2 .num { margin-right: 1.2mm; }
h2 .min { float: right; font-weight: normal; color: #5b6470; font-size: 8pt; }
p { margin: 0 0 0.9mm; }
.guide { color: #5b6470; font-style: italic; }
.label { font-weight: bold; color: #1d2733; }
ul { margin: 0 0 0.9mm; padding-left: 4mm; }
li { margin: 0 0 0.5mm; }
.q { padding-left: 4mm; text-indent: -4mm; }
.q::before { content: "?"; display: inline-block; width: 4mm; text-indent: 0; color: #e07a2f;
  font-weight: bold; }
.feel { padding-left: 2.5mm; border-left: 1.2pt solid #e9b17f; }
.notes { margin-top: 1mm; break-inside: avoid-column; }
.notes h2 { margin-top: 1.2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
th { text-align: left; font-size: 8pt; color: #5b6470; font-weight: normal; padding: 0 1mm 0.5mm 0; }
td { border-bottom: 0.6pt solid #9aa5b1; height: 5.8mm; }
td.who { width: 26%; } td.when { width: 24%; }
.rule { border-bottom: 0.6pt solid #9aa5b1; height: 5.8mm; }
.next { margin-top: 1.5mm; }
.next .rule { display: inline-block; width: 62%; height: 4mm; vertical-align: bottom; }
.foot { color: #6b7480; font-size: 6.6pt; margin-top: 1.6mm; }
body.compact { font-size: 7.8pt; line-height: 1.22; }
body.compact h1 { font-size: 13pt; } body.compact h2 { font-size: 8.6pt; }
body.compact section.part { margin-bottom: 1.6mm; }
body.compact td, body.compact .rule { height: 5.2mm; }
body.krap { font-size: 7.2pt; line-height: 1.18; }
body.krap h1 { font-size: 11.5pt; } body.krap h2 { font-size: 7.6pt; }
body.krap section.part { margin-bottom: 1mm; }
body.krap td, body.krap .rule { height: 4.4mm; }
body.krap tr.extra, body.compact tr.extra, body.krap .rule.extra { display: none; }
@media screen { body { background: #eef1f5; font-size: 9.5pt; }
  .page { background: white; max-width: 186mm; margin: 8mm auto; padding: 10mm 12mm;
    box-shadow: 0 1px 4px #0003; } }
@media screen and (max-width: 720px) { .flow { columns: 1; } .page { padding: 5mm; margin: 0; } }
"""


def _clean(value: Any) -> str:
    return str(value or "").strip()


def _shorten(text: str, limit: int) -> str:
    """`text` cut at a word before `limit` characters, with "…" (the sheet's room; Stip keeps it whole)."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _when(answers: dict[str, str], context: dict[str, Any]) -> list[str]:
    """Date, time, place and length, each only when filled."""
    items = []
    datum = _clean(answers.get("datum")) or _clean(context.get("datum"))
    if datum:
        try:
            day = date.fromisoformat(datum)
            items.append(f"{timefmt.long_date(day)} {day.year}")
        except ValueError:
            items.append(datum)
    tijd = _clean(answers.get("tijd")) or _clean(context.get("tijd"))
    if tijd and items:
        items[-1] += " " + t("gespreksblad.at", tijd=tijd)
    elif tijd:
        items.append(tijd)
    plaats = _clean(answers.get("plaats")) or _clean(context.get("plaats"))
    if plaats:
        items.append(plaats)
    minutes = gespreksplan.planned_minutes(answers.get("duur"))
    if minutes:
        items.append(t("gespreksblad.duur", duur=minutes))
    return items


def _labelled(label: str, value: str) -> str:
    return f"<span><b>{escape(label)}:</b> {escape(value)}</span>"


def _header(answers: dict[str, str], context: dict[str, Any]) -> str:
    naam = _clean(context.get("student")) or _clean(context.get("roepnaam"))
    first = []
    if _clean(context.get("klas")):
        first.append(escape(t("gespreksblad.klas", klas=_clean(context["klas"]))))
    first.extend(escape(item) for item in _when(answers, context))
    if _clean(context.get("mentor")):
        first.append(escape(t("gespreksblad.mentor", mentor=_clean(context["mentor"]))))

    second = []
    soort = _clean(answers.get("soort")) or _clean(context.get("soort"))
    soort_text = _clean(answers.get("soort_anders")) if soort == "anders" else ""
    if soort in SOORT_KEYS and not soort_text:  # "anders" without its text: the word itself
        soort_text = t(SOORT_KEYS[soort])
    if soort_text:
        second.append(_labelled(t("gespreksblad.kind"), soort_text))
    by = _clean(answers.get("aangevraagd_door"))
    if by:
        second.append(
            _labelled(t("gespreksblad.asked_by"), t(ASKED_BY_KEYS[by]) if by in ASKED_BY_KEYS else by)
        )
    if answers.get("tolk") == "ja":
        taal = _clean(answers.get("tolk_taal")) or _clean(context.get("tolk_taal"))
        second.append(_labelled(t("gespreksblad.tolk"), taal or t("gespreksblad.tolk_yes")))

    third = []
    if _clean(answers.get("aanwezigen")):
        third.append(_labelled(t("gespreksblad.present"), _shorten(_clean(answers["aanwezigen"]), 240)))
    if _clean(answers.get("vertrouwde_docent")):
        third.append(
            _labelled(t("gespreksblad.trusted"), _shorten(_clean(answers["vertrouwde_docent"]), 120))
        )

    sep = '<span class="sep">·</span>'
    lines = "".join(f'<p class="meta">{sep.join(items)}</p>' for items in (first, second, third) if items)
    title = f"<h1>{escape(t('gespreksblad.title', naam=naam))}</h1>" if naam else ""
    return f"<header>{title}{lines}</header>"


def _label_prefixes(roepnaam: str) -> list[str]:
    """The labels that start a line holding an answer ("Wat ik zag: ", "Wat Timo nodig heeft: ", …)."""
    regels = content.load("gespreksplan")["flow"]["regels"]
    prefixes = []
    for template in regels.values():
        for marker in ("{waarde}", "{emotie}"):
            head = " ".join(template.split()).split(marker)[0]
            if marker in template and head.endswith(": "):
                head = head.format(roepnaam=roepnaam)
                prefixes.append(head[:1].upper() + head[1:])
    return sorted(set(prefixes), key=len, reverse=True)


def _later_prefix(roepnaam: str) -> str:
    template = content.load("gespreksplan")["flow"]["regels"]["vraag_later"]
    return template.split("{vraag}")[0].format(roepnaam=roepnaam)


def _classify(line: str, prefixes: list[str], questions: set[str], later: str) -> tuple[str, str, str]:
    """(kind, label, text): kind is field, question, feeling or guide."""
    if line in questions:
        return ("question", "", line)
    if later and line.startswith(later):
        return ("question", "", line)
    for prefix in prefixes:
        if line.startswith(prefix):
            return ("field", prefix.rstrip(": "), line[len(prefix) :])
    if " → “" in line or line.startswith("“"):
        return ("feeling", "", line)
    return ("guide", "", line)


def _limit_for(label: str, flow_labels: dict[str, str]) -> int:
    return LONG_LINE_CHARS if label in flow_labels.values() else LINE_CHARS


def _part_html(part: dict[str, Any], number: int, start: str, prefixes, questions, later, long_labels) -> str:
    rows = [_classify(line, prefixes, questions, later) for line in part["regels"] if _clean(line)]
    if not rows:
        return ""
    body = []
    for (kind, label), group in groupby(rows, key=lambda row: (row[0], row[1])):
        texts = [
            escape(_shorten(_clean(text), _limit_for(label, long_labels) if kind == "field" else LINE_CHARS))
            for _, _, text in group
        ]
        if kind == "field" and len(texts) > 1:
            items = "".join(f"<li>{text}</li>" for text in texts)
            body.append(f'<p><span class="label">{escape(label)}</span></p><ul>{items}</ul>')
        elif kind == "field":
            body.append(f'<p><span class="label">{escape(label)}:</span> {texts[0]}</p>')
        else:
            css = {"question": "q", "feeling": "feel", "guide": "guide"}[kind]
            body.extend(f'<p class="{css}">{text}</p>' for text in texts)
    minutes = part.get("minuten")
    when = [start] if start else []
    if minutes is not None:
        when.append(t("gespreksblad.minutes", minuten=minutes))
    badge = f'<span class="min">{escape(" · ".join(when))}</span>' if when else ""
    return (
        f'<section class="part"><h2>{badge}<span class="num">{number}.</span>{escape(part["titel"])}</h2>'
        f"{''.join(body)}</section>"
    )


def _starts(answers: dict[str, str], context: dict[str, Any], flow: list[dict[str, Any]]) -> list[str]:
    """The clock time each part starts, when the time and the minutes are known."""
    tijd = _clean(answers.get("tijd")) or _clean(context.get("tijd"))
    if not re.fullmatch(r"\d{1,2}:\d{2}", tijd) or any(p.get("minuten") is None for p in flow):
        return [""] * len(flow)
    hour, minute = (int(x) for x in tijd.split(":"))
    if hour > 23 or minute > 59:
        return [""] * len(flow)
    moment = datetime(2000, 1, 1, hour, minute)
    starts = []
    for part in flow:
        starts.append(timefmt.format_time(moment.time()))
        moment += timedelta(minutes=part["minuten"])
    return starts


def _notes() -> str:
    head = (
        f"<tr><th>{escape(t('gespreksblad.who'))}</th><th>{escape(t('gespreksblad.what'))}</th>"
        f"<th>{escape(t('gespreksblad.when'))}</th></tr>"
    )
    rows = "".join(
        f'<tr class="{"extra" if n >= 2 else ""}"><td class="who"></td><td></td><td class="when"></td></tr>'
        for n in range(3)
    )
    rules = "".join(f'<div class="rule{" extra" if n >= 2 else ""}"></div>' for n in range(3))
    return (
        '<section class="notes">'
        f"<h2>{escape(t('gespreksblad.agreements'))}</h2><table>{head}{rows}</table>"
        f"<h2>{escape(t('gespreksblad.notes'))}</h2>{rules}"
        f'<p class="next"><span class="label">{escape(t("gespreksblad.next"))}:</span> '
        '<span class="rule"></span></p>'
        "</section>"
    )


def sheet_html(answers: dict[str, str], context: dict[str, Any], flow: list[dict[str, Any]]) -> str:
    """A complete HTML document: the one-page gespreksblad of this preparation (print stylesheet inside).

    `answers` are the preparation's fields, `context` the student, klas, mentor and school (see
    `stip.gespreksplan.build_flow`), `flow` the plan built from them.
    """
    answers = {key: _clean(value) for key, value in (answers or {}).items()}
    context = context or {}
    roepnaam = _clean(context.get("roepnaam")) or content.load("gespreksplan")["flow"]["leerling_zonder_naam"]
    prefixes = _label_prefixes(roepnaam)
    regels = content.load("gespreksplan")["flow"]["regels"]
    long_labels = {
        field: " ".join(regels[field].split()).split(": {waarde}")[0]
        for field in LONG_FIELDS
        if field in regels
    }
    questions = set(gespreksplan.question_texts(answers))
    later = _later_prefix(roepnaam)
    starts = _starts(answers, context, flow)
    parts = []
    for part, start in zip(flow, starts, strict=True):
        html = _part_html(part, len(parts) + 1, start, prefixes, questions, later, long_labels)
        if html:
            parts.append(html)
    section = content.load("gespreksplan")
    school = _clean(context.get("school"))
    sources = " ".join(section["bron_kort"].split())
    foot = t("gespreksblad.source", school=school, sources=sources) if school else sources
    naam = _clean(context.get("student")) or roepnaam
    title = escape(t("gespreksblad.document_title", naam=naam))
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<style>{CSS}</style></head><body><div class="page">'
        f"{_header(answers, context)}"
        f'<div class="flow">{"".join(parts)}{_notes()}<p class="foot">{escape(foot)}</p></div>'
        "</div></body></html>"
    )


def _tightened(html: str, level: str) -> str:
    return html.replace("<body>", f'<body class="{level}">', 1) if level else html


def _render(html: str):
    """The WeasyPrint document (imported on this call only); like `stip.sheets.to_pdf` it fetches nothing."""
    from weasyprint import HTML

    def no_fetch(url: str, *args, **kwargs):
        raise ValueError("Stip sheets load nothing from elsewhere")

    return HTML(string=html, url_fetcher=no_fetch).render()


def to_pdf(html: str) -> bytes:
    """The PDF of a gespreksblad: one A4 page; a very long preparation gets a tighter layout (smaller type,
    fewer blank lines) before it would spill onto a second page."""
    document = None
    for level in LEVELS:
        document = _render(_tightened(html, level))
        if len(document.pages) <= 1:
            break
    return document.write_pdf()
