"""The projector windows (`?sessie=<id>&groot=1`) at a beamer's 1280×720: the room sees the live results
without scrolling — the first result chart lies inside the viewport. Three answers go in through the
services on the server's database (what the participant app does); screenshots go to
/tmp/stip-projector-window-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from stip import kenniskring as K
from stip import live, schools, store

pytestmark = pytest.mark.browser
SHOTS = "/tmp/stip-projector-window-{}.png"
VIEWPORT = {"width": 1280, "height": 720}


def first_chart_in_view(page, selector: str) -> dict:
    chart = page.locator(selector).first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + min(box["height"], 200) <= VIEWPORT["height"], box
    assert page.evaluate("window.scrollY") == 0
    return box


def test_teamscan_projector_window_shows_the_results_at_the_top(page, stip_server, server_db):
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        sid = live.start_session(conn, actor, "teamscan", "Studiedag projector")["id"]
    with store.read() as conn:
        items = [i for i in live.items(conn, sid) if i["kind"] == "schaal"]
    for n in range(3):
        token = f"projector-tel-{n}-aaaaaaaaaaaaaaaa"
        with store.write() as conn:
            live.participant(conn, sid, token, create=True)
            live.set_role(conn, sid, token, "leraar")
            for index, item in enumerate(items):
                live.save_answer(conn, sid, token, item["id"], live.SCALE[(index + n) % len(live.SCALE)])
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb?sessie={sid}&groot=1")
    expect(page.locator(".stip-projector [data-testid=deelnemers]")).to_have_text("3")
    page.screenshot(path=SHOTS.format("teamscan"))
    first_chart_in_view(page, ".stip-projector .stip-live-results svg.stip-chart")


def test_kenniskring_projector_window_shows_the_activity_and_its_results(page, stip_server, server_db):
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        sid = K.start(conn, actor, "Kenniskring projector")["id"]
    with store.read() as conn:
        items = K.current(conn, sid)["items"]
    for n, value in enumerate(("eens", "oneens", "eens")):
        with store.write() as conn:
            K.save_answer(conn, sid, f"projector-tel-{n}-aaaaaaaaaaaaaaaa", items[0]["id"], value, "")
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{stip_server}/voila/render/Kenniskring.ipynb?sessie={sid}&groot=1")
    expect(page.locator(".stip-projector .stip-kk-view .stip-live-number")).to_have_text("3")
    page.screenshot(path=SHOTS.format("kenniskring"))
    first_chart_in_view(page, ".stip-projector .stip-kk-chart svg")
