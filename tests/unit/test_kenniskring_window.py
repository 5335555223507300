"""The kenniskring's projector window (`?sessie=<id>&groot=1`) shows only what the room needs: a code
line, the current activity's title, instruction and live results (review at 1280×720)."""

from __future__ import annotations

from stip import kenniskring as K
from stip import store
from widgets.kenniskring import KenniskringScreen
from widgets.kenniskring_run import PROJECTOR_CLASS, WINDOW_CLASS


def test_kenniskring_window_shows_the_activity_and_a_code_line_only(actor):
    with store.write() as conn:
        sid = K.start(conn, actor, "Kenniskring")["id"]
    screen = KenniskringScreen(query={"sessie": str(sid), "groot": "1"})
    run = screen.session.run
    try:
        assert {PROJECTOR_CLASS, WINDOW_CLASS} <= set(screen._dom_classes)
        assert screen.session.children == (run,)  # no header, tabs, close button
        assert run.children == (run.join_line, run.view)  # no trainer buttons, no big code block
        assert run.join_line.layout.display is None and "stip-kk-joinline" in run.join_line.value
        assert "<h2>" in run.view.value and "stip-kk-instruction" in run.view.value
    finally:
        screen.session.stop()
