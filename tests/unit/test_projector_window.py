"""The team scan's projector window (`?sessie=<id>&groot=1`) shows only what the room needs, and its
projector charts have larger labels than the print view's (review at 1280×720)."""

from __future__ import annotations

import re

from stip import live, scan_charts, store
from widgets.teamscan import TeamscanScreen
from widgets.teamscan_results import ResultsPanel
from widgets.teamscan_session import PROJECTOR_CLASS, WINDOW_CLASS

BEAMER_CONTENT_WIDTH = 1046  # the chart's width in the 1280 px window (the page's column)


def label_px(svg: str) -> float:
    """The statement labels' size on screen when the chart is stretched to the beamer's column."""
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    size = float(re.search(r'<text x="\d+" y="[\d.]+" font-size="(\d+)" fill="#111111">', svg).group(1))
    return size * BEAMER_CONTENT_WIDTH / width


def teamscan_with_answers(actor) -> int:
    with store.write() as conn:
        sid = live.start_session(conn, actor, "teamscan", "Studiedag")["id"]
    with store.read() as conn:
        items = [i for i in live.items(conn, sid) if i["kind"] == "schaal"]
    for n in range(3):
        with store.write() as conn:
            live.participant(conn, sid, f"window-{n}-" + "a" * 20, create=True)
            for item in items:
                live.save_answer(conn, sid, f"window-{n}-" + "a" * 20, item["id"], str(1 + n))
    return sid


def test_projector_chart_variant_has_larger_labels_and_the_print_view_stays(actor):
    sid = teamscan_with_answers(actor)
    with store.read() as conn:
        results = live.results(conn, sid)
    normal = scan_charts.spread_chart(results)
    big = scan_charts.spread_chart(results, projector=True)
    assert 'viewBox="0 0 760 ' in normal  # the print view and the laptop keep theirs
    assert f'viewBox="0 0 {scan_charts.PROJECTOR_WIDTH} ' in big
    assert label_px(normal) < 17 and label_px(big) >= 20
    themes = scan_charts.theme_charts(results, projector=True)
    assert all(f"0 0 {scan_charts.PROJECTOR_WIDTH} " in svg for _theme, svg in themes)


def test_teamscan_window_shows_the_code_line_and_the_results_only(actor):
    sid = teamscan_with_answers(actor)
    screen = TeamscanScreen(query={"sessie": str(sid), "groot": "1"})
    view = screen.session
    try:
        assert {PROJECTOR_CLASS, WINDOW_CLASS} <= set(screen._dom_classes)
        code_line, results = view.children
        assert isinstance(results, ResultsPanel) and results.projector
        assert "stip-window-code" in code_line.value
        assert f'viewBox="0 0 {scan_charts.PROJECTOR_WIDTH} ' in results.text
        assert view.tabs not in view.children
    finally:
        view.stop()
    laptop = TeamscanScreen(query={"sessie": str(sid)})
    try:
        assert WINDOW_CLASS not in laptop._dom_classes and not laptop.session.results.projector
        assert 'viewBox="0 0 760 ' in laptop.session.results.text
        laptop.session.projector.value = True  # "Groot" on the laptop: the projector variant too
        assert f'viewBox="0 0 {scan_charts.PROJECTOR_WIDTH} ' in laptop.session.results.text
        assert WINDOW_CLASS not in laptop._dom_classes
    finally:
        laptop.session.stop()
