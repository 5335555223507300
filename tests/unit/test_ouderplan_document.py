"""The ouderplan document (HTML, PDF) and spreadsheet: every activity once, charts, escaping, formulas."""

from __future__ import annotations

import io
import re
from datetime import date

from stip import ouderplan_document as doc

XSS = "<img src=x onerror=alert(1)>"


def activity(n: int, **values) -> dict:
    base = {name: "" for name in doc.ACTIVITY_FIELDS}
    return {"id": n, "priority_id": 1, **base, **values, "position": n, "version": 1}


def data() -> dict:
    item = {
        "key": "startgesprek.1",
        "tekst": "We spreken elk gezin aan het begin van het jaar",
        "kind": "schaal",
        "antwoorden": {"1": 2, "2": 5, "3": 4, "4": 2, "weet_niet": 1},
        "n": 13,
        "gemiddelde": 2.46,
        "spreiding": 0.93,
    }
    return {
        "school": "Voorbeeldschool",
        "school_year": "2026-2027",
        "priorities": [
            {
                "id": 1,
                "session_id": 7,
                "item_key": "startgesprek.1",
                "titel": "Startgesprek met elk gezin",
                "activities": [
                    activity(
                        1, wat="Startgesprekken in week 2 tot 4", wie="mentoren", nodig="twee\nmiddagen"
                    ),
                    activity(2, wat=XSS, evaluatie='=HYPERLINK("http://x")'),
                ],
            },
            {"id": 2, "session_id": None, "item_key": "", "titel": "Koffieochtenden", "activities": []},
        ],
        "figures": {
            1: {
                "session": {"id": 7, "naam": "Studiedag <november>", "held_on": date(2026, 11, 12)},
                "deelnemers": 14,
                "verborgen": False,
                "item": item,
            }
        },
    }


def test_document_has_every_activity_once_the_chart_and_escapes():
    html = doc.document_html(data())
    assert html.count("Startgesprekken in week 2 tot 4") == 1
    assert XSS not in html and html.count("&lt;img src=x onerror=alert(1)&gt;") == 1
    assert "Studiedag &lt;november&gt;" in html and "<november>" not in html
    assert len(re.findall(r"<svg\b", html)) == 1  # the one priority from the study day has its chart
    assert "gemiddeld 2,5 op 4" in html and "twee<br>middagen" in html
    assert "Koffieochtenden" in html and "Nog geen activiteiten" in html
    assert "wij-leren.nl" in html  # the source of the plan's shape


def test_the_next_round_of_the_scan_shows_under_the_figures():
    plan = data()
    plan["figures"][1]["volgende"] = {
        "naam": "Een jaar later",
        "held_on": date(2027, 11, 10),
        "gemiddelde": 3.1,
        "verschil": 0.64,
    }
    html = doc.document_html(plan)
    assert "Volgende ronde, &#x27;Een jaar later&#x27; (10-11-2027): gemiddeld 3,1 (+0,6)" in html


def test_no_chart_for_a_small_group():
    plan = data()
    plan["figures"][1]["verborgen"] = True
    html = doc.document_html(plan)
    assert "<svg" not in html and "minder dan 3 deelnemers" in html
    assert "2,5" not in html


def test_pdf_opens_and_holds_the_activity_and_the_chart():
    from pypdf import PdfReader

    pdf = doc.document_pdf(data())
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    squashed = " ".join(text.split())
    assert "Startgesprekken in week 2 tot 4" in squashed
    assert "helemaal mee eens" in squashed  # the chart's legend is drawn into the PDF
    assert "Ouderplan 2026-2027" in squashed


def test_xlsx_every_value_a_string_and_formulas_neutralised():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(doc.document_xlsx(data())))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Nr.", "Prioriteit", "Gemiddelde teamscan"]
    assert len(rows) == 4  # header, two activities, one priority without activities
    formula = next(cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("="))
    assert formula.data_type == "s" and formula.value == '=HYPERLINK("http://x")'
    assert rows[1][2] == "2,5" and rows[3][1] == "Koffieochtenden"
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)
