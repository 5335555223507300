"""The one-page conversation sheet for a startgesprek: HTML with a print stylesheet, and PDF.

Every value is escaped; the agenda comes from `content/nl/startgesprek.yaml`. WeasyPrint is imported
only when a PDF is asked for.
"""

from __future__ import annotations

from html import escape
from typing import Any

from stip import content, timefmt
from stip.i18n import t

GOAL_ITEMS = {"doel"}  # the shared goal gets a box, the other agenda items blank lines
LINES = {"opening": 1, "gesprek_doel": 1, "afspraken": 4, "afsluiting": 1}
COMPLIMENT_CHARS = 280  # what fits on the one page of a sheet beside everything else

CSS = """
@page { size: A4; margin: 11mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1d2733; margin: 0; }
.sheet { page-break-after: always; }
.sheet:last-child { page-break-after: auto; }
h1 { font-size: 16pt; color: #1f4e79; margin: 0 0 2mm; }
.meta { color: #5b6470; margin: 0 0 4mm; }
.meta span { margin-right: 6mm; }
ol { margin: 0; padding-left: 6mm; }
li { margin: 0 0 1.4mm; }
li strong { color: #1f4e79; }
.hint { color: #5b6470; font-size: 8.5pt; display: block; }
.lines { border-bottom: 1px solid #9aa5b1; height: 6mm; }
.goal { border: 2px solid #e07a2f; border-radius: 3mm; padding: 2mm 3mm; margin-top: 1mm; min-height: 12mm; }
.compliment { font-style: italic; margin: 1mm 0; display: block; }
.foot { color: #5b6470; font-size: 7.5pt; margin-top: 2mm; }
@media screen { body { background: #eef1f5; } .sheet { background: white; max-width: 180mm; margin: 8mm auto;
  padding: 12mm 14mm; box-shadow: 0 1px 4px #0003; } }
"""


def _lines(count: int) -> str:
    return '<div class="lines"></div>' * count


def sheet_body(student: dict[str, Any]) -> str:
    """One sheet; `student` has naam, klas, guardians (naam, tolk_nodig, taal), mentor, school, slot (or
    None) and `gouden_mail` (its compliment, shown at the opening; may be missing or empty)."""
    from stip import invitations

    section = content.load("startgesprek")
    agenda = section["agenda"]["items"]
    meta = [t("sheet.klas", klas=student["klas"]), t("sheet.mentor", mentor=student["mentor"] or "—")]
    if student.get("slot"):
        slot = student["slot"]
        meta.append(
            t(
                "sheet.when",
                datum=timefmt.long_date(slot["starts_at"]),
                tijd=timefmt.format_time(slot["starts_at"]),
                plaats=slot["location"] or "—",
            )
        )
    guardians = invitations.guardians_line(student["guardians"]) or "—"
    compliment = (student.get("gouden_mail") or "").strip()
    if len(compliment) > COMPLIMENT_CHARS:  # a reminder at the opening; the whole mail is in Stip
        compliment = compliment[: COMPLIMENT_CHARS - 1].rsplit(" ", 1)[0] + "…"
    items = []
    for item in agenda:
        box = '<div class="goal"></div>' if item["id"] in GOAL_ITEMS else _lines(LINES.get(item["id"], 2))
        if item["id"] == "opening" and compliment:
            text = t("sheet.compliment", positief=compliment)
            box = f'<span class="compliment">{escape(text)}</span>{box}'
        items.append(
            f"<li><strong>{escape(item['title'])}</strong>"
            f'<span class="hint">{escape(item["hint"])}</span>{box}</li>'
        )
    foot = t("sheet.source", school=student["school"], sources=section["sources"])
    return (
        '<section class="sheet">'
        f"<h1>{escape(t('sheet.title', naam=student['naam']))}</h1>"
        f'<p class="meta">{"".join(f"<span>{escape(m)}</span>" for m in meta)}</p>'
        f'<p class="meta">{escape(t("sheet.present", ouders=guardians))}</p>'
        f"<ol>{''.join(items)}</ol>"
        f'<p class="foot">{escape(foot)}</p>'
        "</section>"
    )


def sheets_html(students: list[dict[str, Any]]) -> str:
    """A complete HTML document with one sheet per student (print: one page each)."""
    title = escape(t("sheet.document_title"))
    body = "".join(sheet_body(s) for s in students)
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )


def to_pdf(html: str) -> bytes:
    """The PDF of an HTML document (WeasyPrint, loaded on this call only; no network access)."""
    from weasyprint import HTML

    def no_fetch(url: str, *args, **kwargs):
        raise ValueError("Stip sheets load nothing from elsewhere")

    return HTML(string=html, url_fetcher=no_fetch).write_pdf()
