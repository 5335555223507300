"""The chart over rounds of a scan: one accessible SVG, every text escaped, a dash for a missing mean."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from stip import charts

XSS = "<img src=x onerror=alert(1)>"
NS = "{http://www.w3.org/2000/svg}"


def test_rounds_bars_one_svg_escaped_values_and_missing_round():
    svg = charts.rounds_bars(
        "Per thema", "Gemiddelden per ronde", [(XSS, [2.43, 3.1]), ("Toon", [None, 2.0])], ["2025", XSS]
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert XSS not in svg
    texts = [el.text for el in root.iter(f"{NS}text")]
    assert "2,4" in texts and "3,1" in texts and "2,0" in texts and "–" in texts
    assert len(list(root.iter(f"{NS}rect"))) == 2 + 3  # legend of two rounds + three bars


def test_rounds_bars_empty():
    root = ET.fromstring(charts.rounds_bars("T", "D", [], ["2026"], empty_text="Nog niets"))
    assert "Nog niets" in [el.text for el in root.iter(f"{NS}text")]
