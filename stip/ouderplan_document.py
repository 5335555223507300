"""The ouderplan as a document (HTML with a print stylesheet, and PDF) and as a spreadsheet (XLSX).

Pure functions of `ouderplan.document_data(...)`: every user value is escaped; the charts are the SVG of
`stip.charts` (the same strings the screen shows), so the print view and the PDF hold them as they are.
WeasyPrint (through `stip.sheets.to_pdf`) and openpyxl (through `stip.exports.to_xlsx`, every value a
string cell, so a text starting with "=" never becomes a formula) load only when a file is asked for.
"""

from __future__ import annotations

from html import escape
from typing import Any

from stip import charts, timefmt
from stip.i18n import t
from stip.ouderplan import ACTIVITY_FIELDS, SOURCE

FIELD_KEYS = {
    "wat": "ouderplan.field_wat",
    "doel_leerlingen": "ouderplan.field_doel_leerlingen",
    "doel_ouders": "ouderplan.field_doel_ouders",
    "wie": "ouderplan.field_wie",
    "wanneer": "ouderplan.field_wanneer",
    "evaluatie_hoe": "ouderplan.field_evaluatie_hoe",
    "evaluatie_wanneer": "ouderplan.field_evaluatie_wanneer",
    "nodig": "ouderplan.field_nodig",
    "evaluatie": "ouderplan.field_evaluatie",
}
SCALE_OPTIONS = ("1", "2", "3", "4", "weet_niet")
PDF_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'

CSS = """
@page { size: A4; margin: 14mm 15mm; @bottom-right { content: counter(page) " / " counter(pages);
  font-size: 8pt; color: #5b6470; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1d2733; margin: 0;
  line-height: 1.35; }
h1 { font-size: 18pt; color: #1f4e79; margin: 0 0 1mm; }
h2 { font-size: 13pt; color: #1f4e79; margin: 0 0 2mm; }
.meta, .foot, .muted { color: #5b6470; }
.intro { margin: 2mm 0 5mm; }
.priority { border-top: 2px solid #1f4e79; padding-top: 3mm; margin-top: 6mm; }
.figure { margin: 1mm 0 3mm; page-break-inside: avoid; }
.figure p { margin: 0 0 1mm; }
.figure p.later { font-weight: bold; color: #1f4e79; margin-top: 1mm; }
.figure svg { width: 100%; height: auto; max-width: 175mm; }
.activity-block { break-inside: avoid; page-break-inside: avoid; }
table.activity { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; page-break-inside: avoid; }
table.activity caption { text-align: left; font-weight: bold; padding: 1.5mm 2mm; background: #eef3f8;
  border: 1px solid #c9d3de; border-bottom: 0; }
table.activity th { width: 42mm; text-align: left; vertical-align: top; font-weight: normal;
  color: #3d4a57; padding: 1.2mm 2mm; border: 1px solid #c9d3de; background: #fafbfc; }
table.activity td { vertical-align: top; padding: 1.2mm 2mm; border: 1px solid #c9d3de; }
td.empty { color: #8a939d; }
.foot { font-size: 8pt; margin-top: 6mm; }
@media screen { body { background: #eef1f5; } main { background: white; max-width: 185mm;
  margin: 8mm auto; padding: 12mm 15mm; box-shadow: 0 1px 4px #0003; } }
"""


def _text(value: object) -> str:
    """Escaped, with the line breaks of a note kept."""
    return escape(str(value or "")).replace("\n", "<br>")


def _decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def scale_labels() -> dict[str, str]:
    from stip import live

    return {option: live.scale_label(option) for option in SCALE_OPTIONS}


def too_few_answers(figure: dict[str, Any]) -> bool:
    """True when the priority's statement itself has fewer than `live.MIN_GROUP` answers (every option,
    "weet ik niet" too): one who skipped it must not leave a distribution or mean of two people, even
    when the session as a whole had enough participants. No distribution and no mean then."""
    from stip import live

    item = figure.get("item")
    if not item or item.get("kind", "schaal") != "schaal":
        return False
    return sum((item.get("antwoorden") or {}).values()) < live.MIN_GROUP


def source_line(figure: dict[str, Any]) -> str:
    """ "Teamscan 'Studiedag' (12-11-2026), 14 deelnemers" (plain text)."""
    session = figure["session"]
    day = timefmt.format_date(session["held_on"]) if session.get("held_on") else ""
    return t(
        "ouderplan.figure_source",
        naam=session["naam"],
        datum=f" ({day})" if day else "",
        count=figure["deelnemers"],
    )


def item_chart(figure: dict[str, Any], *, narrow: bool = False) -> str:
    """The distribution of the answers to the priority's item in its study day (one SVG), or "" when
    there is no item or the group was too small to show. `narrow`: the form for a phone (the day above
    its bar)."""
    item = figure.get("item")
    if not item or figure.get("verborgen") or item.get("kind", "schaal") != "schaal":
        return ""
    if too_few_answers(figure):
        return ""
    held = figure["session"].get("held_on")
    label = timefmt.format_date(held) if held else figure["session"]["naam"]  # short: the day
    return charts.distribution(
        item["tekst"],
        t("ouderplan.chart_description", gemiddelde=_decimal(item.get("gemiddelde")), n=item.get("n", 0)),
        [(label, item["antwoorden"])],
        charts.scale_series(scale_labels()),
        width=340 if narrow else 560,
        label_chars=None if narrow else 12,
        max_label_lines=2,
        stacked=narrow,
    )


def figure_summary(figure: dict[str, Any]) -> str:
    """ "Gemiddeld 2,4 op 4 · 12 antwoorden (weet ik niet: 1)" or why there are no figures (plain)."""
    item = figure.get("item")
    if figure.get("verborgen"):
        return t("ouderplan.figure_hidden")
    if not item:
        return t("ouderplan.figure_missing")
    if too_few_answers(figure):
        from stip import live

        return t("ouderplan.figure_too_few", min=live.MIN_GROUP)
    return t(
        "ouderplan.figure_summary",
        gemiddelde=_decimal(item.get("gemiddelde")),
        n=item.get("n", 0),
        weet_niet=item.get("antwoorden", {}).get("weet_niet", 0),
    )


def change_text(verschil: float | None) -> str:
    """ "+0,4" / "−0,2" / "0,0" (a real minus sign), or "–" when there is no change to compute."""
    if verschil is None:
        return "–"
    if round(verschil, 1) == 0:
        return "0,0"
    return ("+" if verschil > 0 else "−") + _decimal(abs(verschil))


def later_line(figure: dict[str, Any]) -> str:
    """ "Volgende ronde, 'Studiedag' (18-11-2026): gemiddeld 2,8 (+0,9)" or "" when the scan was not
    held again (plain text)."""
    later = figure.get("volgende")
    if not later or later.get("gemiddelde") is None:
        return ""
    day = timefmt.format_date(later["held_on"]) if later.get("held_on") else ""
    return t(
        "ouderplan.later_round",
        naam=later["naam"],
        datum=f" ({day})" if day else "",
        gemiddelde=_decimal(later["gemiddelde"]),
        verschil=change_text(later.get("verschil")),
    )


def _figure_html(figure: dict[str, Any]) -> str:
    later = later_line(figure)
    later_html = f'<p class="later">{escape(later)}</p>' if later else ""
    return (
        f'<div class="figure"><p class="muted">{escape(source_line(figure))} · '
        f"{escape(figure_summary(figure))}</p>{item_chart(figure)}{later_html}</div>"
    )


def _activity_html(number: int, activity: dict[str, Any]) -> str:
    wat = activity.get("wat") or t("ouderplan.no_wat")
    rows = []
    for name in ACTIVITY_FIELDS:
        if name == "wat":
            continue
        value = activity.get(name) or ""
        cell = (
            f"<td>{_text(value)}</td>" if value else f'<td class="empty">{escape(t("ouderplan.empty"))}</td>'
        )
        rows.append(f"<tr><th>{escape(t(FIELD_KEYS[name]))}</th>{cell}</tr>")
    caption = escape(t("ouderplan.activity_number", number=number)) + " " + _text(wat)
    # In a block that avoids a page break: the table alone let its caption end a page (review: orphan)
    return (
        f'<div class="activity-block"><table class="activity"><caption>{caption}</caption>'
        f"{''.join(rows)}</table></div>"
    )


def document_html(data: dict[str, Any]) -> str:
    """The plan as one complete HTML page (screen and print)."""
    title = t("ouderplan.document_title", jaar=data.get("school_year", ""))
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(data.get("school", ""))} · '
        f"{escape(t('ouderplan.made_on', datum=timefmt.format_date(timefmt.today())))}</p>",
        f'<p class="intro">{escape(t("ouderplan.intro"))}</p>',
    ]
    plan = data.get("priorities", [])
    if not plan:
        parts.append(f'<p class="muted">{escape(t("ouderplan.empty_plan"))}</p>')
    for number, priority in enumerate(plan, start=1):
        parts.append(f'<section class="priority"><h2>{number}. {_text(priority["titel"])}</h2>')
        figure = data.get("figures", {}).get(priority["id"])
        if figure:
            parts.append(_figure_html(figure))
        activities = priority.get("activities", [])
        if not activities:
            parts.append(f'<p class="muted">{escape(t("ouderplan.no_activities"))}</p>')
        for index, activity in enumerate(activities, start=1):
            parts.append(_activity_html(index, activity))
        parts.append("</section>")
    parts.append(f'<p class="foot">{escape(t("ouderplan.source", source=SOURCE))}</p>')
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head><body><main>{''.join(parts)}</main></body></html>"
    )


def document_pdf(data: dict[str, Any]) -> bytes:
    """The plan as PDF (WeasyPrint, loaded on this call; nothing fetched from elsewhere)."""
    from stip.sheets import to_pdf

    # WeasyPrint draws SVG text without `paint-order`: the white outline that keeps a number readable on
    # the screen would be painted over it and hide it. In the PDF the numbers go without that outline.
    return to_pdf(document_html(data).replace(PDF_HALO, ""))


def xlsx_headers() -> list[str]:
    return [
        t("ouderplan.col_number"),
        t("ouderplan.col_priority"),
        t("ouderplan.col_mean"),
        *(t(FIELD_KEYS[name]) for name in ACTIVITY_FIELDS),
    ]


def xlsx_rows(data: dict[str, Any]) -> list[list[str]]:
    """One row per activity (a priority without activities: one row with its title)."""
    rows = []
    for number, priority in enumerate(data.get("priorities", []), start=1):
        figure = data.get("figures", {}).get(priority["id"]) or {}
        item = figure.get("item") or {}
        mean = (
            ""
            if figure.get("verborgen") or item.get("gemiddelde") is None or too_few_answers(figure)
            else _decimal(item["gemiddelde"])
        )
        for activity in priority.get("activities") or [{}]:
            rows.append(
                [str(number), priority["titel"], mean, *(activity.get(name, "") for name in ACTIVITY_FIELDS)]
            )
    return rows


def document_xlsx(data: dict[str, Any]) -> bytes:
    """The plan as one worksheet; every value a string cell (formulas neutralised)."""
    from stip.exports import to_xlsx

    title = t("ouderplan.document_title", jaar=data.get("school_year", ""))
    return to_xlsx(xlsx_headers(), xlsx_rows(data), sheet_title=title)


def filename(data: dict[str, Any], extension: str) -> str:
    year = "".join(ch for ch in data.get("school_year", "") if ch.isalnum() or ch == "-")
    return f"ouderplan-{year or 'plan'}.{extension}"
