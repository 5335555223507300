"""At phone size (390×844) the class table is a list of cards: no sideways scrolling, every value with
its column's name (issue 14 review: the table scrolled sideways and cut off columns)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from stip import demo, schools, store

pytestmark = pytest.mark.browser


def test_the_class_reads_as_cards_on_a_phone(page, stip_server, server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stip_server}/voila/render/Klassen.ipynb?klas=1A")
    first = page.locator(".stip-table tbody tr").first
    expect(first).to_be_visible()
    expect(first.locator("td[data-label='Thuistaal en tolk']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390


def test_the_families_of_a_class_and_the_tabs_fit_a_phone(page, stip_server, server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stip_server}/voila/render/Communicatieplan.ipynb?klas=1A&tab=klas")
    first = page.locator(".stip-overzicht-table tbody tr").first
    expect(first).to_be_visible()
    expect(first.locator("td[data-label='Balans']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    for name in ("Contact vastleggen", "Plan per gezin", "Afspraken"):  # whole titles, none cut off
        tab = page.get_by_role("tab", name=name)
        expect(tab).to_be_visible()
        assert tab.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
