"""Conversation sheets as PDF for a class of 30: seconds per sheet (issue 5's benchmark).

Run with `make bench` or `cd bench && ../.venv/bin/python sheets.py`. Measures one PDF holding all
30 sheets (what "Bladen hele klas (PDF)" makes) and one single sheet, after WeasyPrint is loaded.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime

from common import machine


def families(count: int) -> list[dict]:
    return [
        {
            "id": i,
            "naam": f"Leerling {i} Jansen",
            "roepnaam": f"Leerling {i}",
            "klas": "1A",
            "guardians": [{"naam": f"Ouder {i} Jansen", "tolk_nodig": i % 5 == 0}],
            "mentor": "Sanne Verhoef",
            "mentor_email": "",
            "school": "Voorbeeldschool",
            "slot": {"starts_at": datetime(2026, 9, 8, 17, 0), "location": "lokaal 1.12"},
        }
        for i in range(count)
    ]


def main() -> None:
    os.environ.setdefault("STIP_DATA", tempfile.mkdtemp(prefix="stip-bench-sheets-"))
    from stip import sheets

    started = time.perf_counter()
    sheets.to_pdf(sheets.sheets_html(families(1)))
    first = time.perf_counter() - started  # includes importing WeasyPrint
    started = time.perf_counter()
    one = sheets.to_pdf(sheets.sheets_html(families(1)))
    single = time.perf_counter() - started
    started = time.perf_counter()
    pdf = sheets.to_pdf(sheets.sheets_html(families(30)))
    whole = time.perf_counter() - started
    print(f"machine: {machine()}")
    print(f"sheet PDF: first call {first:.2f} s (loads WeasyPrint)")
    print(f"one sheet: {single:.2f} s, {len(one) // 1024} KB")
    print(f"class of 30 in one PDF: {whole:.2f} s = {whole / 30:.3f} s per sheet, {len(pdf) // 1024} KB")


if __name__ == "__main__":
    main()
