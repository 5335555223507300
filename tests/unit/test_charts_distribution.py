"""The distribution chart of a scale item: one accessible SVG, every text escaped, shares per row."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from stip import charts

LABELS = {
    "1": "helemaal niet mee eens",
    "2": "niet mee eens",
    "3": "mee eens",
    "4": "helemaal mee eens",
    "weet_niet": "weet ik niet",
}
XSS = "<img src=x onerror=alert(1)>"


def chart(rows, **kwargs):
    return charts.distribution(
        "Startgesprek", "Hoe het team antwoordde", rows, charts.scale_series(LABELS), **kwargs
    )


def test_one_svg_with_title_description_and_escaped_text():
    svg = chart([(XSS + " en een lange zin die over meer regels loopt " * 3, {"1": 1, "4": 2})])
    root = ET.fromstring(svg)  # well-formed: one element
    assert root.tag.endswith("svg") and root.get("role") == "img"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Startgesprek"
    assert root.find(f"{ns}desc").text == "Hoe het team antwoordde"
    assert "<img" not in svg and "&lt;img" in svg
    assert svg.count("<svg") == 1


def test_segments_are_shares_of_the_row_and_carry_counts():
    svg = chart([("A", {"1": 1, "3": 3}), ("B", {"4": 4})])
    titles = re.findall(r"<title>([^<]*)</title></rect>", svg)
    assert "A — helemaal niet mee eens: 1 (25%)" in titles
    assert "A — mee eens: 3 (75%)" in titles
    assert "B — helemaal mee eens: 4 (100%)" in titles
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height', svg)]
    assert max(widths) > 3 * min(w for w in widths if w > 20)  # proportional, not equal


def test_a_row_without_answers_and_no_rows_say_so():
    svg = chart([("A", {})], empty_text="nog geen antwoorden")
    assert "nog geen antwoorden" in svg
    assert "nog geen antwoorden" in chart([], empty_text="nog geen antwoorden")


def test_long_labels_wrap_and_end_with_an_ellipsis():
    lines = charts._wrap("woord " * 60, 20, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert charts._wrap("kort", 20, 3) == ["kort"]


def test_stacked_puts_the_label_above_a_bar_across_the_width():
    svg = chart([("Een stelling", {"1": 1, "4": 3})], width=400, stacked=True)
    ET.fromstring(svg)
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="22', svg)]
    assert min(xs) == 8  # the bar starts at the left edge, under its label
    assert 'viewBox="0 0 400 ' in svg
