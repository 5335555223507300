"""Found on a study-day review at projector size (1280×720, "Groot"): what the back of the room saw."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CUT_OFF = """() => [...document.querySelectorAll('.stip-projector .widget-label')]
    .filter(e => e.offsetParent && e.textContent.trim())
    .filter(e => e.scrollHeight > e.clientHeight + 1)
    .map(e => e.textContent.trim())"""


def test_projector_labels_are_not_cut_off(page, stip_server, server_db):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb")
    page.get_by_role("textbox", name="Naam").fill("Studiedag")
    page.get_by_role("button", name="Sessie starten").click()
    page.get_by_role("tab", name="Uitkomsten").click()
    page.get_by_role("button", name="Groot (projector)").click()
    select = page.get_by_role("combobox", name="Toon")
    expect(select).to_be_visible()
    expect(page.locator(".stip-projector")).to_be_visible()
    page.screenshot(path="/tmp/stip-review-projector-toon.png")
    assert page.evaluate(CUT_OFF) == []  # was: "Toon" 28 px high in 22 px type, its foot cut off


def test_ouderplan_new_priority_button_sits_beside_its_field(page, stip_server, server_db):
    # Was: "Prioriteit toevoegen" level with the label "Nieuwe prioriteit", above the field's line.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{stip_server}/voila/render/Ouderplan.ipynb")
    field = page.get_by_role("textbox", name="Nieuwe prioriteit")
    button = page.get_by_role("button", name="Prioriteit toevoegen")
    expect(field).to_be_visible()
    expect(button).to_be_visible()
    field.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/stip-review-ouderplan-new.png")
    f, b = field.bounding_box(), button.bounding_box()
    assert abs((f["y"] + f["height"]) - (b["y"] + b["height"])) <= 4, (f, b)


def test_earlier_sessions_fit_a_phone(page, stip_server, server_db):
    # Was: at 390 px the table's last column read "Statu" / "geslote", the rest off screen.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb")
    page.get_by_role("textbox", name="Naam").fill("Studiedag ouderbetrokkenheid, een jaar later")
    page.get_by_role("button", name="Sessie starten").click()
    expect(page.get_by_role("tab", name="Meedoen")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb")
    table = page.locator("table.stip-table")
    expect(table.get_by_text("open", exact=True)).to_be_visible()
    table.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/stip-review-sessions-phone.png")
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
