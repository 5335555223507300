"""A conversation sheet fits on one page (issue 14 review: page 2 held only the source line, so a class
of 28 printed on 56 pages) — also with a long compliment and four guardians with interpreters."""

from __future__ import annotations

import io

from pypdf import PdfReader

from stip import sheets
from tests.unit.test_startgesprek import families, student


def test_every_sheet_is_one_page_also_in_the_worst_case(demo_school, actor):
    ids = [student("Yousef", "Alkhatib"), student("Lotte", "Bakker"), student("Thijs", "Bakker")]
    many = families(actor, ids)
    many[0]["gouden_mail"] = "Yousef hielp deze week een nieuwe klasgenoot de weg te vinden. " * 80
    many[0]["guardians"] = [
        {"naam": f"Verzorger met een heel lange naam nummer {n}", "tolk_nodig": True, "taal": "Tigrinya"}
        for n in range(4)
    ]
    pdf = sheets.to_pdf(sheets.sheets_html(many))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == len(many)
    first = pages[0].extract_text()
    assert "Yousef" in first and "…" in first  # the long compliment is cut short, on the same page
